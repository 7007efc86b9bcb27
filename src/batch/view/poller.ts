import vscode = require('vscode');
import { outcomeOfRegions, Poller } from '../../common/poller';
import { allStuck } from '../core/evaluate';
import { diffStuck, type KnownStuck } from '../core/polling';
import type { HealthReport } from '../core/types';
import type { Logger } from '../../shell/log';
import { BATCH_COMMAND } from './ids';
import type { BatchHealthModel } from './model';
import { readBatchSettings } from './settings';

/** First background check after the alert is armed (or its settings change). */
const FIRST_CHECK_MS = 2_000;

/**
 * Background checks while the alert is armed (`opsdeck.batch.alerts`), through the shared poller
 * (src/common/poller.ts): paused while the window is unfocused, jittered, backing off on throttling or errors,
 * and a refocus checks only when a check is due. A notification names only jobs that became stuck since they
 * were last seen (per Region: a Region that failed keeps what it had), so the same jobs never nag twice.
 */
export class BatchPoller implements vscode.Disposable {
  private readonly poller: Poller;
  private known: KnownStuck | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly model: BatchHealthModel, log: Logger, hasRegions: () => boolean) {
    this.poller = new Poller({
      check: async () => outcomeOfRegions((await this.model.load()).regions),
      intervalSeconds: () => readBatchSettings().pollIntervalSeconds,
      wanted: () => readBatchSettings().alerts && hasRegions(),
      firstDelayMs: FIRST_CHECK_MS,
      focused: vscode.window.state.focused,
      log: (m) => log.warn(`batch: ${m}`),
    });
    this.disposables.push(
      vscode.window.onDidChangeWindowState((s) => this.poller.setFocused(s.focused)),
      model.onDidChange((report) => report && this.observe(report)),
    );
  }

  /** Starts or stops according to the settings (call on start and when they change). */
  reconfigure(): void {
    if (!readBatchSettings().alerts) this.known = undefined;
    this.poller.restart(FIRST_CHECK_MS);
  }

  /** Profile or Regions changed: another account's jobs, nothing known yet. */
  reset(): void {
    this.known = undefined;
    this.poller.restart(FIRST_CHECK_MS);
  }

  /** Every report (manual or polled) updates what is known; only armed alerts notify. */
  private observe(report: HealthReport): void {
    // A manual refresh is a check too: the next background check is due an interval after it.
    this.poller.checkedElsewhere(outcomeOfRegions(report.regions));
    const { fresh, known } = diffStuck(this.known, report);
    this.known = known;
    if (!fresh.length || !readBatchSettings().alerts) return;
    const freshIds = new Set(fresh);
    const names = allStuck(report).filter((s) => freshIds.has(s.stuck.job.jobId)).slice(0, 3).map((s) => `${s.stuck.job.jobName} (${s.queue.queue.name}, ${s.stuck.status})`);
    const more = fresh.length > 3 ? ` and ${fresh.length - 3} more` : '';
    void vscode.window.showWarningMessage(`AWS Batch: ${fresh.length} job${fresh.length === 1 ? '' : 's'} newly stuck: ${names.join(', ')}${more}.`, 'Show').then((pick) => {
      if (pick) void vscode.commands.executeCommand(BATCH_COMMAND.showView);
    });
  }

  dispose(): void {
    this.poller.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
