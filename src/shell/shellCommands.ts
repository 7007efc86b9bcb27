import { homedir } from 'os';
import { join } from 'path';
import vscode = require('vscode');
import { homeRegion } from '../aws/target';
import type { AwsSession } from './awsSession';
import { SHELL_COMMAND } from './ids';
import type { Shell } from './shell';

interface Pickers {
  pickProfile(session: AwsSession): Promise<void>;
  pickRegions(session: AwsSession): Promise<void>;
}

/** Commands of the shell itself: profile, Regions, refresh, settings, identity (Show Log is registered at activation). */
export function registerShellCommands(shell: Shell, pickers: Pickers): void {
  const { commands, session, log } = shell;
  commands.register(SHELL_COMMAND.selectProfile, () => pickers.pickProfile(session));
  commands.register(SHELL_COMMAND.selectRegions, () => pickers.pickRegions(session));
  commands.register(SHELL_COMMAND.refreshAll, () => session.reload());
  commands.register(SHELL_COMMAND.openSettings, () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:opsdeck.aws-opsdeck'));
  commands.register(SHELL_COMMAND.openAwsConfig, async () => {
    const file = process.env.AWS_CONFIG_FILE || join(homedir(), '.aws', 'config');
    await vscode.window.showTextDocument(vscode.Uri.file(file));
  });
  commands.register(SHELL_COMMAND.whoAmI, async () => {
    const region = homeRegion(session.settings);
    const id = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'AWS OpsDeck: Calling STS GetCallerIdentity…', cancellable: true },
      async (_p, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return session.core().getCallerIdentity(session.factory(), region, controller.signal);
      },
    );
    log.info(`whoami: account ${id.account}, ${id.arn}`);
    void vscode.window.showInformationMessage(`Profile "${session.profileName}" is ${id.arn} (account ${id.account}).`);
  });
}
