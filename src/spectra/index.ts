export { fitPowerLaw, POWER_LAW_METHODS } from './powerLawFit.js';
export type { PowerLawFit, PowerLawMethod } from './powerLawFit.js';
export { esdEigenvalues, type EsdPrecision, type EsdOptions } from './esdEigenvalues.js';
export { checkSpectrum, ZERO_RELATIVE_TOLERANCE } from './checkSpectrum.js';
export type { CheckedSpectrum } from './checkSpectrum.js';
export { fitSpectrum, SpectrumFit } from './spectrumFit.js';
export type { SpectrumFitOptions, CandidateComparison } from './spectrumFit.js';
export { CANDIDATES, fitCandidate, isNestedCandidate } from './candidates.js';
export type { CandidateName, CandidateFit } from './candidates.js';
export { loglikelihoodRatio } from './likelihoodRatio.js';
export type { LikelihoodRatioTest } from './likelihoodRatio.js';
export { bootstrapPowerLawPValue } from './bootstrapPValue.js';
export type { BootstrapResult } from './bootstrapPValue.js';
export { erfc, logErfc, chiSquareOneSurvival, upperIncompleteGamma, logUpperIncompleteGamma } from './specialFunctions.js';
export { marchenkoPasturDensity, marchenkoPasturEdges, MarchenkoPasturTable } from './marchenkoPasturLaw.js';
export type { MarchenkoPasturParameters } from './marchenkoPasturLaw.js';
export { fitMarchenkoPastur, marchenkoPasturEdgeMargin } from './marchenkoPasturFit.js';
export type { MarchenkoPasturFit } from './marchenkoPasturFit.js';
export { scaleMetrics } from './scaleMetrics.js';
export type { ScaleMetrics } from './scaleMetrics.js';
export { randomizedEsd } from './randomizedEsd.js';
export type { RandomizedEsd } from './randomizedEsd.js';
export { phaseLabel, phaseInputsOf, robustLambdaMax, PHASE_THRESHOLDS } from './phaseLabel.js';
export type { Phase, PhaseResult, PhaseInputs } from './phaseLabel.js';
export { diagnoseSpectrum, diagnoseMatrix } from './diagnose.js';
export type {
  SpectrumDiagnostics,
  MatrixDiagnostics,
  DiagnoseSpectrumOptions,
  DiagnoseMatrixOptions,
  GoodnessOfFit,
  GoodnessOfFitOptions,
  RandomizedComparison,
} from './diagnose.js';
