/**
 * The data.pkl of a `torch.save` zip file, read as data: the allowed globals (the tensor rebuild
 * functions, the typed storages, OrderedDict) and the walk from the unpickled object (a state dict,
 * or nested dicts such as {"model": state_dict, "optimizer": ...}) to a flat list of tensor records.
 * A state dict needs nothing else; any other global (os.system, builtins.eval, subprocess.Popen,
 * numpy scalars, ...) is refused with an InputError naming it. Pure: no file access.
 */
import { InputError } from '../errors.js';
import { PickleTuple, describe, unpickle, type PickleCallable, type PickleValue } from './pickle.js';
import { printable } from './safetensors.js';

/** Storage classes by name: the dtype (safetensors spelling) and bytes per element. */
export const TORCH_STORAGE_DTYPES: Readonly<Record<string, { readonly dtype: string; readonly itemBytes: number }>> = {
  FloatStorage: { dtype: 'F32', itemBytes: 4 },
  DoubleStorage: { dtype: 'F64', itemBytes: 8 },
  HalfStorage: { dtype: 'F16', itemBytes: 2 },
  BFloat16Storage: { dtype: 'BF16', itemBytes: 2 },
  LongStorage: { dtype: 'I64', itemBytes: 8 },
  IntStorage: { dtype: 'I32', itemBytes: 4 },
  ShortStorage: { dtype: 'I16', itemBytes: 2 },
  CharStorage: { dtype: 'I8', itemBytes: 1 },
  ByteStorage: { dtype: 'U8', itemBytes: 1 },
  BoolStorage: { dtype: 'BOOL', itemBytes: 1 },
  ComplexFloatStorage: { dtype: 'C64', itemBytes: 8 },
  ComplexDoubleStorage: { dtype: 'C128', itemBytes: 16 },
  UntypedStorage: { dtype: 'U8', itemBytes: 1 },
};

/** One storage of the archive: the zip entry `<prefix>/data/<key>` holds its bytes. */
export interface TorchStorageRecord {
  readonly key: string;
  readonly dtype: string;
  readonly itemBytes: number;
  readonly numElements: number;
}

/** A tensor: a strided view into a storage (offset and strides in elements). */
export interface TorchTensorRecord {
  readonly storage: TorchStorageRecord;
  readonly offset: number;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
}

/** A tensor found in the unpickled object, with its dotted path as its name. */
export interface TorchNamedTensor {
  readonly name: string;
  readonly tensor: TorchTensorRecord;
  /** True under a top-level key that names optimizer state (e.g. "optimizer"): moments, not weights. */
  readonly isOptimizerState: boolean;
}

const callable = (qualifiedName: string, call: (args: readonly PickleValue[]) => PickleValue): PickleCallable => ({ qualifiedName, call });

function toIntegerTuple(value: PickleValue, what: string): number[] {
  if (!(value instanceof PickleTuple) || !value.items.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) {
    throw new InputError(`${what} is ${describe(value)}, expected a tuple of non-negative integers`);
  }
  return value.items as number[];
}

function rebuildTensor(args: readonly PickleValue[], what: string): TorchTensorRecord {
  const [storage, offset, size, stride] = args;
  if (!(storage instanceof Object) || !('key' in storage) || !('numElements' in storage)) {
    throw new InputError(`${what}: _rebuild_tensor_v2 gets a ${describe(storage ?? null)} where a storage belongs`);
  }
  if (!Number.isSafeInteger(offset) || (offset as number) < 0) throw new InputError(`${what}: a tensor has storage offset ${String(offset)}, expected a non-negative integer`);
  const shape = toIntegerTuple(size ?? null, `${what}: a tensor's size`);
  const strides = toIntegerTuple(stride ?? null, `${what}: a tensor's stride`);
  if (strides.length !== shape.length) throw new InputError(`${what}: a tensor has size (${shape.join(', ')}) but stride (${strides.join(', ')})`);
  const record: TorchTensorRecord = { storage: storage as TorchStorageRecord, offset: offset as number, shape, strides };
  const last = lastElementIndex(record);
  if (last >= record.storage.numElements) {
    throw new InputError(`${what}: a tensor of size (${shape.join(', ')}), stride (${strides.join(', ')}) and offset ${offset} reaches element ${last} of storage '${printable(record.storage.key)}', which holds ${record.storage.numElements}`);
  }
  return record;
}

/** The storage index of the tensor's last element (offset - 1 for an empty tensor). */
export function lastElementIndex(tensor: TorchTensorRecord): number {
  if (tensor.shape.some((n) => n === 0)) return tensor.offset - 1;
  return tensor.shape.reduce((sum, n, k) => sum + (n - 1) * tensor.strides[k]!, tensor.offset);
}

