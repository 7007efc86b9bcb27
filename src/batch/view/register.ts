import vscode = require('vscode');
import { VIEW } from '../../shell/ids';
import type { Shell } from '../../shell/shell';
import { MessageNode, NodeTreeProvider, type TreeNode } from '../../shell/tree';
import { cancelJobs, copyJobId, openInConsole, selectedJobs, setRunnableTimeLimit } from './actions';
import { BATCH_COMMAND, BATCH_CONTEXT } from './ids';
import { BatchHealthModel } from './model';
import { RegionNode, snapshot } from './nodes';
import { BatchPoller } from './poller';
import { affectsBatchSettings, readBatchSettings } from './settings';
import { BatchAlertStatusBar } from './statusBar';

/** VS Code layer of the Batch health feature: the tree, the status bar alert, polling and the actions. */
export function registerBatchHealth(shell: Shell): void {
  const model = new BatchHealthModel(shell);
  let showAll = false;
  const hasRegions = (): boolean => shell.session.settings.regions.length > 0;

  const roots = async (): Promise<TreeNode[]> => {
    if (!hasRegions()) return [];
    const report = await model.current();
    if (report.regions.length === 0) return [new MessageNode(`${VIEW.batchHealth}/none`, 'No Regions checked')];
    return report.regions.map((r) => new RegionNode(r, { showAll, retry: () => void model.load() }));
  };
  const provider = new NodeTreeProvider(VIEW.batchHealth, roots, shell.session, shell.log);
  const view = vscode.window.createTreeView(VIEW.batchHealth, { treeDataProvider: provider, canSelectMany: true, showCollapseAll: true });
  const statusBar = new BatchAlertStatusBar();
  const poller = new BatchPoller(model, shell.log, hasRegions);
  void vscode.commands.executeCommand('setContext', BATCH_CONTEXT.showAll, false);

  const renderMessage = (): void => {
    const r = model.report;
    view.message = r && r.stuckCount === 0 && r.regions.every((x) => !x.error) ? `No job in transit longer than ${readBatchSettings().thresholds.defaultMinutes} min.` : undefined;
  };

  shell.context.subscriptions.push(
    model,
    provider,
    view,
    statusBar,
    poller,
    model.onDidChange((report) => {
      statusBar.render(report);
      renderMessage();
      provider.refresh();
    }),
    shell.session.onDidChange(() => {
      model.invalidate();
      poller.reset();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsBatchSettings(e)) return;
      model.invalidate();
      poller.reconfigure();
    }),
    // Coming back to a stale view refreshes it once; regular polling needs the alert armed.
    view.onDidChangeVisibility((e) => {
      const r = model.report;
      if (e.visible && r && Date.now() - r.generatedAt > readBatchSettings().pollIntervalSeconds * 1000) void model.load().catch(() => undefined);
    }),
  );
  poller.reconfigure();

  const refresh = async (): Promise<unknown> => {
    if (!hasRegions()) return undefined;
    const report = await vscode.window.withProgress({ location: { viewId: VIEW.batchHealth }, cancellable: false }, () => model.load());
    const ac = new AbortController();
    const tree = await snapshot(await roots(), 6, ac.signal);
    return { stuckCount: report.stuckCount, alert: report.stuckCount ? statusBar.text : undefined, calls: report.calls, tree };
  };
  const setShowAll = (value: boolean): void => {
    showAll = value;
    void vscode.commands.executeCommand('setContext', BATCH_CONTEXT.showAll, value);
    provider.refresh();
  };

  shell.commands.register(BATCH_COMMAND.refresh, refresh);
  shell.commands.register(BATCH_COMMAND.showAllQueues, () => setShowAll(true));
  shell.commands.register(BATCH_COMMAND.showProblemQueues, () => setShowAll(false));
  shell.commands.register(BATCH_COMMAND.cancelJobs, (node, selection) => cancelJobs(shell, model, selectedJobs(node, selection ?? view.selection)));
  shell.commands.register(BATCH_COMMAND.copyJobId, (node) => copyJobId(node ?? view.selection[0]));
  shell.commands.register(BATCH_COMMAND.openInConsole, (node) => openInConsole(node ?? view.selection[0]));
  shell.commands.register(BATCH_COMMAND.setTimeLimit, (node) => setRunnableTimeLimit(shell, model, node ?? view.selection[0]));
  shell.commands.register(BATCH_COMMAND.showView, () => vscode.commands.executeCommand(`${VIEW.batchHealth}.focus`));
}
