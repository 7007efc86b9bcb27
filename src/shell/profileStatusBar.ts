import vscode = require('vscode');
import { episodeStatus } from '../aws/retryEpisodes';
import type { AwsSession } from './awsSession';
import { SHELL_COMMAND } from './ids';

/**
 * "$(cloud) profile · 3 Regions" — click to switch profile. Re-rendered from the session on every change. While
 * the SDK is retrying calls because AWS throttles or fails (AwsSession.retrying), it shows
 * "$(sync~spin) AWS throttling: retrying" on a warning background, the tooltip naming service, Region and counts,
 * and returns to the profile once calls have succeeded for a few seconds.
 */
export class ProfileStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('opsdeck.profile', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly session: AwsSession) {
    this.item.name = 'AWS OpsDeck: Profile';
    this.item.command = SHELL_COMMAND.selectProfile;
    this.subscriptions = [session.onDidChange(() => this.render()), session.onDidChangeRetrying(() => this.render())];
    this.render();
    this.item.show();
  }

  private render(): void {
    const { regions, endpointUrl } = this.session.settings;
    const regionText = regions.length === 0 ? 'no Regions' : regions.length === 1 ? regions[0] : `${regions.length} Regions`;
    const episode = this.session.retrying;
    const retrying = episode ? episodeStatus(episode) : undefined;
    this.item.text = retrying ? retrying.text : `$(cloud) ${this.session.profileName} · ${regionText}`;
    this.item.backgroundColor = retrying ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const tooltip = new vscode.MarkdownString(
      (retrying ? `**${retrying.tooltip[0]}**\n\n${retrying.tooltip.slice(1).map((l) => `- ${l}`).join('\n')}\n\n---\n\n` : '') +
        `**AWS OpsDeck**\n\nProfile: \`${this.session.profileName}\`\n\nRegions: ${regions.join(', ') || '_none chosen_'}` +
        (endpointUrl ? `\n\nEndpoint: \`${endpointUrl}\`` : '') +
        `\n\n[Switch profile](command:${SHELL_COMMAND.selectProfile}) · [Select Regions](command:${SHELL_COMMAND.selectRegions})`,
    );
    tooltip.isTrusted = { enabledCommands: [SHELL_COMMAND.selectProfile, SHELL_COMMAND.selectRegions] };
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
