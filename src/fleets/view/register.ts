import vscode = require('vscode');
import { VIEW } from '../../shell/ids';
import type { Shell } from '../../shell/shell';
import { NodeTreeProvider, type TreeNode } from '../../shell/tree';
import { FleetCodeLensProvider } from './codeLens';
import { FleetCommands, windowUi, type FleetsUi } from './commands';
import { FleetDiagnostics } from './diagnostics';
import { FleetFactsCache } from './factsCache';
import { FLEETS_COMMAND } from './ids';
import { FleetReports } from './reports';
import { FleetNode, FleetsGroupNode, OutpostsGroupNode, RegionNode } from './tree';

/** What tests reach through the registration (never a global). */
export interface FleetsFeature {
  readonly commands: FleetCommands;
  readonly diagnostics: FleetDiagnostics;
  readonly cache: FleetFactsCache;
  readonly reports: FleetReports;
  readonly provider: NodeTreeProvider;
}

/**
 * VS Code layer of the Outposts fleets feature: diagnostics for *.fleet.json / *.launch-template.json as you type
 * (the JSON schemas come through jsonValidation), CodeLens "Plan capacity · Dry run · Launch", plan and launch
 * results as Markdown previews, new-file templates, and the "Outposts Fleets" view with delete.
 */
export function registerFleets(shell: Shell, ui: FleetsUi = windowUi): FleetsFeature {
  const cache = new FleetFactsCache(shell);
  const diagnostics = new FleetDiagnostics(shell, cache);
  const reports = new FleetReports();
  const codeLens = new FleetCodeLensProvider();

  const roots = (): TreeNode[] => {
    const regions = shell.session.settings.regions;
    if (regions.length === 0) return [];
    if (regions.length === 1) return [new OutpostsGroupNode(shell, regions[0]), new FleetsGroupNode(shell, regions[0])];
    return regions.map((r) => new RegionNode(shell, r));
  };
  const provider = new NodeTreeProvider(VIEW.fleets, roots, shell.session, shell.log);
  const view = vscode.window.createTreeView(VIEW.fleets, { treeDataProvider: provider, showCollapseAll: true });
  const commands = new FleetCommands({ shell, cache, reports, refreshTree: () => provider.refresh(), ui });
  commands.register();

  shell.commands.register(FLEETS_COMMAND.refresh, () => {
    cache.clear();
    provider.refresh();
    diagnostics.validateAll();
  });
  shell.commands.register(FLEETS_COMMAND.copyId, async (node?: unknown) => {
    if (node instanceof FleetNode) await vscode.env.clipboard.writeText(node.fleet.fleetId);
  });
  shell.commands.register(FLEETS_COMMAND.deleteFleet, async (node?: unknown) => {
    if (!(node instanceof FleetNode)) throw Object.assign(new Error('Pick a fleet in the Outposts Fleets view.'), { name: 'InvalidInput' });
    const f = node.fleet;
    const shown = f.instances.slice(0, 15).map((i) => `• ${i.instanceId} (${i.instanceType ?? '?'}, ${i.state ?? '?'})`);
    const more = f.instances.length > shown.length ? [`…and ${f.instances.length - shown.length} more`] : [];
    const detail = [`DeleteFleets with TerminateInstances in ${f.region}. These instances will be terminated:`, ...(shown.length ? shown : ['(none)']), ...more].join('\n');
    const ok = await ui.ask(`Delete fleet ${f.fleetId} and terminate ${f.instances.length} instance(s)?`, detail, 'Delete and Terminate');
    if (ok !== 'Delete and Terminate') return undefined;
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deleting ${f.fleetId}…` }, () =>
      shell.session.core().fleets.deleteFleets(shell.session.factory(), f.region, [f.fleetId]));
    if (result.failed.length) ui.error(`Could not delete ${f.fleetId}: ${result.failed[0].code} ${result.failed[0].message}`);
    else ui.info(`Fleet ${f.fleetId}: ${result.deleted[0]?.state ?? 'deleted'}; ${f.instances.length} instance(s) terminating.`);
    provider.refresh();
    return result;
  });

  shell.context.subscriptions.push(
    cache,
    diagnostics,
    reports,
    codeLens,
    provider,
    view,
    vscode.languages.registerCodeLensProvider([{ pattern: '**/*.fleet.json' }, { pattern: '**/*.launch-template.json' }], codeLens),
    shell.session.onDidChange(() => provider.refresh()),
  );
  return { commands, diagnostics, cache, reports, provider };
}
