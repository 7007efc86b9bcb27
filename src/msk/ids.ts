/** The MSK feature's command and setting ids (the manifest check compares them with package.json). */
export const MSK_COMMAND = {
  refresh: 'opsdeck.msk.refresh',
  openDashboard: 'opsdeck.msk.openDashboard',
  copyUuid: 'opsdeck.msk.copyMappingUuid',
  openInConsole: 'opsdeck.msk.openInConsole',
} as const;

export const MSK_SETTING = {
  windowMinutes: 'msk.windowMinutes',
  allowedLag: 'msk.allowedLag',
  stalledMinutes: 'msk.stalledMinutes',
  pollIntervalSeconds: 'msk.pollIntervalSeconds',
  backgroundPolling: 'msk.backgroundPolling',
  notifications: 'msk.notifications',
  checkCertificates: 'msk.checkCertificates',
  certificateWarningDays: 'msk.certificateWarningDays',
} as const;

export const DASHBOARD_VIEW_TYPE = 'opsdeck.msk.dashboard';
