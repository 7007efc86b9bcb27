import vscode = require('vscode');
import { toActionableError } from '../aws/errors';
import type { AwsSession } from './awsSession';
import { abortSignalFor } from './cancellation';
import { SHELL_COMMAND } from './ids';
import type { Logger } from './log';

/**
 * A node of an OpsDeck tree, kept apart from TreeItem: a stable id built from the resource (ARN, host id…),
 * how it looks, and how to load its children. Nodes never show toasts; a failed load becomes an ErrorNode.
 */
export interface TreeNode {
  readonly id: string;
  treeItem(): vscode.TreeItem;
  children?(signal: AbortSignal): Promise<TreeNode[]> | TreeNode[];
}

/** An informational leaf ("No stuck jobs", "Loading…"). */
export class MessageNode implements TreeNode {
  constructor(readonly id: string, private readonly label: string, private readonly icon = 'info', private readonly tooltip?: string) {}
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.tooltip = this.tooltip ?? this.label;
    item.contextValue = 'message';
    return item;
  }
}

/** "Error: …" with a click to retry: the tree's way of reporting a failed fetch. */
export class ErrorNode implements TreeNode {
  constructor(readonly id: string, readonly message: string, readonly retry: () => void) {}
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`Error: ${this.message}`, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.tooltip = `${this.message}\n\nClick to retry.`;
    item.contextValue = 'error';
    item.command = { command: SHELL_COMMAND.retryNode, title: 'Retry', arguments: [this] };
    return item;
  }
}

/** TreeDataProvider over TreeNodes: stable ids, per-node error capture, in-view progress, refresh. */
export class NodeTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private rootLoad: AbortController | undefined;

  constructor(
    private readonly viewId: string,
    private readonly roots: (signal: AbortSignal) => Promise<TreeNode[]> | TreeNode[],
    private readonly session: AwsSession,
    private readonly log: Logger,
  ) {}

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = node.treeItem();
    item.id = node.id;
    return item;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node && !node.children) return [];
    let signal: AbortSignal;
    if (!node) {
      this.rootLoad?.abort();
      this.rootLoad = new AbortController();
      signal = this.rootLoad.signal;
    } else {
      signal = abortSignalFor(undefined);
    }
    const load = async (): Promise<TreeNode[]> => {
      try {
        return await (node?.children ? node.children(signal) : this.roots(signal));
      } catch (err) {
        if (signal.aborted) return [];
        const actionable = toActionableError(err, this.session.errorContext());
        this.log.error(`${this.viewId}: loading ${node?.id ?? 'root'} failed`, err);
        return [new ErrorNode(`${node?.id ?? this.viewId}/error`, actionable.message, () => this.refresh(node))];
      }
    };
    return node ? load() : vscode.window.withProgress({ location: { viewId: this.viewId } }, load);
  }

  refresh(node?: TreeNode): void {
    this.changed.fire(node);
  }

  dispose(): void {
    this.rootLoad?.abort();
    this.changed.dispose();
  }
}
