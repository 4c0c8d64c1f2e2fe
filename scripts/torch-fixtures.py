#!/usr/bin/env python3
"""Writes the tiny torch.save fixtures that src/io/torchFile.test.ts reads (committed under
src/io/fixtures/torch/), plus values.json: every weight's values as torch sees them (row-major),
the test's independent oracle. Usage: /usr/bin/python3 scripts/torch-fixtures.py OUT_DIR"""
import collections, json, os, sys
import torch

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def ramp(rows, cols, dtype=torch.float32):
    # ((k mod 7) - 3) / 4 is exact in f16 and bf16
    k = torch.arange(rows * cols, dtype=torch.float64).reshape(rows, cols)
    return ((k % 7 - 3) / 4).to(dtype)


sd = collections.OrderedDict()
sd['f32'] = ramp(3, 4)
sd['f64'] = ramp(3, 4, torch.float64)
sd['f16'] = ramp(3, 4, torch.float16)
sd['bf16'] = ramp(3, 4, torch.bfloat16)
sd['transposed'] = ramp(4, 3).t()  # a view: shape (3, 4), strides (1, 3)
sd['offset'] = torch.arange(30, dtype=torch.float32)[6:18].view(3, 4)  # storage offset 6
sd['sliced'] = ramp(3, 8)[:, ::2]  # strides (8, 2)
sd['conv'] = ramp(2, 12).reshape(2, 3, 2, 2)
sd['bias'] = torch.ones(3)
sd['ids'] = torch.arange(6).reshape(2, 3)
torch.save(sd, os.path.join(out, 'state_dict.pt'))

lin = torch.nn.Linear(4, 3)
with torch.no_grad():
    lin.weight.copy_(ramp(3, 4))
    lin.bias.zero_()
opt = torch.optim.Adam(lin.parameters())
lin(torch.ones(1, 4)).sum().backward()
opt.step()
torch.save({'model': lin.state_dict(), 'optimizer': opt.state_dict(), 'epoch': 3}, os.path.join(out, 'nested.pth'))
torch.save(lin.state_dict(), os.path.join(out, 'legacy.pt'), _use_new_zipfile_serialization=False)

shard_dir = os.path.join(out, 'sharded')
os.makedirs(shard_dir, exist_ok=True)
shards = {'pytorch_model-00001-of-00002.bin': {'a.weight': ramp(3, 4)}, 'pytorch_model-00002-of-00002.bin': {'b.weight': ramp(4, 3, torch.float16)}}
weight_map = {}
for file, tensors in shards.items():
    torch.save(tensors, os.path.join(shard_dir, file))
    weight_map.update({name: file for name in tensors})
with open(os.path.join(shard_dir, 'pytorch_model.bin.index.json'), 'w') as f:
    json.dump({'metadata': {'total_size': 72}, 'weight_map': weight_map}, f, indent=2)

values = {name: t.to(torch.float64).reshape(-1).tolist() for name, t in sd.items()}
values['model.weight'] = lin.state_dict()['weight'].reshape(-1).tolist()
with open(os.path.join(out, 'values.json'), 'w') as f:
    json.dump(values, f)
