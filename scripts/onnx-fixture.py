#!/usr/bin/env python3
"""Writes src/io/fixtures/onnx/tiny.onnx with torch.onnx (Linear(4,3), ReLU, Linear(3,2); the first
weight is arange(12)/4 - 1). Usage: /usr/bin/python3 scripts/onnx-fixture.py OUT.onnx"""
import sys
import torch

torch.manual_seed(0)
m = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
with torch.no_grad():
    m[0].weight.copy_(torch.arange(12.).reshape(3, 4) / 4 - 1)
torch.onnx.export(m, torch.ones(1, 4), sys.argv[1], do_constant_folding=False)
