import vscode = require('vscode');
import { VIEW } from '../../shell/ids';
import type { Shell } from '../../shell/shell';
import { NodeTreeProvider, type TreeNode } from '../../shell/tree';
import { DevHostsCommands, modalUi, type DevHostsUi } from './commands';
import { DEVHOSTS_COMMAND, DEVHOSTS_SETTING } from './ids';
import { readDevHostsSettings } from './settings';
import { DevHostsState } from './state';
import { RegionNode } from './tree';

export interface DevHostsFeature {
  readonly commands: DevHostsCommands;
  readonly provider: NodeTreeProvider;
  readonly state: DevHostsState;
}

/**
 * VS Code layer of the Mac dev hosts feature: the "Mac Dev Hosts" view (Region → Dedicated Host → instance,
 * bastions apart), SSH config generation, Connect / terminal / copy, and Release host with the 24-hour rule.
 * AWS is reached only through session.core() (the SDK loads on first expand, never at activation).
 */
export function registerDevHosts(shell: Shell, ui: DevHostsUi = modalUi): DevHostsFeature {
  const state = new DevHostsState();
  // A redraw (countdown tick, settings change, after a command discovered) reuses the last inventory: no AWS call.
  let redrawOnly = false;

  const roots = async (signal: AbortSignal): Promise<TreeNode[]> => {
    const { session } = shell;
    const regions = session.settings.regions;
    if (!regions.length) return [];
    const cached = redrawOnly ? state.inventory : undefined;
    redrawOnly = false;
    let inv = cached;
    if (!inv) {
      const s = readDevHostsSettings();
      inv = await session.core().devhosts.discoverDevHosts(session.factory(), { regions, bastionTag: s.bastionTag, bastionHost: s.bastionHost, signal });
      commands.remember(inv);
    }
    return inv.regions.map((r) => new RegionNode(r, state, () => provider.refresh()));
  };
  const redraw = (): void => {
    redrawOnly = true;
    provider.refresh();
  };
  const provider = new NodeTreeProvider(VIEW.devHosts, roots, shell.session, shell.log);
  const view = vscode.window.createTreeView(VIEW.devHosts, { treeDataProvider: provider, showCollapseAll: true });
  const commands = new DevHostsCommands({ shell, state, refresh: () => provider.refresh(), redraw, ui });
  commands.register();
  // Refresh re-discovers once and returns the tree as text (what the extension-host tests read).
  shell.commands.register(DEVHOSTS_COMMAND.refresh, async () => {
    const inv = await commands.discover();
    return { tree: await treeText(inv.regions.map((r) => new RegionNode(r, state, () => provider.refresh()))) };
  });

  // The 24-hour countdown in descriptions goes stale: redraw each minute while the view is visible (no AWS call).
  const timer = setInterval(() => { if (view.visible && state.inventory) redraw(); }, 60_000);
  shell.context.subscriptions.push(
    provider,
    view,
    { dispose: () => clearInterval(timer) },
    shell.session.onDidChange(() => provider.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!state.inventory) return;
      if (e.affectsConfiguration(`${DEVHOSTS_SETTING.section}.${DEVHOSTS_SETTING.bastionTag}`) || e.affectsConfiguration(`${DEVHOSTS_SETTING.section}.${DEVHOSTS_SETTING.bastionHost}`)) provider.refresh();
      else if (e.affectsConfiguration(DEVHOSTS_SETTING.section) || e.affectsConfiguration('remote.SSH.configFile')) {
        commands.remember(state.inventory);
        redraw();
      }
    }),
  );
  return { commands, provider, state };
}

/** "label — description [contextValue]" per node, indented by depth. */
async function treeText(nodes: TreeNode[], depth = 0): Promise<string[]> {
  const out: string[] = [];
  for (const n of nodes) {
    const item = n.treeItem();
    const label = typeof item.label === 'string' ? item.label : item.label?.label ?? '';
    out.push(`${'  '.repeat(depth)}${label}${item.description ? ` — ${String(item.description)}` : ''} [${item.contextValue ?? ''}]`);
    if (n.children) out.push(...(await treeText(await n.children(new AbortController().signal), depth + 1)));
  }
  return out;
}
