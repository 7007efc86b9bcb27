import vscode = require('vscode');
import { allStuck } from '../core/evaluate';
import { alertText } from '../core/polling';
import type { HealthReport } from '../core/types';
import { BATCH_COMMAND } from './ids';

/** "$(warning) Batch: 3 stuck", hidden when nothing is stuck; a click reveals the Batch Health view. */
export class BatchAlertStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('opsdeck.batch.alert', vscode.StatusBarAlignment.Left, 49);

  constructor() {
    this.item.name = 'AWS OpsDeck: Batch stuck jobs';
    this.item.command = BATCH_COMMAND.showView;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
  }

  /** Renders from a report; undefined (no data) hides the item. */
  render(report: HealthReport | undefined): void {
    const text = report ? alertText(report.stuckCount) : undefined;
    if (!text || !report) {
      this.item.hide();
      return;
    }
    this.item.text = text;
    const byQueue = new Map<string, number>();
    for (const { region, queue } of allStuck(report)) byQueue.set(`${queue.queue.name} (${region})`, (byQueue.get(`${queue.queue.name} (${region})`) ?? 0) + 1);
    const lines = [...byQueue].map(([q, n]) => `- ${q}: ${n}`).join('\n');
    this.item.tooltip = new vscode.MarkdownString(`**AWS Batch: ${report.stuckCount} stuck job${report.stuckCount === 1 ? '' : 's'}**\n\n${lines}\n\nChecked ${new Date(report.generatedAt).toLocaleTimeString()}. Click to open Batch Health.`);
    this.item.show();
  }

  get text(): string | undefined {
    return this.item.text || undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
