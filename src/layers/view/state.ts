import vscode = require('vscode');
import * as path from 'path';
import type { LayerManifest, ManifestLocation, ManifestProblem } from '../core/manifest';
import { parseManifest } from '../core/manifest';
import type { PublishReport } from '../core/results';
import type { LayerTarget, LayerZip, LocalBuildCache } from '../service';

/** A manifest file as read from the workspace: parsed, or with the problems that stop it from parsing. */
export interface ManifestEntry {
  readonly uri: vscode.Uri;
  readonly manifest?: LayerManifest;
  readonly problems: readonly ManifestProblem[];
  /** Where `source` must stay: the workspace folder holding the manifest. */
  readonly location: ManifestLocation;
}

/** The last publish of a manifest: kept so "Retry Failed Regions" sends exactly the same bytes. */
export interface LastPublish {
  readonly report: PublishReport;
  readonly zip: LayerZip;
  readonly target: LayerTarget;
  readonly regions: readonly string[];
}

/**
 * What the layers feature remembers during a session: the hash of each manifest's last build (the view
 * compares Regions with it), and each manifest's last publish (for retry and the report). Passed to the
 * tree and the commands through their constructors.
 */
export class LayersState implements vscode.Disposable {
  private readonly builds = new Map<string, { codeSha256: string; at: number }>();
  private readonly publishes = new Map<string, LastPublish>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Local builds of "none"/zip manifests for the view's drift badges, by source fingerprint (set by the tree). */
  localBuilds?: LocalBuildCache;
  readonly onDidChange = this.changed.event;

  recordBuild(uri: vscode.Uri, codeSha256: string): void {
    this.builds.set(uri.toString(), { codeSha256, at: Date.now() });
    this.changed.fire();
  }

  lastBuildSha(uri: vscode.Uri): string | undefined {
    return this.builds.get(uri.toString())?.codeSha256;
  }

  recordPublish(uri: vscode.Uri, p: LastPublish): void {
    this.publishes.set(uri.toString(), p);
    this.recordBuild(uri, p.zip.codeSha256);
  }

  lastPublish(uri: vscode.Uri): LastPublish | undefined {
    return this.publishes.get(uri.toString());
  }

  /** Manifests whose last publish left failed or cancelled Regions. */
  withFailures(): vscode.Uri[] {
    return [...this.publishes.entries()]
      .filter(([, p]) => p.report.results.some((r) => r.action === 'failed' || r.action === 'cancelled'))
      .map(([k]) => vscode.Uri.parse(k));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * A manifest's source must stay inside the workspace folder that holds it; a manifest in no workspace folder
 * (opened on its own) may use only its own folder.
 */
export function manifestLocation(uri: vscode.Uri): ManifestLocation {
  const dir = path.dirname(uri.fsPath);
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return folder ? { dir, root: folder.uri.fsPath, rootLabel: 'workspace folder' } : { dir, root: dir, rootLabel: 'folder of the manifest (it is in no workspace folder)' };
}

export async function readManifest(uri: vscode.Uri): Promise<ManifestEntry> {
  const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  const location = manifestLocation(uri);
  return { uri, location, ...parseManifest(text, { location }) };
}

export async function findManifests(glob: string): Promise<vscode.Uri[]> {
  const uris = await vscode.workspace.findFiles(glob, '**/node_modules/**', 500);
  return uris.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}
