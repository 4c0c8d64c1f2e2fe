/**
 * A restricted unpickler: reads the Python pickle opcodes (protocols 2 to 5) that `torch.save`
 * writes, as data. It never runs code: a GLOBAL or STACK_GLOBAL opcode asks `resolveGlobal` for a
 * stand-in of that name, and the caller's table decides (torch's table is src/formats/torchPickle.ts);
 * a name outside it throws an InputError naming it before anything else is read. REDUCE, NEWOBJ and
 * BUILD only apply those stand-ins. Opcode reference: CPython's Lib/pickletools.py.
 */
import { InputError } from '../errors.js';
import { printable } from './safetensors.js';

/** A Python tuple (kept apart from lists, which are plain arrays). */
export class PickleTuple {
  constructor(readonly items: readonly PickleValue[]) {}
}

/** A stand-in for an allowed global: applied by REDUCE/NEWOBJ to its arguments. */
export interface PickleCallable {
  readonly qualifiedName: string;
  call(args: readonly PickleValue[]): PickleValue;
}

/** What an unpickled value may be; `object` covers the stand-ins' results (tensor records etc.). */
export type PickleValue = null | boolean | number | bigint | string | Uint8Array | PickleValue[] | PickleTuple | Map<PickleValue, PickleValue> | PickleCallable | object;

/** The caller's table: the only way a global or a persistent id becomes a value. */
export interface UnpickleHooks {
  /** A stand-in for `module.name`; throws an InputError for a name that is not allowed. */
  resolveGlobal(module: string, name: string): PickleCallable;
  /** The value for a persistent id (BINPERSID), e.g. torch's storage records. */
  persistentLoad(id: PickleValue): PickleValue;
}

/** Nesting and size bounds, so a hostile pickle cannot exhaust memory through the unpickler itself. */
const MAX_STACK = 1_000_000;

