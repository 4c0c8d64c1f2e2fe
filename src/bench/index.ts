export { benchCases, benchFlops, benchOps, benchShapeFields, benchShapeLabel, type BenchCase, type BenchOp, type BenchSelection } from './benchCase.js';
export { prepareBenchCall } from './benchInputs.js';
export { runBenchCase, type BenchRecord } from './runBenchCase.js';
