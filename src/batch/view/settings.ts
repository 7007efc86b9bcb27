import vscode = require('vscode');
import { DEFAULT_THRESHOLD_MINUTES, type Thresholds } from '../core/evaluate';
import { BATCH_SETTING } from './ids';

export interface BatchSettings {
  readonly thresholds: Thresholds;
  readonly alerts: boolean;
  readonly pollIntervalSeconds: number;
}

/** Reads `opsdeck.batch.*`; the pure code only ever sees these plain values. */
export function readBatchSettings(): BatchSettings {
  const c = vscode.workspace.getConfiguration('opsdeck');
  const perQueue = c.get<Record<string, number>>(BATCH_SETTING.queueThresholds, {}) ?? {};
  return {
    thresholds: { defaultMinutes: c.get<number>(BATCH_SETTING.threshold, DEFAULT_THRESHOLD_MINUTES), perQueue },
    alerts: c.get<boolean>(BATCH_SETTING.alerts, false),
    pollIntervalSeconds: c.get<number>(BATCH_SETTING.pollInterval, 300),
  };
}

export function affectsBatchSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return Object.values(BATCH_SETTING).some((k) => e.affectsConfiguration(`opsdeck.${k}`));
}
