import * as path from 'path';
import vscode = require('vscode');
import { UserCancelledError } from '../../aws/cancellation';
import { needsLocalFolder } from '../../common/localFolder';
import { abortSignalFor } from '../../shell/cancellation';
import type { Shell } from '../../shell/shell';
import { describeGrant } from '../core/grants';
import { LAYER_NAME, type LayerManifest } from '../core/manifest';
import { failedRegions, formatBytes, summarise, type PublishReport, type RegionResult } from '../core/results';
import { DEFAULT_RUNTIMES } from '../core/runtimes';
import { placeManifest } from '../core/placement';
import { shortHash } from '../core/plan';
import { PublishProgressText } from '../core/progress';
import type { LayerTarget, LayerZip, RegionPhase } from '../service';
import { LAYERS_COMMAND, LAYERS_CONTEXT } from './ids';
import type { LayerReportPanels } from './reportPanel';
import { readLayersSettings } from './settings';
import { findManifests, readManifest, type LayersState, type ManifestEntry } from './state';
import { manifestRegions, ManifestNode, RegionNode, VersionNode } from './tree';

/** Every prompt the commands make, injectable so tests can answer them. */
export interface LayersUi {
  confirm(message: string, detail: string, button: string): Promise<boolean>;
  info(message: string, ...buttons: string[]): Thenable<string | undefined>;
  /** A line of text (the layer name); undefined when dismissed. */
  input(title: string, value: string, validate: (v: string) => string | undefined): Thenable<string | undefined>;
}

export const defaultUi: LayersUi = {
  confirm: async (message, detail, button) => (await vscode.window.showWarningMessage(message, { modal: true, detail }, button)) === button,
  info: (message, ...buttons) => vscode.window.showInformationMessage(message, ...buttons),
  input: (title, value, validateInput) => vscode.window.showInputBox({ title, value, validateInput }),
};

export interface LayersCommandDeps {
  readonly shell: Shell;
  readonly state: LayersState;
  readonly panels: LayerReportPanels;
  readonly refresh: () => void;
  /** The view's first two levels as text (manifest — path, then Region — badge): for tests and the log. */
  readonly snapshot: () => Promise<string[]>;
  readonly ui?: LayersUi;
}

type ManifestArg = ManifestNode | vscode.Uri | string | undefined;

export class LayersCommands {
  private readonly ui: LayersUi;

  constructor(private readonly deps: LayersCommandDeps) {
    this.ui = deps.ui ?? defaultUi;
  }

  register(): void {
    const { commands } = this.deps.shell;
    // From the view's title bar this only refreshes; called with { snapshot: true } it also returns the tree's
    // text (the extension-host tests read the view through it).
    commands.register(LAYERS_COMMAND.refresh, (opts) => {
      this.deps.refresh();
      return (opts as { snapshot?: boolean } | undefined)?.snapshot ? this.deps.snapshot() : undefined;
    });
    commands.register(LAYERS_COMMAND.createManifest, (uri) => this.createManifest(uri as vscode.Uri | undefined));
    commands.register(LAYERS_COMMAND.openManifest, async (arg) => vscode.window.showTextDocument((await this.resolve(arg as ManifestArg)).uri));
    commands.register(LAYERS_COMMAND.build, (arg) => this.build(arg as ManifestArg));
    commands.register(LAYERS_COMMAND.publish, (arg) => this.publish(arg as ManifestArg));
    commands.register(LAYERS_COMMAND.retryFailed, (arg) => this.retryFailed(arg as ManifestArg));
    commands.register(LAYERS_COMMAND.compareRegions, (arg) => this.compareRegions(arg as ManifestArg));
    commands.register(LAYERS_COMMAND.copyArn, (node) => this.copyArn(node as RegionNode | VersionNode | undefined));
    commands.register(LAYERS_COMMAND.deleteVersion, (node) => this.deleteVersion(node as VersionNode | undefined));
  }

