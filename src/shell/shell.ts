import type * as vscode from 'vscode';
import type { AwsSession } from './awsSession';
import type { CommandRegistry } from './commands';
import type { Logger } from './log';

/** What every feature's VS Code layer receives: passed in, never a global. */
export interface Shell {
  readonly context: vscode.ExtensionContext;
  readonly log: Logger;
  readonly session: AwsSession;
  readonly commands: CommandRegistry;
}
