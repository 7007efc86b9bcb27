// A release build of OpsDeck in a temp folder, so the bench measures what ships (minified bundles, the .vsix)
// without touching the shared dist/ others are building into. The source is the working tree (default) or a
// git ref (--ref HEAD: exactly what a fresh clone would measure).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../lib/paths.mjs';
import { run } from './lib.mjs';

// Never copied: large, generated or private to this checkout.
const SKIP = new Set(['.git', 'node_modules', '.tools', 'out', 'test-results', '.demo', '.vscode-test', 'dist']);

/**
 * @param {{ ref?: string, log: (s: string) => void }} options
 * @returns {Promise<{ dir: string, dist: string, meta: Record<string, { bytes: number, inputs: string[] }>, cleanup: () => void }>}
 */
export async function stageReleaseBuild({ ref, log }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-bench-stage-'));
  if (ref) {
    log(`staging git ${ref} into ${dir}`);
    const tar = path.join(dir, '..', `${path.basename(dir)}.tar`);
    await run('git', ['archive', '--format=tar', '-o', tar, ref], { cwd: repoRoot });
    await run('tar', ['-xf', tar, '-C', dir]);
    fs.rmSync(tar, { force: true });
  } else {
    log(`staging the working tree into ${dir}`);
    for (const entry of fs.readdirSync(repoRoot)) {
      if (SKIP.has(entry) || entry.endsWith('.vsix')) continue;
      fs.cpSync(path.join(repoRoot, entry), path.join(dir, entry), { recursive: true });
    }
  }
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  log('release build (node scripts/build.mjs --release)');
  await run(process.execPath, [path.join(dir, 'scripts', 'build.mjs'), '--release'], { cwd: dir });
  const dist = path.join(dir, 'dist');
  const meta = JSON.parse(fs.readFileSync(path.join(dist, 'meta.json'), 'utf8'));
  return { dir, dist, meta, cleanup: () => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 }) };
}
