import vscode = require('vscode');
import { VIEW } from '../../shell/ids';
import type { Shell } from '../../shell/shell';
import { NodeTreeProvider, type TreeNode } from '../../shell/tree';
import { parseManifest } from '../core/manifest';
import { LayersCommands, type LayersUi } from './commands';
import { LAYERS_CONTEXT, LAYERS_SETTING } from './ids';
import { LayerReportPanels } from './reportPanel';
import { readLayersSettings } from './settings';
import { findManifests, LayersState, manifestLocation, readManifest } from './state';
import { ManifestNode } from './tree';

/** What the extension-host tests reach through the registration (never a global). */
export interface LayersFeature {
  readonly commands: LayersCommands;
  readonly provider: NodeTreeProvider;
  readonly state: LayersState;
}

/**
 * VS Code layer of the Lambda layers feature: the "Lambda Layers" view (manifests in the workspace → Regions
 * with version and drift badges → versions → who may use them), the commands, and editor diagnostics for
 * *.layer.json (the JSON schema is contributed through jsonValidation for completion).
 */
export function registerLayers(shell: Shell, ui?: LayersUi): LayersFeature {
  const state = new LayersState();
  const panels = new LayerReportPanels();

  const roots = async (): Promise<TreeNode[]> => {
    if (shell.session.settings.regions.length === 0) return [];
    const uris = await findManifests(readLayersSettings().manifestGlob);
    void vscode.commands.executeCommand('setContext', LAYERS_CONTEXT.noManifests, uris.length === 0);
    const entries = await Promise.all(uris.map(readManifest));
    return entries.map((e) => new ManifestNode(e, { shell, state }));
  };
  const provider = new NodeTreeProvider(VIEW.layers, roots, shell.session, shell.log);
  const view = vscode.window.createTreeView(VIEW.layers, { treeDataProvider: provider, showCollapseAll: true });

  const snapshot = async (): Promise<string[]> => {
    const lines: string[] = [];
    const signal = new AbortController().signal;
    const walk = async (nodes: TreeNode[], depth: number): Promise<void> => {
      for (const n of nodes) {
        const item = n.treeItem();
        const label = typeof item.label === 'string' ? item.label : item.label?.label ?? '';
        lines.push(`${'  '.repeat(depth)}${label}${item.description ? ` — ${String(item.description)}` : ''}`);
        if (depth === 0 && n.children) await walk(await n.children(signal), depth + 1);
      }
    };
    await walk(await roots(), 0);
    return lines;
  };
  const commands = new LayersCommands({ shell, state, panels, refresh: () => provider.refresh(), snapshot, ui });
  commands.register();

  // Editor diagnostics for manifests: the same validator as the CLI, with positions.
  const diagnostics = vscode.languages.createDiagnosticCollection('opsdeck-layers');
  const lint = (doc: vscode.TextDocument) => {
    if (!doc.uri.path.endsWith('.layer.json')) return;
    const { problems } = parseManifest(doc.getText(), { location: manifestLocation(doc.uri) });
    diagnostics.set(doc.uri, problems.map((p) => {
      const range = new vscode.Range(doc.positionAt(p.offset), doc.positionAt(p.offset + p.length));
      const d = new vscode.Diagnostic(range, p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      d.source = 'OpsDeck layers';
      return d;
    }));
  };
  vscode.workspace.textDocuments.forEach(lint);

  // Manifests appear, change and go: refresh the view (debounced; a save can fire several events).
  let timer: NodeJS.Timeout | undefined;
  const refreshSoon = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => provider.refresh(), 300);
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.layer.json');

  shell.context.subscriptions.push(
    provider, view, state, panels, diagnostics, watcher,
    watcher.onDidCreate(refreshSoon), watcher.onDidChange(refreshSoon), watcher.onDidDelete(refreshSoon),
    vscode.workspace.onDidOpenTextDocument(lint),
    vscode.workspace.onDidChangeTextDocument((e) => lint(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => diagnostics.delete(d.uri)),
    shell.session.onDidChange(() => provider.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`opsdeck.${LAYERS_SETTING.manifestGlob}`)) provider.refresh();
    }),
    { dispose: () => timer && clearTimeout(timer) },
  );
  return { commands, provider, state };
}
