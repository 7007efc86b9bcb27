import * as path from 'path';
import vscode = require('vscode');
import { isOnThisMachine } from '../../common/localFolder';
import type { Shell } from '../../shell/shell';
import { MessageNode, type TreeNode } from '../../shell/tree';
import type { LayerManifest } from '../core/manifest';
import type { DriftState, RegionDrift } from '../core/plan';
import { shortHash } from '../core/plan';
import type { LayerVersionInfo } from '../service';
import { LAYERS_ITEM } from './ids';
import { readLayersSettings } from './settings';
import type { LayersState, ManifestEntry } from './state';

/** What the nodes need, passed down (no globals). */
export interface LayersTreeDeps {
  readonly shell: Shell;
  readonly state: LayersState;
}

const STATE_ICON: Record<DriftState, [string, string | undefined]> = {
  'in-sync': ['pass', 'testing.iconPassed'],
  behind: ['arrow-circle-down', 'list.warningForeground'],
  drifted: ['warning', 'list.warningForeground'],
  missing: ['circle-slash', 'disabledForeground'],
  unknown: ['question', undefined],
};

/** The Regions a manifest targets (DescribeRegions for "all-enabled"). */
export async function manifestRegions(deps: LayersTreeDeps, manifest: LayerManifest, signal?: AbortSignal): Promise<string[]> {
  const { session } = deps.shell;
  const home = session.settings.regions[0] ?? 'us-east-1';
  return session.core().layers.resolveRegions(session.factory(), manifest.regions, home, signal);
}

/**
 * The local content hash to compare Regions with. For layers that need no install (a ready zip, or "none"): a
 * deterministic build of the source as it is now, cached by the source's fingerprint (file list, sizes, times:
 * build.ts LocalBuildCache), so a refresh with nothing changed re-zips nothing and an edited file is noticed.
 * Node.js and Python layers are not installed just to draw a tree: they use the last build or publish of this
 * session, else compare with the most recently published Region.
 */
async function localSha(deps: LayersTreeDeps, entry: ManifestEntry & { manifest: LayerManifest }, signal: AbortSignal): Promise<string | undefined> {
  const m = entry.manifest;
  // A built layer, or a folder on another machine (a Remote-SSH window, OpsDeck on this side): only a build made
  // here counts; without one the Regions are compared with each other.
  if ((!m.sourceIsZip && m.build !== 'none') || !isOnThisMachine(entry.uri)) return deps.state.lastBuildSha(entry.uri);
  const source = path.resolve(path.dirname(entry.uri.fsPath), m.source);
  try {
    const cache = (deps.state.localBuilds ??= new (deps.shell.session.core().layers.LocalBuildCache)());
    return await cache.codeSha256(entry.uri.fsPath, m, { location: entry.location, signal });
  } catch (err) {
    deps.shell.log.warn(`layers: cannot hash ${source} for the drift check: ${(err as Error).message}`);
    return undefined;
  }
}

export class ManifestNode implements TreeNode {
  readonly id: string;

  constructor(readonly entry: ManifestEntry, private readonly deps: LayersTreeDeps) {
    this.id = `layers/manifest/${entry.uri.toString()}`;
  }

  get manifest(): LayerManifest | undefined {
    return this.entry.manifest;
  }

  treeItem(): vscode.TreeItem {
    const m = this.entry.manifest;
    const rel = vscode.workspace.asRelativePath(this.entry.uri);
    const item = new vscode.TreeItem(m?.name ?? path.basename(this.entry.uri.fsPath), vscode.TreeItemCollapsibleState.Expanded);
    item.description = rel;
    item.resourceUri = this.entry.uri;
    item.iconPath = new vscode.ThemeIcon(m ? 'layers' : 'error', m ? undefined : new vscode.ThemeColor('errorForeground'));
    const hasFailed = this.deps.state.withFailures().some((u) => u.toString() === this.entry.uri.toString());
    item.contextValue = `${LAYERS_ITEM.manifest}${m ? '' : ':invalid'}${hasFailed ? ':failed' : ''}`;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${m?.name ?? 'Invalid manifest'}** — \`${rel}\`\n\n`);
    if (m) {
      md.appendMarkdown(`Build: ${m.sourceIsZip ? 'ready zip' : m.build} from \`${m.source}\`\n\n`);
      md.appendMarkdown(`Regions: ${m.regions === 'all-enabled' ? 'all enabled' : m.regions.join(', ')}\n\n`);
      if (m.compatibleRuntimes.length) md.appendMarkdown(`Runtimes: ${m.compatibleRuntimes.join(', ')}\n\n`);
    }
    item.tooltip = md;
    return item;
  }

  async children(signal: AbortSignal): Promise<TreeNode[]> {
    const m = this.entry.manifest;
    if (!m) {
      return this.entry.problems
        .filter((p) => p.severity === 'error')
        .slice(0, 5)
        .map((p, i) => new MessageNode(`${this.id}/problem/${i}`, p.message, 'error'));
    }
    const { session } = this.deps.shell;
    const regions = await manifestRegions(this.deps, m, signal);
    const sha = await localSha(this.deps, { ...this.entry, manifest: m }, signal);
    const status = await session.core().layers.layerStatus(session.factory(), m.name, regions, { localSha: sha, concurrency: readLayersSettings().concurrency, signal });
    return status.drift.map((d) => new RegionNode(this.id, m.name, d, this.deps));
  }
}

