import vscode = require('vscode');
import { VIEW } from '../../shell/ids';
import type { Shell } from '../../shell/shell';
import { NodeTreeProvider, type TreeNode } from '../../shell/tree';
import { backoffDelayMs, CLEAN, outcomeOfRegions, Poller } from '../../common/poller';
import { allMappings } from '../core/report';
import type { HealthReport, MappingHealth } from '../core/types';
import { MSK_COMMAND } from '../ids';
import { DashboardPanel, type DashboardTarget } from './dashboardPanel';
import { affectsMsk, readMskSettings } from './settings';
import { MskStatusBar } from './statusBar';
import { HealthStore } from './store';
import { FunctionNode, MappingNode, RegionNode } from './tree';

/** What `opsdeck.msk.refresh` returns (the extension-host test and scripts read it). */
export interface RefreshResult {
  readonly report: HealthReport;
  /** Every row of the tree as "label — description", indented by depth, mapping fields excluded. */
  readonly tree: string[];
  /** Status bar text, undefined when hidden. */
  readonly alert?: string;
  /** From the refresh command to the tree rows built from the new report. */
  readonly refreshToTreeMs: number;
}

/** Walks the tree as VS Code would (getChildren → getTreeItem), down to mappings. */
async function treeRows(provider: NodeTreeProvider, node?: TreeNode, depth = 0): Promise<string[]> {
  const rows: string[] = [];
  for (const child of await provider.getChildren(node)) {
    const item = provider.getTreeItem(child);
    const label = typeof item.label === 'string' ? item.label : item.label?.label ?? '';
    rows.push(`${'  '.repeat(depth)}${label}${item.description ? ` — ${String(item.description)}` : ''}`);
    if (!(child instanceof MappingNode) && child.children) rows.push(...(await treeRows(provider, child, depth + 1)));
  }
  return rows;
}

