/**
 * Node entry of the numeric core: registers every backend Node can run, highest priority first
 * under 'auto': native (OpenBLAS/LAPACKE addon, where it was built), wasm (always), js (reference).
 * Browser code imports src/linalg/index.ts and registers wasm/js itself.
 */
import { registerBackend } from './registry.js';
import { setUninitializedAllocator, type DType } from './matrix.js';
import { nativeBackendFactory } from './backends/native/index.js';
import { wasmBackendFactory } from './backends/wasm/nodeHost.js';
import { jsBackendFactory } from './backends/js/index.js';

registerBackend(nativeBackendFactory);
registerBackend(wasmBackendFactory);
registerBackend(jsBackendFactory);

// Outputs that are overwritten completely (a new GEMM result) skip zero-filling in Node.
setUninitializedAllocator((length: number, dtype: DType) => {
  const bytesPerElement = dtype === 'f32' ? 4 : 8;
  const buffer = Buffer.allocUnsafeSlow(length * bytesPerElement); // its own ArrayBuffer, offset 0
  return dtype === 'f32' ? new Float32Array(buffer.buffer, buffer.byteOffset, length) : new Float64Array(buffer.buffer, buffer.byteOffset, length);
});

export * from './index.js';
