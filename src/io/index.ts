// Node file access: configs, .npy files, checkpoints, run folders. The public surface of src/io.
export * from './loadConfig.js';
export * from './loadInitArrays.js';
export * from './npyFile.js';
export * from './runOutput.js';
export * from './safetensorsFile.js';
export * from './checkpointTensors.js';
export * from './eigenvaluesFile.js';
export * from './analyzeCheckpoint.js';
export * from './analyzeJson.js';
