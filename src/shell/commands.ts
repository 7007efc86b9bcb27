import * as vscode from 'vscode';
import { isCancellation } from '../aws/cancellation';
import { toActionableError, type ErrorContext } from '../aws/errors';
import { presentError } from './errorPresenter';
import type { Logger } from './log';

export type CommandHandler = (...args: unknown[]) => unknown;

/**
 * The one way OpsDeck registers a command: it lands in `context.subscriptions`, is logged, reports a failure
 * once as an actionable toast, and stays silent when the user cancelled.
 */
export class CommandRegistry {
  private readonly ids = new Set<string>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Logger,
    private readonly errorContext: () => ErrorContext,
  ) {}

  register(id: string, handler: CommandHandler): void {
    this.ids.add(id);
    this.context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        this.log.debug(`command ${id}`);
        try {
          return await handler(...args);
        } catch (err) {
          if (isCancellation(err)) {
            this.log.debug(`command ${id} cancelled`);
            return undefined;
          }
          const actionable = toActionableError(err, this.errorContext());
          this.log.error(`command ${id} failed`, err);
          presentError(actionable, this.log);
          return undefined;
        }
      }),
    );
  }

  /** Ids registered through this registry; the manifest test compares them with package.json. */
  registeredIds(): string[] {
    return [...this.ids].sort();
  }
}