function asTensor(value: PickleValue | undefined, what: string): TorchTensorRecord {
  if (typeof value !== 'object' || value === null || !('storage' in value) || !('strides' in value)) {
    throw new InputError(`${what}: _rebuild_parameter gets a ${describe(value ?? null)}, not a tensor`);
  }
  return value as TorchTensorRecord;
}

function resolver(what: string) {
  const allowed: Record<string, PickleCallable> = {
    'torch._utils._rebuild_tensor_v2': callable('torch._utils._rebuild_tensor_v2', (args) => rebuildTensor(args, what)),
    'torch._utils._rebuild_parameter': callable('torch._utils._rebuild_parameter', (args) => asTensor(args[0], what)),
    'torch._utils._rebuild_parameter_with_state': callable('torch._utils._rebuild_parameter_with_state', (args) => asTensor(args[0], what)),
    'collections.OrderedDict': callable('collections.OrderedDict', (args) => {
      const dict = new Map<PickleValue, PickleValue>();
      const pairs = args[0];
      if (Array.isArray(pairs)) for (const pair of pairs) if (pair instanceof PickleTuple && pair.items.length === 2) dict.set(pair.items[0]!, pair.items[1]!);
      return dict;
    }),
  };
  return (module: string, name: string): PickleCallable => {
    const qualified = `${module}.${name}`;
    const found = allowed[qualified];
    if (found) return found;
    const storage = module === 'torch' ? TORCH_STORAGE_DTYPES[name] : undefined;
    if (storage) {
      return callable(qualified, () => {
        throw new InputError(`${what} calls ${qualified} directly; a state dict references storages only through persistent ids`);
      });
    }
    throw new InputError(
      `${what} refers to the Python global '${printable(qualified)}', which esdlab refuses to load (only tensors, storages and OrderedDict are allowed; nothing in the file was run)`,
    );
  };
}

function persistentLoader(what: string) {
  const storages = new Map<string, TorchStorageRecord>();
  return (id: PickleValue): PickleValue => {
    const items = id instanceof PickleTuple ? id.items : [];
    const [tag, storageType, key, , numElements] = items;
    const className = typeof storageType === 'object' && storageType !== null && 'qualifiedName' in storageType ? (storageType as PickleCallable).qualifiedName.replace(/^torch\./, '') : '';
    const info = TORCH_STORAGE_DTYPES[className];
    if (tag !== 'storage' || !info || typeof key !== 'string' || !Number.isSafeInteger(numElements) || (numElements as number) < 0) {
      throw new InputError(`${what} has a persistent id that is not a torch storage record ('storage', torch.XStorage, key, location, numel)`);
    }
    const existing = storages.get(key);
    if (existing) return existing;
    const record: TorchStorageRecord = { key, dtype: info.dtype, itemBytes: info.itemBytes, numElements: numElements as number };
    storages.set(key, record);
    return record;
  };
}

/** Unpickles a torch data.pkl with the restricted table; `what` names the file in errors. */
export function unpickleTorch(bytes: Uint8Array, what: string): PickleValue {
  return unpickle(bytes, { resolveGlobal: resolver(what), persistentLoad: persistentLoader(what) }, what);
}

const OPTIMIZER_KEY = /optim/i;
const MAX_DEPTH = 64;

/**
 * Every tensor in an unpickled object, named by its path of dict keys and list indices joined
 * with '.' (a bare tensor is named 'tensor'). Non-tensor leaves (epochs, learning rates) are dropped.
 */
export function torchTensorsOf(root: PickleValue, what: string): TorchNamedTensor[] {
  const out: TorchNamedTensor[] = [];
  const onPath = new Set<object>();
  const visit = (value: PickleValue, path: string[], isOptimizerState: boolean) => {
    if (typeof value !== 'object' || value === null) return;
    if ('storage' in value && 'strides' in value) {
      out.push({ name: path.length > 0 ? path.join('.') : 'tensor', tensor: value as TorchTensorRecord, isOptimizerState });
      return;
    }
    if (path.length > MAX_DEPTH) throw new InputError(`${what} nests containers deeper than ${MAX_DEPTH} levels`);
    if (onPath.has(value)) return; // a container that holds itself
    onPath.add(value);
    if (value instanceof Map) {
      for (const [key, child] of value) {
        const part = typeof key === 'string' || typeof key === 'number' ? String(key) : describe(key);
        visit(child, [...path, part], isOptimizerState || (path.length === 0 && OPTIMIZER_KEY.test(part)));
      }
    } else if (Array.isArray(value) || value instanceof PickleTuple) {
      const items = Array.isArray(value) ? value : value.items;
      items.forEach((child, k) => visit(child, [...path, String(k)], isOptimizerState));
    }
    onPath.delete(value);
  };
  visit(root, [], false);
  return out;
}
