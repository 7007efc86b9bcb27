import vscode = require('vscode');
import type { AwsSession } from './awsSession';
import { SHELL_COMMAND } from './ids';

/** "$(cloud) profile · 3 Regions" — click to switch profile. Re-rendered from the session on every change. */
export class ProfileStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('opsdeck.profile', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: AwsSession) {
    this.item.name = 'AWS OpsDeck: Profile';
    this.item.command = SHELL_COMMAND.selectProfile;
    this.subscription = session.onDidChange(() => this.render());
    this.render();
    this.item.show();
  }

  private render(): void {
    const { regions, endpointUrl } = this.session.settings;
    const regionText = regions.length === 0 ? 'no Regions' : regions.length === 1 ? regions[0] : `${regions.length} Regions`;
    this.item.text = `$(cloud) ${this.session.profileName} · ${regionText}`;
    const tooltip = new vscode.MarkdownString(
      `**AWS OpsDeck**\n\nProfile: \`${this.session.profileName}\`\n\nRegions: ${regions.join(', ') || '_none chosen_'}` +
        (endpointUrl ? `\n\nEndpoint: \`${endpointUrl}\`` : '') +
        `\n\n[Switch profile](command:${SHELL_COMMAND.selectProfile}) · [Select Regions](command:${SHELL_COMMAND.selectRegions})`,
    );
    tooltip.isTrusted = { enabledCommands: [SHELL_COMMAND.selectProfile, SHELL_COMMAND.selectRegions] };
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
