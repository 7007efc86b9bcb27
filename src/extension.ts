import vscode = require('vscode');
import { isCoreLoaded } from './coreLoader';
import { loadFeaturesSoon } from './featureLoader';
import { AwsSession } from './shell/awsSession';
import { CommandRegistry } from './shell/commands';
import { SHELL_COMMAND } from './shell/ids';
import { LazyLogChannel, Logger } from './shell/log';
import type { Shell } from './shell/shell';

/** What activate() returns: a small surface for OpsDeck's own extension-host tests. */
export interface OpsDeckApi {
  readonly registeredCommands: () => string[];
  readonly isCoreLoaded: () => boolean;
  readonly shell: Shell;
  /** Settles when the shell has started and the five features have registered their views and commands (just after activation). */
  readonly featuresReady: Promise<void>;
}

/**
 * Activation registers every contributed command, as a placeholder that waits for its handler (Show Log has
 * its own), and nothing else: any of them can be what activates OpsDeck. On the next turn of the event loop (dist/features.js) the
 * shell starts (its command handlers, the status bar, the context keys for the welcome views) and the
 * features' views and commands register. Neither step does network I/O or loads an AWS SDK module: the SDK
 * arrives with dist/core.js the first time a view or command needs AWS. The log channel is created on the
 * first line written.
 */
export function activate(context: vscode.ExtensionContext): OpsDeckApi {
  const channel = new LazyLogChannel('AWS OpsDeck');
  const log = new Logger(channel);
  const manifest = context.extension.packageJSON as { version?: string; contributes?: { commands?: Array<{ command: string }> } };
  const version = String(manifest.version ?? '0.0.0');
  const session = new AwsSession(version, log.child('aws'));
  const commands = new CommandRegistry(context, log, () => session.errorContext());
  const shell: Shell = { context, log, session, commands };
  context.subscriptions.push(channel, session);

  // Show Log works even if dist/features.js fails to load: it is where that failure is reported.
  commands.register(SHELL_COMMAND.showLog, () => log.show());
  const featuresReady = loadFeaturesSoon(shell, () => log.info(`AWS OpsDeck ${version} activated`));
  commands.registerPlaceholders((manifest.contributes?.commands ?? []).map((c) => c.command), featuresReady);

  return { registeredCommands: () => commands.registeredIds(), isCoreLoaded, shell, featuresReady };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
