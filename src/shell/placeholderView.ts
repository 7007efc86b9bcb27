import vscode = require('vscode');
import type { Shell } from './shell';
import { MessageNode, NodeTreeProvider } from './tree';

/** A view whose feature has not landed yet: welcome content when no Regions, else a single message. */
export function registerPlaceholderView(shell: Shell, viewId: string, message: string): NodeTreeProvider {
  const provider = new NodeTreeProvider(
    viewId,
    () => (shell.session.settings.regions.length === 0 ? [] : [new MessageNode(`${viewId}/placeholder`, message)]),
    shell.session,
    shell.log,
  );
  const view = vscode.window.createTreeView(viewId, { treeDataProvider: provider });
  shell.context.subscriptions.push(provider, view, shell.session.onDidChange(() => provider.refresh()));
  return provider;
}