  /** A tree node, a Uri (explorer, editor title), a Uri string (webview link, tests), the active editor, or a pick. */
  async resolve(arg: ManifestArg): Promise<ManifestEntry> {
    if (arg instanceof ManifestNode) return readManifest(arg.entry.uri);
    if (arg instanceof vscode.Uri) return readManifest(arg);
    if (typeof arg === 'string') return readManifest(vscode.Uri.parse(arg));
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active && active.path.endsWith('.layer.json')) return readManifest(active);
    const uris = await findManifests(readLayersSettings().manifestGlob);
    if (uris.length === 1) return readManifest(uris[0]);
    if (!uris.length) throw new Error('No layer manifest (*.layer.json) in this workspace. Run "Create Layer Manifest from Folder" first.');
    const pick = await vscode.window.showQuickPick(uris.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })), { title: 'Choose a layer manifest' });
    if (!pick) throw new UserCancelledError();
    return readManifest(pick.uri);
  }

  private valid(entry: ManifestEntry): LayerManifest {
    if (entry.manifest) return entry.manifest;
    const first = entry.problems.find((p) => p.severity === 'error');
    throw new Error(`${vscode.workspace.asRelativePath(entry.uri)} has errors (${first?.message ?? 'see the Problems panel'}). Fix them and try again.`);
  }

  /** A valid manifest whose folder Node's fs can read (the build zips it, runs npm or pip in it). */
  private buildable(entry: ManifestEntry, action: string): LayerManifest {
    const m = this.valid(entry);
    const remote = needsLocalFolder(`${action} ${m.name}`, entry.uri);
    if (remote) throw Object.assign(new Error(remote), { name: 'InvalidInput' });
    return m;
  }

  async createManifest(folder?: vscode.Uri): Promise<vscode.Uri | undefined> {
    if (!folder) {
      const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: 'Folder with the layer content', openLabel: 'Create Layer Manifest', defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
      if (!picked?.[0]) throw new UserCancelledError();
      folder = picked[0];
    }
    const root = vscode.workspace.getWorkspaceFolder(folder)?.uri.fsPath;
    // Checked before asking for a name: a folder outside the workspace gets no manifest at all.
    const precheck = placeManifest(folder.fsPath, root, 'x');
    if (!precheck.ok) throw new Error(precheck.error);
    const has = (f: string) => vscode.workspace.fs.stat(vscode.Uri.joinPath(folder!, f)).then(() => true, () => false);
    const build = (await has('package.json')) ? 'nodejs' : (await has('requirements.txt')) ? 'python' : 'none';
    const suggested = path.basename(folder.fsPath).replace(/[^a-zA-Z0-9-_]/g, '-').slice(0, 140) || 'my-layer';
    const name = await this.ui.input('Layer name', suggested, (v) => (LAYER_NAME.test(v) ? undefined : '1–140 letters, digits, "-" or "_"'));
    if (!name) throw new UserCancelledError();
    const placed = placeManifest(folder.fsPath, root, name);
    if (!placed.ok) throw new Error(placed.error);
    // Relative to the folder's own Uri, so a remote folder (vscode-remote:) gets its manifest there, not on this disk.
    const file = vscode.Uri.joinPath(folder, ...path.relative(folder.fsPath, placed.file).split(path.sep));
    const rel = vscode.workspace.asRelativePath(file);
    const exists = await vscode.workspace.fs.stat(file).then(() => true, () => false);
    const replace = exists && (await this.ui.confirm(`${rel} already exists. Replace it?`, 'Its content is overwritten with a new manifest for this folder. Choose Cancel to open the existing manifest instead.', 'Replace'));
    if (!exists || replace) {
      const regions = this.deps.shell.session.settings.regions.length ? this.deps.shell.session.settings.regions : ['us-east-1'];
      const manifest = {
        name,
        description: `${name} (built by AWS OpsDeck)`,
        source: placed.source,
        build,
        compatibleRuntimes: DEFAULT_RUNTIMES[build],
        compatibleArchitectures: ['x86_64', 'arm64'],
        regions,
        permissions: [],
      };
      await vscode.workspace.fs.writeFile(file, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'));
      if (placed.where === 'inside') this.deps.shell.log.info(`layers: ${rel} is inside the folder it describes ("source": "."); the build never zips *.layer.json files.`);
    } else {
      void this.ui.info(`${rel} already exists; opened it instead.`);
    }
    await vscode.window.showTextDocument(file);
    this.deps.refresh();
    return file;
  }

  async build(arg: ManifestArg): Promise<{ codeSha256: string; zippedSize: number } | undefined> {
    const entry = await this.resolve(arg);
    const m = this.buildable(entry, 'Building layer');
    const { session, log } = this.deps.shell;
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Building layer ${m.name}`, cancellable: true }, async (progress, token) => {
      const signal = abortSignalFor(token);
      const built = await session.core().layers.buildFromManifest(entry.uri.fsPath, m, { location: entry.location, signal, log: (l) => { log.info(`layers build: ${l}`); progress.report({ message: l }); } });
      progress.report({ message: 'reading the account limits…' });
      const limits = await session.core().layers.accountLimits(session.factory(), session.settings.regions[0] ?? (Array.isArray(m.regions) ? m.regions[0] : 'us-east-1'), signal);
      return { built, limits };
    });
    const { built, limits } = result;
    this.deps.state.recordBuild(entry.uri, built.codeSha256);
    this.deps.refresh();
    for (const w of built.warnings) log.warn(`layers build ${m.name}: ${w}`);
    const over = built.zippedSize > limits.codeSizeZipped ? ' (over the direct-upload limit: configure s3Staging)' : '';
    if (limits.note) log.warn(`layers build ${m.name}: ${limits.note}`);
    const from = limits.source === 'GetAccountSettings' ? 'account limits from GetAccountSettings' : "Lambda's documented quotas";
    const message = `Layer ${m.name}: ${built.fileCount} files, ${formatBytes(built.zippedSize)} zipped of ${formatBytes(limits.codeSizeZipped)}${over}, ${formatBytes(built.unzippedSize)} unzipped of ${formatBytes(limits.codeSizeUnzipped)} (${from}). SHA-256 ${built.codeSha256}${built.warnings.length ? ` — ${built.warnings.length} warning(s) in the log` : ''}`;
    void this.ui.info(message, 'Save Zip As…', 'Copy SHA-256').then(async (choice) => {
      if (choice === 'Copy SHA-256') await vscode.env.clipboard.writeText(built.codeSha256);
      if (choice === 'Save Zip As…') {
        const to = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(entry.uri, '..', `${m.name}.zip`), filters: { Zip: ['zip'] } });
        if (to) await vscode.workspace.fs.writeFile(to, built.bytes);
      }
    });
    return { codeSha256: built.codeSha256, zippedSize: built.zippedSize };
  }

  private async confirmPublish(m: LayerManifest, regionsText: string): Promise<void> {
    if (m.permissions.some((g) => g.kind === 'public')) {
      const detail = 'Every AWS account in the world will be able to add the published versions to its functions (statement opsdeck-public, principal "*").';
      if (!(await this.ui.confirm(`Layer "${m.name}" grants PUBLIC access.`, detail, 'Make It Public'))) throw new UserCancelledError();
      if (!(await this.ui.confirm(`Really publish "${m.name}" publicly to ${regionsText}?`, 'This is asked twice on purpose. Remove { "public": true } from the manifest to keep the layer private.', 'Yes, Publish Publicly'))) throw new UserCancelledError();
    } else if (readLayersSettings().confirmBeforePublish) {
      const grants = m.permissions.length ? `Grants: ${m.permissions.map(describeGrant).join(', ')}.` : 'Only this account may use it.';
      const detail = `Each Region's latest version is compared first (CodeSha256); Regions that already have this content are skipped, the others get a new version. ${grants}`;
      if (!(await this.ui.confirm(`Publish layer "${m.name}" to ${regionsText}?`, detail, 'Publish'))) throw new UserCancelledError();
    }
  }

  async publish(arg: ManifestArg): Promise<PublishReport> {
    const entry = await this.resolve(arg);
    const m = this.buildable(entry, 'Publishing layer');
    await this.confirmPublish(m, m.regions === 'all-enabled' ? 'every enabled Region' : `${m.regions.length} Region${m.regions.length === 1 ? '' : 's'} (${m.regions.join(', ')})`);
    const { session } = this.deps.shell;
    const last = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Layer ${m.name}`, cancellable: true }, async (progress, token) => {
      const signal = abortSignalFor(token);
      progress.report({ message: 'building…' });
      const built = await session.core().layers.buildFromManifest(entry.uri.fsPath, m, { location: entry.location, signal });
      progress.report({ message: 'resolving Regions…' });
      const regions = await manifestRegions({ shell: this.deps.shell, state: this.deps.state }, m, signal);
      const zip: LayerZip = { bytes: built.bytes, codeSha256: built.codeSha256, unzippedSize: built.unzippedSize };
      const target = session.core().layers.targetFromManifest(m);
      const report = await this.runPublish(target, zip, regions, `${shortHash(zip.codeSha256)} ${formatBytes(zip.bytes.length)}`, progress, signal);
      return { report, zip, target, regions };
    });
    return this.finish(entry.uri, last);
  }

  /**
   * Publishes with one progress notification: counts and the latest event (readable at 16+ Regions, see
   * core/progress.ts); each Region's outcome is also a line in the log, and the result table lists them all.
   */
  private runPublish(target: LayerTarget, zip: LayerZip, regions: readonly string[], label: string, progress: vscode.Progress<{ message?: string; increment?: number }>, signal: AbortSignal): Promise<PublishReport> {
    const { session, log } = this.deps.shell;
    const text = new PublishProgressText(regions, label);
    log.info(`layers publish ${target.name} (${label}) to ${regions.length} Region(s): ${regions.join(', ')}`);
    return session.core().layers.publishLayer(session.factory(), target, zip, regions, {
      concurrency: readLayersSettings().concurrency,
      signal,
      homeRegion: session.settings.regions[0],
      onProgress: (region: string, phase: RegionPhase, line: string) => {
        const u = text.update(region, phase, line);
        if (u.logLine) log.info(`layers publish ${target.name}: ${u.logLine}`);
        if (phase !== 'waiting') progress.report({ message: u.message, increment: u.increment });
      },
    });
  }

  private async finish(uri: vscode.Uri, last: { report: PublishReport; zip: LayerZip; target: LayerTarget; regions: readonly string[] }): Promise<PublishReport> {
    this.deps.state.recordPublish(uri, last);
    this.deps.panels.showPublish(uri, last.report);
    await vscode.commands.executeCommand('setContext', LAYERS_CONTEXT.hasFailedRegions, this.deps.state.withFailures().length > 0);
    this.deps.refresh();
    const failed = failedRegions(last.report);
    const message = `Layer ${last.report.layerName}: ${summarise(last.report)}${failed.length ? ` (${failed.join(', ')})` : ''}.`;
    if (failed.length) {
      void vscode.window.showWarningMessage(message, 'Retry Failed Regions').then((c) => c && vscode.commands.executeCommand(LAYERS_COMMAND.retryFailed, uri.toString()));
    } else void this.ui.info(message);
    return last.report;
  }

  /** Re-publishes the same bytes to the Regions that failed; each is checked again first (no duplicate version). */
  async retryFailed(arg: ManifestArg): Promise<PublishReport | undefined> {
    let uri: vscode.Uri | undefined;
    if (arg) uri = (await this.resolve(arg)).uri;
    else {
      const candidates = this.deps.state.withFailures();
      if (candidates.length > 1) {
        const pick = await vscode.window.showQuickPick(candidates.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })), { title: 'Retry failed Regions of which layer?' });
        if (!pick) throw new UserCancelledError();
        uri = pick.uri;
      } else uri = candidates[0];
    }
    const previous = uri && this.deps.state.lastPublish(uri);
    const failed = previous ? failedRegions(previous.report) : [];
    if (!uri || !previous || !failed.length) {
      void this.ui.info('No failed layer Regions to retry.');
      return undefined;
    }
    const retried = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Layer ${previous.target.name}: retrying ${failed.length} Region(s)`, cancellable: true }, (progress, token) =>
      this.runPublish(previous.target, previous.zip, failed, `${shortHash(previous.zip.codeSha256)} (same bytes as before)`, progress, abortSignalFor(token)));
    const byRegion = new Map<string, RegionResult>(retried.results.map((r) => [r.region, r]));
    const report: PublishReport = { ...previous.report, results: previous.report.results.map((r) => byRegion.get(r.region) ?? r), wallMs: retried.wallMs };
    return this.finish(uri, { ...previous, report });
  }

  async compareRegions(arg: ManifestArg): Promise<void> {
    const entry = await this.resolve(arg);
    const m = this.valid(entry);
    const { session } = this.deps.shell;
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Comparing ${m.name} across Regions`, cancellable: true }, async (_p, token) => {
      const signal = abortSignalFor(token);
      const regions = await manifestRegions({ shell: this.deps.shell, state: this.deps.state }, m, signal);
      return session.core().layers.layerStatus(session.factory(), m.name, regions, { localSha: this.deps.state.lastBuildSha(entry.uri), concurrency: readLayersSettings().concurrency, signal });
    });
    const ref = result.reference ? `${result.reference.source}${result.reference.version ? ` v${result.reference.version}` : ''} (${result.reference.sha})` : 'none: no Region has a version';
    this.deps.panels.showDrift(entry.uri.toString(), m.name, result.drift, ref);
  }

  async copyArn(node: RegionNode | VersionNode | undefined): Promise<void> {
    const arn = node?.arn;
    if (!arn) throw new Error('Select a Region or a version that has a layer version ARN.');
    await vscode.env.clipboard.writeText(arn);
    vscode.window.setStatusBarMessage(`Copied ${arn}`, 3000);
  }

  async deleteVersion(node: VersionNode | undefined): Promise<void> {
    if (!(node instanceof VersionNode)) throw new Error('Choose a layer version in the Lambda Layers view.');
    const what = `${node.layerName} v${node.info.version} in ${node.region}`;
    const ok = await this.ui.confirm(`Delete layer version ${what}?`, 'Functions that already use it keep working, but it can no longer be added to a function, and the version number is never reused. This cannot be undone.', 'Delete Version');
    if (!ok) throw new UserCancelledError();
    const { session } = this.deps.shell;
    await session.core().layers.deleteVersion(session.factory(), node.layerName, node.region, node.info.version);
    void this.ui.info(`Deleted ${what}.`);
    this.deps.refresh();
  }
}
