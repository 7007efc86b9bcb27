import vscode = require('vscode');
import { localCredentialsExist } from '../aws/localCredentials';
import type { AwsSession } from './awsSession';
import { CONTEXT, SHELL_COMMAND } from './ids';
import { pickProfile, pickRegions } from './pickers';
import { ProfileStatusBar } from './profileStatusBar';
import type { Shell } from './shell';
import { registerShellCommands } from './shellCommands';
import type { ErrorNode } from './tree';

/**
 * The half of the shell the first frame does not need, run just after activation (from dist/features.js, before
 * the features): the shell's own command handlers (their placeholders were registered at activation), the
 * profile status bar, and the context keys the views' welcome content reads.
 */
export function startShell(shell: Shell): void {
  const { commands, session, context } = shell;
  registerShellCommands(shell, { pickProfile, pickRegions });
  commands.register(SHELL_COMMAND.retryNode, (node) => (node as ErrorNode | undefined)?.retry());
  context.subscriptions.push(
    new ProfileStatusBar(session),
    session.onDidChange(() => void publishContextKeys(session)),
    // Trusting the folder lets its restricted settings (opsdeck.endpointUrl, opsdeck.profile, …) apply: read them again.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      shell.log.info('workspace trusted: reading the workspace settings again and refreshing the views');
      session.reload();
    }),
  );
  void publishContextKeys(session);
}

/** Local checks only (files and env): they must not touch the network. */
export async function publishContextKeys(session: AwsSession): Promise<void> {
  const settings = session.settings;
  await vscode.commands.executeCommand('setContext', CONTEXT.regionsChosen, settings.regions.length > 0);
  await vscode.commands.executeCommand('setContext', CONTEXT.credentialsFound, localCredentialsExist(settings));
}