/** VS Code layer of the MSK consumers feature: tree, dashboard webviews, status bar alert, polling. */
export function registerMskConsumers(shell: Shell): void {
  const store = new HealthStore(shell);
  const statusBar = new MskStatusBar();
  let loadError: unknown;

  const roots = async (signal: AbortSignal): Promise<TreeNode[]> => {
    if (shell.session.settings.regions.length === 0) return [];
    if (loadError) {
      const e = loadError;
      loadError = undefined;
      throw e;
    }
    const report = store.report ?? (await store.load(signal));
    return report.regions.map((r) => new RegionNode(r, () => void refresh()));
  };
  const provider = new NodeTreeProvider(VIEW.mskConsumers, roots, shell.session, shell.log);
  const view = vscode.window.createTreeView(VIEW.mskConsumers, { treeDataProvider: provider, showCollapseAll: true });

  /** Reloads the report (the tree re-renders from it when it lands). */
  async function refresh(): Promise<RefreshResult | undefined> {
    if (shell.session.settings.regions.length === 0) return undefined;
    const started = Date.now();
    try {
      shell.session.core().msk.clearDimensionCache(shell.session.factory());
      const report = await vscode.window.withProgress({ location: { viewId: VIEW.mskConsumers } }, () => store.load(undefined, true));
      const tree = await treeRows(provider);
      const refreshToTreeMs = Date.now() - started;
      shell.log.info(`msk: refresh → tree rows in ${refreshToTreeMs} ms (${tree.length} rows)`);
      return { report, tree, alert: statusBar.text, refreshToTreeMs };
    } catch (err) {
      loadError = err;
      provider.refresh();
      throw err;
    }
  }

  // Polling (src/common/poller.ts, as Batch's): while the view is visible or background polling is on, paused
  // while the window is unfocused, backing off on throttling or failing Regions, back to the interval on the first
  // clean check. The first check waits an interval: a visible tree loads its own report.
  const hasRegions = (): boolean => shell.session.settings.regions.length > 0;
  const poller = new Poller({
    check: async () => outcomeOfRegions((await store.load()).regions),
    intervalSeconds: () => readMskSettings().pollIntervalSeconds,
    wanted: () => hasRegions() && (view.visible || readMskSettings().backgroundPolling),
    firstDelayMs: () => backoffDelayMs(readMskSettings().pollIntervalSeconds, CLEAN) ?? 0,
    focused: vscode.window.state.focused,
    log: (m) => shell.log.warn(`msk: ${m}`),
  });

  const notify = (bad: MappingHealth[]): void => {
    if (!readMskSettings().notifications) return;
    const first = bad[0];
    const text = bad.length === 1
      ? `MSK: ${first.mapping.functionName} (${first.mapping.topic ?? first.mapping.uuid}) is ${first.verdict}: ${first.trend}. ${first.reason}`
      : `MSK: ${bad.length} Kafka consumers went into a bad state (${bad.map((m) => `${m.mapping.functionName} ${m.verdict}`).join(', ')}).`;
    void vscode.window.showWarningMessage(text, bad.length === 1 ? 'Open Dashboard' : 'Show').then((choice) => {
      if (choice === 'Open Dashboard') void vscode.commands.executeCommand(MSK_COMMAND.openDashboard, first);
      else if (choice === 'Show') void vscode.commands.executeCommand(`${VIEW.mskConsumers}.focus`);
    });
  };

  const targetOf = (arg: unknown): DashboardTarget | undefined => {
    const report = store.report;
    const fromMapping = (m: MappingHealth): DashboardTarget => {
      const siblings = report ? allMappings(report).filter((x) => x.mapping.functionArn === m.mapping.functionArn && x.mapping.region === m.mapping.region) : [m];
      return { region: m.mapping.region, functionName: m.mapping.functionName, functionArn: m.mapping.functionArn, mappings: siblings.map((x) => x.mapping) };
    };
    if (arg instanceof FunctionNode) return { region: arg.region, functionName: arg.fn.functionName, functionArn: arg.fn.functionArn, mappings: arg.fn.mappings.map((m) => m.mapping) };
    if (arg instanceof MappingNode) return fromMapping(arg.health);
    const maybe = arg as MappingHealth | undefined;
    if (maybe?.mapping?.functionArn) return fromMapping(maybe);
    return undefined;
  };

  shell.commands.register(MSK_COMMAND.refresh, () => refresh());
  shell.commands.register(MSK_COMMAND.openDashboard, async (arg?: unknown) => {
    let target = targetOf(arg);
    if (!target) {
      const report = store.report ?? (await store.load());
      const fns = report.regions.flatMap((r) => r.functions.map((f) => ({ r: r.region, f })));
      if (fns.length === 0) {
        void vscode.window.showInformationMessage('No Lambda functions with Kafka event source mappings in the chosen Regions.');
        return undefined;
      }
      const pick = await vscode.window.showQuickPick(
        fns.map(({ r, f }) => ({ label: f.functionName, description: r, detail: f.mappings.map((m) => `${m.verdict} ${m.mapping.topic}: ${m.trend}`).join(' · '), r, f })),
        { title: 'Open MSK consumer dashboard', placeHolder: 'Function' },
      );
      if (!pick) return undefined;
      target = { region: pick.r, functionName: pick.f.functionName, functionArn: pick.f.functionArn, mappings: pick.f.mappings.map((m) => m.mapping) };
    }
    return DashboardPanel.createOrShow(shell, target);
  });
  shell.commands.register(MSK_COMMAND.copyUuid, async (arg?: unknown) => {
    if (!(arg instanceof MappingNode)) return;
    await vscode.env.clipboard.writeText(arg.health.mapping.uuid);
    void vscode.window.setStatusBarMessage(`Copied ${arg.health.mapping.uuid}`, 3000);
  });
  shell.commands.register(MSK_COMMAND.openInConsole, async (arg?: unknown) => {
    const t = targetOf(arg);
    if (!t) return;
    await vscode.env.openExternal(vscode.Uri.parse(`https://${t.region}.console.aws.amazon.com/lambda/home?region=${t.region}#/functions/${encodeURIComponent(t.functionName)}?tab=configure`));
  });

  shell.context.subscriptions.push(
    store,
    statusBar,
    provider,
    view,
    store.onDidChange((report) => {
      statusBar.update(report);
      provider.refresh();
      // Any load (tree, refresh, poll) is a check: the next poll is due an interval after it.
      if (report) poller.checkedElsewhere(outcomeOfRegions(report.regions));
    }),
    store.onDidTransition(notify),
    view.onDidChangeVisibility(() => poller.update()),
    vscode.window.onDidChangeWindowState((s) => poller.setFocused(s.focused)),
    shell.session.onDidChange(() => {
      store.reset();
      poller.restart();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsMsk(e)) return;
      poller.restart();
      if (store.report) void refresh().catch(() => undefined);
    }),
    poller,
    { dispose: () => DashboardPanel.all().forEach((p) => p.dispose()) },
  );
  // Background polling may be on from the start (it loads the SDK only when the first poll fires).
  poller.update();
}
