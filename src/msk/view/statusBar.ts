import vscode = require('vscode');
import { VIEW } from '../../shell/ids';
import { alertText, allMappings, isBad } from '../core/report';
import type { HealthReport } from '../core/types';

/** "$(pulse) MSK: 1 lagging" while any mapping is WARN, STALLED or ERROR; hidden otherwise. Click opens the view. */
export class MskStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('opsdeck.msk.alert', vscode.StatusBarAlignment.Left, 40);

  constructor() {
    this.item.name = 'AWS OpsDeck: MSK consumers';
    this.item.command = { command: `${VIEW.mskConsumers}.focus`, title: 'Show MSK Consumers' };
  }

  /** The text shown now (undefined = hidden); read by the extension-host test. */
  get text(): string | undefined {
    return this.shown ? this.item.text : undefined;
  }
  private shown = false;

  update(report: HealthReport | undefined): void {
    const text = report ? alertText(report.badCount) : undefined;
    if (!text || !report) {
      this.shown = false;
      this.item.hide();
      return;
    }
    const bad = allMappings(report).filter((m) => isBad(m.verdict));
    this.item.text = text;
    this.item.backgroundColor = bad.some((m) => m.verdict === 'ERROR') ? new vscode.ThemeColor('statusBarItem.errorBackground') : new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.tooltip = `MSK consumers lagging:\n${bad.map((m) => `${m.verdict} ${m.mapping.functionName} (${m.mapping.topic ?? m.mapping.uuid}, ${m.mapping.region}): ${m.trend}`).join('\n')}`;
    this.item.accessibilityInformation = { label: `MSK: ${bad.length} consumers lagging` };
    this.shown = true;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
