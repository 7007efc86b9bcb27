import vscode = require('vscode');
import { isCancellation } from '../aws/cancellation';
import { toActionableError, type ErrorContext } from '../aws/errors';
import { presentError } from './errorPresenter';
import type { Logger } from './log';

export type CommandHandler = (...args: unknown[]) => unknown;

/**
 * The one way OpsDeck registers a command: it lands in `context.subscriptions`, is logged, reports a failure
 * once as an actionable toast, and stays silent when the user cancelled.
 *
 * Feature commands are registered with VS Code at activation as placeholders (`registerPlaceholders`) so the
 * features' own code can load after activation; when a feature calls `register`, its handler fills the
 * placeholder, and a placeholder invoked earlier waits for the features to load.
 */
export class CommandRegistry {
  private readonly handlers = new Map<string, CommandHandler>();
  private readonly placeholders = new Set<string>();
  private featuresReady: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Logger,
    private readonly errorContext: () => ErrorContext,
  ) {}

  register(id: string, handler: CommandHandler): void {
    if (this.handlers.has(id)) throw new Error(`command ${id} is registered twice`);
    this.handlers.set(id, handler);
    if (!this.placeholders.has(id)) this.registerWithVsCode(id);
  }

  /** Registers every id not yet registered, to be filled in once `ready` (the features' load) settles. */
  registerPlaceholders(ids: readonly string[], ready: Promise<void>): void {
    this.featuresReady = ready;
    for (const id of ids) {
      if (this.handlers.has(id) || this.placeholders.has(id)) continue;
      this.placeholders.add(id);
      this.registerWithVsCode(id);
    }
  }

  /** Ids with a handler; the manifest test compares them with package.json. */
  registeredIds(): string[] {
    return [...this.handlers.keys()].sort();
  }

  private registerWithVsCode(id: string): void {
    this.context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        this.log.debug(`command ${id}`);
        try {
          if (!this.handlers.has(id)) await this.featuresReady;
          const handler = this.handlers.get(id);
          if (!handler) throw new Error(`The command ${id} is not available: its feature failed to load (see the log).`);
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
}
