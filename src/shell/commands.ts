import vscode = require('vscode');
import { isCancellation } from '../aws/cancellation';
import { toActionableError, type ErrorContext } from '../aws/errors';
import { trustDecision } from '../common/trust';
import { presentError } from './errorPresenter';
import type { Logger } from './log';
import { workspaceTrust, type WorkspaceTrust } from './trust';

export type CommandHandler = (...args: unknown[]) => unknown;

/**
 * The one way OpsDeck registers a command: it lands in `context.subscriptions`, is logged, reports a failure
 * once as an actionable toast, and stays silent when the user cancelled.
 *
 * Contributed commands are registered with VS Code at activation, before this registry exists, by the entry
 * (extension.ts), which routes each call to `execute`; `routed` names them, and `register` registers with
 * VS Code only the ids not among them.
 *
 * In Restricted Mode the commands of src/common/trust.ts do not reach their handler: the user is told why, with a
 * button to manage trust. One gate here covers the palette, menus, CodeLenses and `executeCommand`.
 */
export class CommandRegistry {
  private readonly handlers = new Map<string, CommandHandler>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Logger,
    private readonly errorContext: () => ErrorContext,
    private readonly routed: ReadonlySet<string> = new Set(),
    private readonly trust: WorkspaceTrust = workspaceTrust,
  ) {}

  register(id: string, handler: CommandHandler): void {
    if (this.handlers.has(id)) throw new Error(`command ${id} is registered twice`);
    this.handlers.set(id, handler);
    if (!this.routed.has(id)) this.context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => this.execute(id, args)));
  }

  /** Ids with a handler; the manifest test compares them with package.json. */
  registeredIds(): string[] {
    return [...this.handlers.keys()].sort();
  }

  /** Runs a command's handler: logged, a failure shown once as an actionable toast, a cancellation silent. */
  async execute(id: string, args: readonly unknown[]): Promise<unknown> {
    this.log.debug(`command ${id}`);
    const gate = trustDecision(id, this.trust.isTrusted());
    if (!gate.allowed) {
      this.log.info(`command ${id} refused: the workspace is not trusted (Restricted Mode)`);
      this.trust.refuse(gate.message);
      return undefined;
    }
    try {
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
  }
}
