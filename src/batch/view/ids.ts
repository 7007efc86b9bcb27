/** The Batch feature's command, setting and context-key ids (the manifest check covers them). */
export const BATCH_COMMAND = {
  refresh: 'opsdeck.batch.refresh',
  showAllQueues: 'opsdeck.batch.showAllQueues',
  showProblemQueues: 'opsdeck.batch.showProblemQueues',
  cancelJobs: 'opsdeck.batch.cancelJobs',
  copyJobId: 'opsdeck.batch.copyJobId',
  openInConsole: 'opsdeck.batch.openInConsole',
  setTimeLimit: 'opsdeck.batch.setRunnableTimeLimit',
  showView: 'opsdeck.batch.showView',
} as const;

export const BATCH_SETTING = {
  threshold: 'batch.stuckThresholdMinutes',
  queueThresholds: 'batch.queueThresholds',
  alerts: 'batch.alerts',
  pollInterval: 'batch.pollIntervalSeconds',
} as const;

export const BATCH_CONTEXT = {
  showAll: 'opsdeck.batch.showAll',
} as const;
