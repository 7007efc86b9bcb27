import vscode = require('vscode');
import type { Shell } from '../../shell/shell';
import { allMappings, diffVerdicts, type KnownVerdicts } from '../core/report';
import type { HealthReport, MappingHealth } from '../core/types';
import { readMskSettings } from './settings';

/**
 * The latest MSK health report, shared by the tree, the status bar and the poller. One load at a time (a new
 * load aborts the previous); `onDidChange` fires with every new report; `onDidTransition` with the mappings that
 * just went bad (for one notification per transition, never per poll).
 */
export class HealthStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HealthReport | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly transitioned = new vscode.EventEmitter<MappingHealth[]>();
  readonly onDidTransition = this.transitioned.event;
  private current: HealthReport | undefined;
  /** Verdicts per Region; a Region that failed keeps its previous ones (report.ts diffVerdicts). */
  private previous: KnownVerdicts | undefined;
  private inflight: { controller: AbortController; promise: Promise<HealthReport> } | undefined;
  /** Milliseconds from the start of the last load to its report (the tree adds its rendering time). */
  lastLoadMs = 0;

  constructor(private readonly shell: Shell) {}

  get report(): HealthReport | undefined {
    return this.current;
  }

  /** Loads a fresh report; concurrent callers share the load in flight unless `force`. */
  load(signal?: AbortSignal, force = false): Promise<HealthReport> {
    if (this.inflight && !force) return this.inflight.promise;
    this.inflight?.controller.abort();
    const controller = new AbortController();
    signal?.addEventListener('abort', () => controller.abort(), { once: true });
    const started = Date.now();
    const promise = (async () => {
      const s = readMskSettings();
      const report = await this.shell.session.core().msk.mskHealth(this.shell.session.factory(), {
        regions: this.shell.session.settings.regions,
        windowMinutes: s.windowMinutes,
        thresholds: s.thresholds,
        checkCertificates: s.checkCertificates,
        certificateWarningDays: s.certificateWarningDays,
        signal: controller.signal,
      });
      this.lastLoadMs = Date.now() - started;
      const mappings = allMappings(report);
      const { bad, known } = diffVerdicts(this.previous, report);
      this.previous = known;
      this.current = report;
      this.shell.log.info(`msk: ${mappings.length} Kafka mappings, ${report.badCount} lagging, in ${this.lastLoadMs} ms (${Object.entries(report.calls ?? {}).map(([k, v]) => `${k} ${v}`).join(', ') || 'calls not counted'})`);
      this.changed.fire(report);
      if (bad.length) this.transitioned.fire(bad);
      return report;
    })();
    const entry = { controller, promise };
    this.inflight = entry;
    const clear = (): void => {
      if (this.inflight === entry) this.inflight = undefined;
    };
    promise.then(clear, clear);
    return promise;
  }

  /** Forget everything (profile or Region change): the next load starts from scratch, without stale alerts. */
  reset(): void {
    this.inflight?.controller.abort();
    this.inflight = undefined;
    this.current = undefined;
    this.previous = undefined;
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.inflight?.controller.abort();
    this.changed.dispose();
    this.transitioned.dispose();
  }
}
