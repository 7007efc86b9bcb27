import vscode = require('vscode');
import type { RegionDrift } from '../core/plan';
import { renderDriftHtml, renderReportHtml } from '../core/reportHtml';
import type { PublishReport } from '../core/results';
import { LAYERS_COMMAND } from './ids';

/**
 * One webview panel per layer for its latest result table (created or revealed, never duplicated). It runs no
 * script; the only command link it may follow is "retry failed Regions" for that manifest.
 */
export class LayerReportPanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();

  showPublish(manifest: vscode.Uri, report: PublishReport): vscode.WebviewPanel {
    const panel = this.panel(`publish:${manifest.toString()}`, `Layer ${report.layerName}: publish`);
    const retryUri = `command:${LAYERS_COMMAND.retryFailed}?${encodeURIComponent(JSON.stringify([manifest.toString()]))}`;
    panel.webview.html = renderReportHtml(report, panel.webview.cspSource, retryUri);
    return panel;
  }

  showDrift(key: string, name: string, drift: readonly RegionDrift[], reference: string): vscode.WebviewPanel {
    const panel = this.panel(`drift:${key}`, `Layer ${name}: Regions`);
    panel.webview.html = renderDriftHtml(name, drift, reference, panel.webview.cspSource);
    return panel;
  }

  private panel(key: string, title: string): vscode.WebviewPanel {
    const existing = this.panels.get(key);
    if (existing) {
      existing.title = title;
      existing.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel('opsdeck.layers.report', title, { viewColumn: vscode.ViewColumn.Active, preserveFocus: true }, {
      enableScripts: false,
      enableCommandUris: [LAYERS_COMMAND.retryFailed],
      localResourceRoots: [],
    });
    panel.onDidDispose(() => this.panels.delete(key));
    this.panels.set(key, panel);
    return panel;
  }

  dispose(): void {
    for (const p of this.panels.values()) p.dispose();
    this.panels.clear();
  }
}
