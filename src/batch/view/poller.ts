import * as vscode from 'vscode';
import { allStuck } from '../core/evaluate';
import { newlyStuck, nextPollDelayMs, type PollState } from '../core/polling';
import type { HealthReport } from '../core/types';
import type { Logger } from '../../shell/log';
import { BATCH_COMMAND } from './ids';
import type { BatchHealthModel } from './model';
import { readBatchSettings } from './settings';

/**
 * Background checks while the alert is armed (`opsdeck.batch.alerts`), paused while the window is unfocused,
 * jittered and backing off on throttling or errors. A notification names only jobs that became stuck since
 * the previous check, so the same jobs never nag twice.
 */
export class BatchPoller implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private state: PollState = { failures: 0, throttled: 0 };
  private known: Set<string> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly model: BatchHealthModel, private readonly log: Logger, private readonly hasRegions: () => boolean) {
    this.disposables.push(
      vscode.window.onDidChangeWindowState((s) => (s.focused ? this.schedule(5_000) : this.stop())),
      model.onDidChange((report) => report && this.observe(report)),
    );
  }

  /** Starts or stops according to the settings (call on start and when they change). */
  reconfigure(): void {
    this.stop();
    if (!readBatchSettings().alerts) {
      this.known = undefined;
      return;
    }
    this.schedule(2_000);
  }

  private get armed(): boolean {
    return readBatchSettings().alerts && this.hasRegions() && vscode.window.state.focused;
  }

  private schedule(delayMs?: number): void {
    this.stop();
    if (!this.armed) return;
    const delay = delayMs ?? nextPollDelayMs(readBatchSettings().pollIntervalSeconds, this.state);
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (!this.armed) return;
    try {
      const report = await this.model.load();
      const throttled = report.regions.some((r) => r.errorKind === 'throttled');
      const failed = report.regions.some((r) => r.error);
      this.state = { failures: failed ? this.state.failures + 1 : 0, throttled: throttled ? this.state.throttled + 1 : 0 };
    } catch (err) {
      const throttled = /throttl|rate exceeded|too many requests/i.test(String((err as Error)?.message ?? err));
      this.state = { failures: this.state.failures + 1, throttled: throttled ? this.state.throttled + 1 : this.state.throttled };
      this.log.warn(`batch: background check failed (${this.state.failures} in a row), backing off: ${(err as Error)?.message ?? err}`);
    }
    this.schedule();
  }

  /** Every report (manual or polled) updates what is known; only armed alerts notify. */
  private observe(report: HealthReport): void {
    const current = allStuck(report);
    const ids = current.map((s) => s.stuck.job.jobId);
    const fresh = newlyStuck(this.known, ids);
    this.known = new Set(ids);
    if (!fresh.length || !readBatchSettings().alerts) return;
    const names = current.filter((s) => fresh.includes(s.stuck.job.jobId)).slice(0, 3).map((s) => `${s.stuck.job.jobName} (${s.queue.queue.name}, ${s.stuck.status})`);
    const more = fresh.length > 3 ? ` and ${fresh.length - 3} more` : '';
    void vscode.window.showWarningMessage(`AWS Batch: ${fresh.length} job${fresh.length === 1 ? '' : 's'} newly stuck: ${names.join(', ')}${more}.`, 'Show').then((pick) => {
      if (pick) void vscode.commands.executeCommand(BATCH_COMMAND.showView);
    });
  }

  dispose(): void {
    this.stop();
    for (const d of this.disposables) d.dispose();
  }
}
