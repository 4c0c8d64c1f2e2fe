export * from './resultsStore.js';
export * from './exportRuns.js';
export * from './sweepReportData.js';
export * from './runSweep.js';
