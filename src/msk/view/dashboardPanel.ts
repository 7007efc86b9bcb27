import * as crypto from 'crypto';
import vscode = require('vscode');
import { isCancellation } from '../../aws/cancellation';
import { toActionableError } from '../../aws/errors';
import type { Shell } from '../../shell/shell';
import type { DashboardData, ToWebview } from '../core/protocol';
import { webviewAction } from '../core/protocol';
import { nextPollDelayMs } from '../core/polling';
import type { KafkaMapping } from '../core/types';
import { DASHBOARD_VIEW_TYPE } from '../ids';
import { readMskSettings } from './settings';

export interface DashboardTarget {
  readonly region: string;
  readonly functionName: string;
  readonly functionArn: string;
  readonly mappings: readonly KafkaMapping[];
}

/**
 * The seed article's dashboard for one function (OffsetLag, Duration, Errors + Invocations, BytesInPerSec) in a
 * webview: one panel per function (a second open reveals it), strict CSP with a nonce, scripts only from
 * dist/webview, a typed message protocol with a `ready` handshake, refresh in place, and polling only while the
 * panel is visible.
 */
export class DashboardPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, DashboardPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private rangeId = '1h';
  private load: AbortController | undefined;
  /** A load is in flight (a second refresh or the same range is not started again). */
  private loading = false;
  /** Messages from the webview that were ignored as invalid (only the first few are logged). */
  private rejected = 0;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  /** The last data posted (the exthost test reads it). */
  lastData: DashboardData | undefined;
  renderedCharts = 0;

  static createOrShow(shell: Shell, target: DashboardTarget): DashboardPanel {
    const key = `${target.region}|${target.functionArn}`;
    const existing = DashboardPanel.panels.get(key);
    if (existing) {
      existing.target = target;
      existing.panel.reveal();
      void existing.refresh();
      return existing;
    }
    const webviewRoot = vscode.Uri.joinPath(shell.context.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, `MSK: ${target.functionName}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [webviewRoot],
      retainContextWhenHidden: false,
    });
    const created = new DashboardPanel(shell, panel, target, webviewRoot, key);
    DashboardPanel.panels.set(key, created);
    return created;
  }

  static all(): DashboardPanel[] {
    return [...DashboardPanel.panels.values()];
  }

  static anyVisible(): boolean {
    return DashboardPanel.all().some((p) => p.panel.visible);
  }

  private constructor(private readonly shell: Shell, readonly panel: vscode.WebviewPanel, private target: DashboardTarget, private readonly root: vscode.Uri, private readonly key: string) {
    panel.iconPath = new vscode.ThemeIcon('graph-line');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((msg: unknown) => this.onMessage(msg)),
      panel.onDidChangeViewState(() => {
        // A hidden panel's webview is torn down (no retainContext): wait for its next `ready`.
        if (!panel.visible) {
          this.ready = false;
          this.stopTimer();
        }
      }),
    );
  }

  /** Every message from the webview is untrusted input: validated in core/protocol.ts, anything else ignored and logged. */
  private onMessage(msg: unknown): void {
    const action = webviewAction(msg, { rangeId: this.rangeId, loading: this.loading });
    switch (action.kind) {
      case 'ignore':
        if (action.reason.startsWith('not a known message')) this.logRejected(action.reason);
        break;
      case 'ready':
        this.ready = true;
        void this.refresh();
        break;
      case 'load':
        this.rangeId = action.rangeId;
        void this.refresh();
        break;
      case 'rendered':
        this.renderedCharts = action.charts;
        break;
    }
  }

  private logRejected(reason: string): void {
    this.rejected++;
    if (this.rejected <= 5) this.shell.log.warn(`msk dashboard ${this.target.functionName}: ignored a message from the webview: ${reason}${this.rejected === 5 ? ' (further ones are not logged)' : ''}`);
  }

  private post(msg: ToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(msg);
  }

  async refresh(): Promise<void> {
    if (!this.ready) return;
    this.load?.abort();
    const controller = (this.load = new AbortController());
    this.loading = true;
    this.stopTimer();
    this.post({ type: 'loading', rangeId: this.rangeId });
    try {
      const data = await this.shell.session.core().msk.functionDashboard(this.shell.session.factory(), {
        region: this.target.region,
        functionName: this.target.functionName,
        mappings: this.target.mappings,
        rangeId: this.rangeId,
        thresholds: readMskSettings().thresholds,
        signal: controller.signal,
      });
      if (controller.signal.aborted) return;
      this.failures = 0;
      this.lastData = data;
      this.post({ type: 'data', data });
    } catch (err) {
      if (controller.signal.aborted || isCancellation(err)) return;
      this.failures++;
      this.shell.log.error(`msk dashboard ${this.target.functionName} failed`, err);
      this.post({ type: 'error', message: toActionableError(err, this.shell.session.errorContext(this.target.region, 'cloudwatch:GetMetricData')).message });
    } finally {
      if (this.load === controller) {
        this.loading = false;
        this.schedule();
      }
    }
  }

  private schedule(): void {
    const s = readMskSettings();
    const delay = nextPollDelayMs({ intervalSeconds: s.pollIntervalSeconds, failures: this.failures, viewVisible: false, dashboardVisible: this.panel.visible, background: false });
    if (delay !== undefined) this.timer = setTimeout(() => void this.refresh(), delay);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = crypto.randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.root, 'msk-dashboard.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.root, 'msk-dashboard.css'));
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
      `font-src ${webview.cspSource}`,
    ].join('; ');
    const t = escapeHtml(this.target.functionName);
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}" nonce="${nonce}">
<title>MSK: ${t}</title>
</head>
<body>
<header>
  <h1 id="title">${t} · ${escapeHtml(this.target.region)}</h1>
  <div class="controls">
    <label for="range">Time range</label>
    <select id="range">
      <option value="1h">1 hour</option><option value="3h">3 hours</option><option value="12h">12 hours</option><option value="1d">1 day</option><option value="7d">7 days</option>
    </select>
    <button id="refresh" type="button" title="Refresh">Refresh</button>
    <span id="status" role="status" aria-live="polite">Loading…</span>
  </div>
</header>
<section id="verdicts" aria-label="Verdicts"></section>
<main id="charts">
  <figure class="chart" data-chart="lag"><figcaption>OffsetLag (records, max)</figcaption><div class="plot"></div></figure>
  <figure class="chart" data-chart="duration"><figcaption>Duration (ms, average)</figcaption><div class="plot"></div></figure>
  <figure class="chart" data-chart="errors"><figcaption>Errors and Invocations (sum)</figcaption><div class="plot"></div></figure>
  <figure class="chart" data-chart="bytesIn"><figcaption>BytesInPerSec (topic, all brokers)</figcaption><div class="plot"></div></figure>
</main>
<ul id="notes"></ul>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.stopTimer();
    this.load?.abort();
    DashboardPanel.panels.delete(this.key);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
