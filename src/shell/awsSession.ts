import vscode = require('vscode');
import type { ClientFactory } from '../aws/clientFactory';
import type { ErrorContext } from '../aws/errors';
import { episodeLogLine, RetryEpisodes, type RetryEpisode } from '../aws/retryEpisodes';
import type { AttemptOutcome } from '../aws/retryObserver';
import { effectiveProfileName, type AwsConnectionSettings } from '../aws/target';
import { loadCore, type Core } from '../coreLoader';
import { SETTING } from './ids';
import type { Logger } from './log';
import { readConnectionSettings } from './settings';

/**
 * The active connection: profile, Regions, endpoint. It builds the client factory only when a view or command
 * first needs AWS (that is when the SDK is loaded), and rebuilds it when a connection setting changes, firing
 * `onDidChange` so every view refreshes.
 */
export class AwsSession implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AwsConnectionSettings>();
  readonly onDidChange = this.changed.event;
  // Read on first use, not at activation.
  private currentSettings: AwsConnectionSettings | undefined;
  private factoryCache: ClientFactory | undefined;
  private readonly retryChanged = new vscode.EventEmitter<void>();
  /** Fires when calls start or stop being retried because of throttling, 5xx or dropped connections. */
  readonly onDidChangeRetrying = this.retryChanged.event;
  private readonly episodes = new RetryEpisodes();
  private quietTimer: NodeJS.Timeout | undefined;
  private updateTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.retryChanged];

  constructor(private readonly version: string, private readonly log: Logger) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        const keys = [SETTING.profile, SETTING.regions, SETTING.endpointUrl, SETTING.maxAttempts, SETTING.requestTimeoutSeconds];
        if (keys.some((k) => e.affectsConfiguration(`${SETTING.section}.${k}`))) this.reload();
      }),
    );
  }

  get settings(): AwsConnectionSettings {
    return this.current;
  }

  private get current(): AwsConnectionSettings {
    return (this.currentSettings ??= readConnectionSettings());
  }

  get profileName(): string {
    return effectiveProfileName(this.current.profile);
  }

  /** The AWS half of OpsDeck (loads the SDK on first call). */
  core(): Core {
    return loadCore();
  }

  /** The client factory for the current connection, created on first use. */
  factory(): ClientFactory {
    if (!this.factoryCache) {
      const core = loadCore();
      this.log.info(`connecting as profile "${this.profileName}"${this.current.endpointUrl ? ` via ${this.current.endpointUrl}` : ''}`);
      this.factoryCache = core.createClientFactory({
        settings: this.current,
        version: this.version,
        mfaCodeProvider: (serial) => askMfaCode(serial),
        onCall: ({ service, operation, region, ms, error }) => {
          if (error) this.log.warn(`${service}.${operation} ${region} failed after ${ms} ms: ${(error as Error).name ?? ''} ${(error as Error).message ?? ''}`);
          else this.log.trace(`${service}.${operation} ${region} ${ms} ms`);
        },
        onAttempt: (outcome) => this.recordAttempt(outcome),
      });
    }
    return this.factoryCache;
  }

  /** The open retry episode (calls being retried because AWS throttles or fails), for the status bar. */
  get retrying(): RetryEpisode | undefined {
    return this.episodes.current;
  }

  private recordAttempt(outcome: AttemptOutcome): void {
    const change = this.episodes.record(outcome);
    if (change === 'started') this.retryChanged.fire();
    // Under 30% throttling attempts fail many times a second: the tooltip's counts are refreshed once a second.
    else if (change === 'updated') {
      this.updateTimer ??= setTimeout(() => {
        this.updateTimer = undefined;
        this.retryChanged.fire();
      }, 1000);
    }
    if (change) this.scheduleQuietCheck();
  }

  private scheduleQuietCheck(): void {
    if (this.quietTimer) return;
    const at = this.episodes.quietAt();
    if (at === undefined) return;
    this.quietTimer = setTimeout(() => {
      this.quietTimer = undefined;
      const now = Date.now();
      const ended = this.episodes.expire(now);
      if (ended) {
        this.log.warn(episodeLogLine(ended, now));
        this.retryChanged.fire();
      } else this.scheduleQuietCheck();
    }, Math.max(50, at - Date.now()));
  }

  private clearRetrying(): void {
    clearTimeout(this.quietTimer);
    clearTimeout(this.updateTimer);
    this.quietTimer = this.updateTimer = undefined;
    this.episodes.reset();
  }

  errorContext(region?: string, action?: string): ErrorContext {
    return { profile: this.profileName, region, action, endpointUrl: this.current.endpointUrl };
  }

  /** Re-reads settings (and, through `ignoreCache`, the AWS files) and tells every view. */
  reload(): void {
    this.currentSettings = readConnectionSettings();
    this.factoryCache?.dispose();
    this.factoryCache = undefined;
    this.clearRetrying();
    this.changed.fire(this.current);
  }

  dispose(): void {
    this.clearRetrying();
    this.factoryCache?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

async function askMfaCode(serial: string): Promise<string> {
  const code = await vscode.window.showInputBox({
    title: 'AWS OpsDeck: MFA code',
    prompt: `Enter the MFA code for ${serial}`,
    ignoreFocusOut: true,
    validateInput: (v) => (/^\d{6}$/.test(v.trim()) ? undefined : 'Six digits'),
  });
  if (!code) throw Object.assign(new Error('MFA code entry cancelled'), { name: 'UserCancelledError' });
  return code.trim();
}
