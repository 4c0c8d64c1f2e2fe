export * from './halfPrecision.js';
export * from './floatElements.js';
export * from './npyHeader.js';
export * from './npy.js';
export * from './safetensors.js';
export * from './safetensorsWriter.js';
