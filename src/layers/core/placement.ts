import * as path from 'path';
import { inside } from './manifest';

/**
 * Where "Create Layer Manifest from Folder" writes the manifest. It must land inside the workspace folder (the
 * Lambda Layers view only searches the workspace, and a manifest's source must stay inside it):
 *   - for a folder below the workspace folder's root: next to the folder, `"source": "./<folder>"`, so the
 *     manifest is not part of what it describes;
 *   - for the workspace folder itself: inside it, `"source": "."` (the build never zips *.layer.json files, see
 *     DEFAULT_EXCLUDES in glob.ts, so the manifest does not end up in its own layer);
 *   - for a folder in no workspace folder: nowhere (an error that says why).
 * Pure: paths in, paths out.
 */
export type ManifestPlacement =
  | { readonly ok: true; readonly file: string; readonly source: string; readonly where: 'beside' | 'inside' }
  | { readonly ok: false; readonly error: string };

export function placeManifest(folder: string, workspaceRoot: string | undefined, name: string, p: path.PlatformPath = path): ManifestPlacement {
  const fileName = `${name}.layer.json`;
  if (!workspaceRoot || !inside(workspaceRoot, folder)) {
    return { ok: false, error: `${folder} is not inside a workspace folder. The Lambda Layers view lists manifests of the open workspace only: add the folder to the workspace (File > Add Folder to Workspace…) or choose a folder inside it.` };
  }
  if (p.relative(workspaceRoot, folder) === '') return { ok: true, file: p.join(folder, fileName), source: '.', where: 'inside' };
  return { ok: true, file: p.join(p.dirname(folder), fileName), source: `./${p.basename(folder)}`, where: 'beside' };
}
