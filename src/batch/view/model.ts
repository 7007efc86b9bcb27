import vscode = require('vscode');
import type { HealthReport } from '../core/types';
import type { Shell } from '../../shell/shell';
import { readBatchSettings } from './settings';

/**
 * The last Batch health report and how to get a new one. The tree, the status bar alert and the poller all read
 * it, so one fetch serves all three. A failed fetch is not cached: the next read tries again.
 */
export class BatchHealthModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HealthReport | undefined>();
  readonly onDidChange = this.changed.event;
  private last: HealthReport | undefined;
  private inflight: Promise<HealthReport> | undefined;
  /** The model's own signal: a tree re-render must not abort a fetch other readers are waiting for. */
  private controller = new AbortController();

  constructor(private readonly shell: Shell) {}

  get report(): HealthReport | undefined {
    return this.last;
  }

  /** The cached report, or a fetch when there is none yet. */
  current(): Promise<HealthReport> {
    return this.last ? Promise.resolve(this.last) : this.load();
  }

  /** Fetches now (joining a fetch already running) and tells every listener. `cancel` aborts it (user cancel). */
  load(cancel?: AbortSignal): Promise<HealthReport> {
    if (!this.inflight) {
      const signal = this.controller.signal;
      this.inflight = this.fetch(signal).finally(() => {
        this.inflight = undefined;
      });
    }
    cancel?.addEventListener('abort', () => this.abort(), { once: true });
    return this.inflight;
  }

  /** Drops the cached report (settings or connection changed), stops a running fetch, tells listeners. */
  invalidate(): void {
    this.abort();
    this.last = undefined;
    this.changed.fire(undefined);
  }

  private abort(): void {
    this.controller.abort();
    this.controller = new AbortController();
  }

  private async fetch(signal: AbortSignal): Promise<HealthReport> {
    const { regions } = this.shell.session.settings;
    const settings = readBatchSettings();
    const started = Date.now();
    const report = await this.shell.session.core().batch.batchHealth(this.shell.session.factory(), { regions, thresholds: settings.thresholds, signal });
    this.shell.log.info(`batch: ${report.stuckCount} stuck job(s) in ${regions.length} Region(s), ${Date.now() - started} ms`);
    this.last = report;
    this.changed.fire(report);
    return report;
  }

  dispose(): void {
    this.controller.abort();
    this.changed.dispose();
  }
}
