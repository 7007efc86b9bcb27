import vscode = require('vscode');
import { EXPIRY_WARNING_DAYS } from '../core/certificate';
import { DEFAULT_THRESHOLDS, DEFAULT_WINDOW_MINUTES, type Thresholds } from '../core/types';
import { MSK_SETTING } from '../ids';

export interface MskSettings {
  readonly windowMinutes: number;
  readonly thresholds: Thresholds;
  readonly pollIntervalSeconds: number;
  readonly backgroundPolling: boolean;
  readonly notifications: boolean;
  readonly checkCertificates: boolean;
  readonly certificateWarningDays: number;
}

const num = (c: vscode.WorkspaceConfiguration, key: string, fallback: number, min: number): number => {
  const v = c.get<number>(key, fallback);
  return typeof v === 'number' && Number.isFinite(v) && v >= min ? v : fallback;
};

/** The feature's settings as plain values for the pure code. */
export function readMskSettings(): MskSettings {
  const c = vscode.workspace.getConfiguration('opsdeck');
  return {
    windowMinutes: num(c, MSK_SETTING.windowMinutes, DEFAULT_WINDOW_MINUTES, 5),
    thresholds: {
      allowedLag: num(c, MSK_SETTING.allowedLag, DEFAULT_THRESHOLDS.allowedLag, 0),
      stalledMinutes: num(c, MSK_SETTING.stalledMinutes, DEFAULT_THRESHOLDS.stalledMinutes, 1),
      minSamples: DEFAULT_THRESHOLDS.minSamples,
    },
    pollIntervalSeconds: num(c, MSK_SETTING.pollIntervalSeconds, 300, 0),
    backgroundPolling: c.get<boolean>(MSK_SETTING.backgroundPolling, false),
    notifications: c.get<boolean>(MSK_SETTING.notifications, true),
    checkCertificates: c.get<boolean>(MSK_SETTING.checkCertificates, false),
    certificateWarningDays: num(c, MSK_SETTING.certificateWarningDays, EXPIRY_WARNING_DAYS, 1),
  };
}

export const affectsMsk = (e: vscode.ConfigurationChangeEvent): boolean => e.affectsConfiguration('opsdeck.msk');