/** Unpickles `bytes` (one pickle, up to STOP) with the given hooks; `what` names the source in errors. */
export function unpickle(bytes: Uint8Array, hooks: UnpickleHooks, what = 'the pickle'): PickleValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new TextDecoder('utf-8', { fatal: false });
  let stack: PickleValue[] = [];
  const marks: PickleValue[][] = [];
  const memo = new Map<number, PickleValue>();
  let at = 0;
  const fail = (reason: string): never => {
    throw new InputError(`${what} is not a valid pickle: ${reason} at byte ${at}`);
  };
  const need = (n: number) => {
    if (at + n > bytes.length) fail(`it ends inside an opcode (needs ${n} more bytes)`);
  };
  const u8 = () => (need(1), bytes[at++]!);
  const u16 = () => (need(2), (at += 2), view.getUint16(at - 2, true));
  const u32 = () => (need(4), (at += 4), view.getUint32(at - 4, true));
  const i32 = () => (need(4), (at += 4), view.getInt32(at - 4, true));
  const u64 = () => {
    need(8);
    const n = view.getBigUint64(at, true);
    at += 8;
    if (n > BigInt(bytes.length)) fail(`a length of ${n} bytes is longer than the pickle`);
    return Number(n);
  };
  const take = (n: number) => (need(n), (at += n), bytes.subarray(at - n, at));
  const line = () => {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0) fail('a text argument has no end of line');
    const s = text.decode(bytes.subarray(at, end));
    at = end + 1;
    return s;
  };
  const push = (v: PickleValue) => {
    if (stack.length >= MAX_STACK) fail(`the stack grows past ${MAX_STACK} items`);
    stack.push(v);
  };
  const pop = (): PickleValue => {
    if (stack.length === 0) fail('an opcode pops from an empty stack');
    return stack.pop()!;
  };
  const top = (): PickleValue => {
    if (stack.length === 0) fail('an opcode needs a value on the stack');
    return stack[stack.length - 1]!;
  };
  const popMark = (): PickleValue[] => {
    const items = stack;
    const previous = marks.pop();
    if (!previous) fail('an opcode needs a MARK that was never pushed');
    stack = previous!;
    return items;
  };
  const asDict = (v: PickleValue, op: string): Map<PickleValue, PickleValue> => {
    if (!(v instanceof Map)) fail(`${op} applies to a ${describe(v)}, not a dict`);
    return v as Map<PickleValue, PickleValue>;
  };
  const asList = (v: PickleValue, op: string): PickleValue[] => {
    if (!Array.isArray(v)) fail(`${op} applies to a ${describe(v)}, not a list`);
    return v as PickleValue[];
  };
  const apply = (callable: PickleValue, args: PickleValue, op: string): PickleValue => {
    if (!isCallable(callable)) fail(`${op} calls a ${describe(callable)}, which is not an allowed global`);
    if (!(args instanceof PickleTuple)) fail(`${op} passes a ${describe(args)} as arguments, not a tuple`);
    return (callable as PickleCallable).call((args as PickleTuple).items);
  };
  const getMemo = (key: number) => {
    if (!memo.has(key)) fail(`memo slot ${key} is read before it is written`);
    return memo.get(key)!;
  };
  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail('the protocol is newer than 5');
        break;
      case 0x95: // FRAME: a size hint only
        u64();
        break;
      case 0x2e: // STOP
        return pop();
      case 0x28: // MARK
        marks.push(stack);
        stack = [];
        break;
      case 0x7d: // EMPTY_DICT
        push(new Map());
        break;
      case 0x5d: // EMPTY_LIST
        push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        push(new PickleTuple([]));
        break;
      case 0x8f: // EMPTY_SET: kept as a list
        push([]);
        break;
      case 0x74: // TUPLE
        push(new PickleTuple(popMark()));
        break;
      case 0x85: // TUPLE1
        push(new PickleTuple([pop()]));
        break;
      case 0x86: { // TUPLE2
        const b = pop();
        push(new PickleTuple([pop(), b]));
        break;
      }
      case 0x87: { // TUPLE3
        const c = pop();
        const b = pop();
        push(new PickleTuple([pop(), b, c]));
        break;
      }
      case 0x6c: // LIST
        push(popMark());
        break;
      case 0x64: { // DICT
        const items = popMark();
        const dict = new Map<PickleValue, PickleValue>();
        for (let k = 0; k + 1 < items.length; k += 2) dict.set(items[k]!, items[k + 1]!);
        push(dict);
        break;
      }
      case 0x61: { // APPEND
        const v = pop();
        asList(top(), 'APPEND').push(v);
        break;
      }
      case 0x65: { // APPENDS
        const items = popMark();
        asList(top(), 'APPENDS').push(...items);
        break;
      }
      case 0x90: { // ADDITEMS (to a set kept as a list)
        const items = popMark();
        asList(top(), 'ADDITEMS').push(...items);
        break;
      }
      case 0x73: { // SETITEM
        const v = pop();
        const k = pop();
        asDict(top(), 'SETITEM').set(k, v);
        break;
      }
      case 0x75: { // SETITEMS
        const items = popMark();
        const dict = asDict(top(), 'SETITEMS');
        if (items.length % 2 !== 0) fail('SETITEMS has an odd number of items');
        for (let k = 0; k < items.length; k += 2) dict.set(items[k]!, items[k + 1]!);
        break;
      }
      case 0x4e: // NONE
        push(null);
        break;
      case 0x88: // NEWTRUE
        push(true);
        break;
      case 0x89: // NEWFALSE
        push(false);
        break;
      case 0x4b: // BININT1
        push(u8());
        break;
      case 0x4d: // BININT2
        push(u16());
        break;
      case 0x4a: // BININT
        push(i32());
        break;
      case 0x8a: { // LONG1
        const n = u8();
        push(littleEndianSigned(take(n)));
        break;
      }
      case 0x8b: // LONG4
        push(littleEndianSigned(take(u32())));
        break;
      case 0x47: // BINFLOAT (big-endian f64)
        need(8);
        push(view.getFloat64(at, false));
        at += 8;
        break;
      case 0x58: // BINUNICODE
        push(text.decode(take(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        push(text.decode(take(u8())));
        break;
      case 0x8d: // BINUNICODE8
        push(text.decode(take(u64())));
        break;
      case 0x54: // BINSTRING
        push(text.decode(take(u32())));
        break;
      case 0x55: // SHORT_BINSTRING
        push(text.decode(take(u8())));
        break;
      case 0x42: // BINBYTES
        push(take(u32()).slice());
        break;
      case 0x43: // SHORT_BINBYTES
        push(take(u8()).slice());
        break;
      case 0x8e: // BINBYTES8
        push(take(u64()).slice());
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
        push(getMemo(u8()));
        break;
      case 0x6a: // LONG_BINGET
        push(getMemo(u32()));
        break;
      case 0x63: { // GLOBAL 'module\nname\n'
        const module = line();
        push(hooks.resolveGlobal(module, line()));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings');
        push(hooks.resolveGlobal(module as string, name as string));
        break;
      }
      case 0x52: { // REDUCE
        const args = pop();
        push(apply(pop(), args, 'REDUCE'));
        break;
      }
      case 0x81: { // NEWOBJ
        const args = pop();
        push(apply(pop(), args, 'NEWOBJ'));
        break;
      }
      case 0x62: // BUILD: the state of an allowed object (e.g. a state dict's _metadata) is data we do not need
        pop();
        top();
        break;
      case 0x51: // BINPERSID
        push(hooks.persistentLoad(pop()));
        break;
      case 0x30: // POP
        if (stack.length === 0 && marks.length > 0) popMark();
        else pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        push(top());
        break;
      default:
        fail(`opcode 0x${op.toString(16).padStart(2, '0')} is not one torch.save writes (refused)`);
    }
  }
}

function isCallable(v: PickleValue): v is PickleCallable {
  return typeof v === 'object' && v !== null && typeof (v as PickleCallable).call === 'function' && typeof (v as PickleCallable).qualifiedName === 'string';
}

/** Python's two's-complement little-endian integers (LONG1/LONG4): a number when safe, else a bigint. */
function littleEndianSigned(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let n = 0n;
  for (let k = bytes.length - 1; k >= 0; k--) n = (n << 8n) | BigInt(bytes[k]!);
  if (bytes[bytes.length - 1]! & 0x80) n -= 1n << BigInt(8 * bytes.length);
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** A short description of a value's kind, for error messages. */
export function describe(v: PickleValue): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return 'list';
  if (v instanceof PickleTuple) return 'tuple';
  if (v instanceof Map) return 'dict';
  if (v instanceof Uint8Array) return 'bytes';
  if (isCallable(v)) return `global ${printable(v.qualifiedName)}`;
  return typeof v;
}
