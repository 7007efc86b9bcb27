import * as vscode from 'vscode';
import { isCoreLoaded } from './coreLoader';
import { loadFeaturesSoon } from './featureLoader';
import { AwsSession } from './shell/awsSession';
import { CommandRegistry } from './shell/commands';
import { SHELL_COMMAND } from './shell/ids';
import { Logger } from './shell/log';
import { pickProfile, pickRegions } from './shell/pickers';
import { ProfileStatusBar } from './shell/profileStatusBar';
import type { Shell } from './shell/shell';
import type { ErrorNode } from './shell/tree';
import { registerShellCommands } from './shell/shellCommands';

/** What activate() returns: a small surface for OpsDeck's own extension-host tests. */
export interface OpsDeckApi {
  readonly registeredCommands: () => string[];
  readonly isCoreLoaded: () => boolean;
  readonly shell: Shell;
  /** Settles when the five features have registered their views and commands (just after activation). */
  readonly featuresReady: Promise<void>;
}

/**
 * Activation wires the shell (log, session, status bar, shell commands) and placeholders for the features'
 * commands. It does no network I/O and loads no AWS SDK module: the features' views load right after
 * (dist/features.js), and the SDK arrives with dist/core.js the first time a view or command needs AWS.
 */
export function activate(context: vscode.ExtensionContext): OpsDeckApi {
  const channel = vscode.window.createOutputChannel('AWS OpsDeck', { log: true });
  const log = new Logger(channel);
  const version = String((context.extension.packageJSON as { version?: string }).version ?? '0.0.0');
  const session = new AwsSession(version, log.child('aws'));
  const commands = new CommandRegistry(context, log, () => session.errorContext());
  const shell: Shell = { context, log, session, commands };
  context.subscriptions.push(channel, session, new ProfileStatusBar(session));

  registerShellCommands(shell, { pickProfile, pickRegions });
  commands.register(SHELL_COMMAND.retryNode, (node) => (node as ErrorNode | undefined)?.retry());

  // The features' code loads after activation returns; their commands exist from now on and wait for it.
  const featuresReady = loadFeaturesSoon(shell);
  const contributed = ((context.extension.packageJSON as { contributes?: { commands?: Array<{ command: string }> } }).contributes?.commands ?? []).map((c) => c.command);
  commands.registerPlaceholders(contributed, featuresReady);

  log.info(`AWS OpsDeck ${version} activated`);
  return { registeredCommands: () => commands.registeredIds(), isCoreLoaded, shell, featuresReady };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
