import type * as vscode from 'vscode';
import { registerBatchHealth } from './batch/view/register';
import { isCoreLoaded } from './coreLoader';
import { registerDevHosts } from './devhosts/view/register';
import { registerFleets } from './fleets/view/register';
import { registerLayers } from './layers/view/register';
import { registerMskConsumers } from './msk/view/register';
import { AwsSession } from './shell/awsSession';
import { CommandRegistry } from './shell/commands';
import { SHELL_COMMAND } from './shell/ids';
import { Logger } from './shell/log';
import { LazyLogChannel } from './shell/logChannel';
import type { Shell } from './shell/shell';
import { startShell } from './shell/start';

/** What the entry (extension.ts) gets back once this bundle has started. */
export interface Started {
  readonly shell: Shell;
  readonly commands: CommandRegistry;
  readonly isCoreLoaded: () => boolean;
}

/**
 * Everything after activation, bundled as dist/features.js and loaded by the entry on the next tick
 * (featureLoader.ts): the log channel, the AWS session and command registry, the shell's commands, status bar
 * and context keys, then the five features' VS Code layers. `routed` are the commands the entry registered
 * with VS Code at activation; their calls arrive through `commands.execute`.
 */
export function start(context: vscode.ExtensionContext, routed: ReadonlySet<string>): Started {
  const channel = new LazyLogChannel('AWS OpsDeck');
  const log = new Logger(() => channel.get());
  const version = String((context.extension.packageJSON as { version?: string }).version ?? '0.0.0');
  const session = new AwsSession(version, log.child('aws'));
  const commands = new CommandRegistry(context, log, () => session.errorContext(), routed);
  const shell: Shell = { context, log, session, commands };
  context.subscriptions.push(channel, session);
  commands.register(SHELL_COMMAND.showLog, () => log.show());
  log.info(`AWS OpsDeck ${version} activated`);
  registerFeatures(shell);
  log.info('features loaded');
  return { shell, commands, isCoreLoaded };
}

/** The shell's second half (its commands, status bar and context keys) and the five features' VS Code layers. */
export function registerFeatures(shell: Shell): void {
  const features: Array<[string, (shell: Shell) => void]> = [
    ['Shell', startShell],
    ['Mac dev hosts', registerDevHosts],
    ['Batch health', registerBatchHealth],
    ['MSK consumers', registerMskConsumers],
    ['Lambda layers', registerLayers],
    ['Outposts fleets', registerFleets],
  ];
  for (const [name, register] of features) {
    try {
      register(shell);
    } catch (err) {
      // One broken feature must not take the others down.
      shell.log.error(`${name}: failed to start`, err);
    }
  }
}
