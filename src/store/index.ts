export * from './resultsStore.js';
export * from './exportRuns.js';
export * from './sweepReportData.js';
export * from './runSweep.js';
export * from './coordinateSweep.js';
export * from './runQueueWorker.js';
export * from './queueAdmin.js';
export { redactedUrl } from './redisConnection.js';