export class RegionNode implements TreeNode {
  readonly id: string;

  constructor(parentId: string, readonly layerName: string, readonly drift: RegionDrift, private readonly deps: LayersTreeDeps) {
    this.id = `${parentId}/region/${drift.region}`;
  }

  get region(): string {
    return this.drift.region;
  }

  get arn(): string | undefined {
    return this.drift.latest?.arn;
  }

  treeItem(): vscode.TreeItem {
    const d = this.drift;
    const item = new vscode.TreeItem(d.region, d.latest ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    // The badge first: it is what a narrow side bar must not cut off.
    const parts = d.latest ? [d.badge, `v${d.latest.version}`, shortHash(d.latest.codeSha256)] : [d.error ? `error: ${d.error}` : d.badge];
    item.description = parts.join(' · ');
    const [icon, color] = d.error ? ['error', 'errorForeground'] : STATE_ICON[d.state];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = `${LAYERS_ITEM.region}:${d.state}${d.latest ? ':hasVersion' : ''}`;
    item.tooltip = d.latest
      ? `${d.latest.arn}\nCodeSha256 ${d.latest.codeSha256}\n${d.latest.createdDate ?? ''}\n${d.badge}`
      : d.error ?? `${this.layerName} has no version in ${d.region}`;
    return item;
  }

  async children(signal: AbortSignal): Promise<TreeNode[]> {
    const { session } = this.deps.shell;
    const versions = await session.core().layers.listVersions(session.factory(), this.layerName, this.region, signal);
    const shown = versions.slice(0, 50).map((v) => new VersionNode(this.id, this.layerName, this.region, v, this.deps));
    if (versions.length > 50) shown.push(new VersionsMoreNode(`${this.id}/more`, versions.length - 50) as unknown as VersionNode);
    return shown;
  }
}

class VersionsMoreNode extends MessageNode {
  constructor(id: string, n: number) {
    super(id, `… ${n} older versions (use the AWS console or CLI)`, 'ellipsis');
  }
}

export class VersionNode implements TreeNode {
  readonly id: string;

  constructor(parentId: string, readonly layerName: string, readonly region: string, readonly info: LayerVersionInfo, private readonly deps: LayersTreeDeps) {
    this.id = info.arn || `${parentId}/v${info.version}`;
  }

  get arn(): string {
    return this.info.arn;
  }

  treeItem(): vscode.TreeItem {
    const v = this.info;
    const item = new vscode.TreeItem(`v${v.version}`, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = [v.runtimes.join(', ') || 'any runtime', v.architectures.join(', ') || 'any architecture', v.createdDate?.slice(0, 16).replace('T', ' ')].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon('versions');
    item.contextValue = LAYERS_ITEM.version;
    item.tooltip = `${v.arn}${v.description ? `\n${v.description}` : ''}`;
    return item;
  }

  async children(signal: AbortSignal): Promise<TreeNode[]> {
    const { session } = this.deps.shell;
    const grants = await session.core().layers.versionGrants(session.factory(), this.layerName, this.region, this.info.version, signal);
    if (!grants.length) return [new MessageNode(`${this.id}/grants/none`, 'Only this account may use it', 'lock')];
    return grants.map((g, i) => new MessageNode(`${this.id}/grants/${i}`, `May use: ${g}`, g.includes('public') ? 'globe' : 'person'));
  }
}
