// Bundles OpsDeck with esbuild:
//   dist/extension.js  the VS Code entry: the shell only (no feature code, no AWS SDK: checked by tests)
//   dist/features.js   the five features' VS Code layers, loaded right after activation
//   dist/core.js       everything that talks to AWS, required lazily by the extension and the CLI
//   dist/cli.js        the `opsdeck` command line
//   dist/webview/*.js  browser bundles for webviews (added by features)
// Flags: --release (minify, no inline sources), --watch.
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syncPackageJson } from './lib/contributes.mjs';
import { syncReadme } from './readme-settings.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const release = process.argv.includes('--release');
const watch = process.argv.includes('--watch');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

if (syncPackageJson(root)) console.log('package.json contributes updated from src/*/contributes.json');
if (syncReadme(root)) console.log('README.md settings table updated from package.json');

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  minify: release,
  external: ['vscode'],
  mainFields: ['module', 'main'],
  metafile: true,
  logLevel: 'warning',
  define: { __OPSDECK_BUNDLED__: 'true', __OPSDECK_VERSION__: JSON.stringify(version) },
};

/** Webview bundles: features append `[name, entry]` pairs here. */
export const WEBVIEWS = [];
WEBVIEWS.push(['msk-dashboard', 'src/msk/webview/dashboard.ts']);

const builds = [
  { ...node, entryPoints: { extension: join(root, 'src/extension.ts') }, outdir: join(root, 'dist') },
  { ...node, entryPoints: { features: join(root, 'src/features.ts') }, outdir: join(root, 'dist') },
  { ...node, entryPoints: { core: join(root, 'src/core.ts') }, outdir: join(root, 'dist') },
  {
    ...node,
    entryPoints: { cli: join(root, 'src/cli/main.ts') },
    outdir: join(root, 'dist'),
    banner: { js: '#!/usr/bin/env node' },
  },
  ...WEBVIEWS.map(([name, entry]) => ({
    bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: !release, minify: true,
    entryPoints: { [name]: join(root, entry) }, outdir: join(root, 'dist/webview'), metafile: true, logLevel: 'warning',
  })),
];

mkdirSync(join(root, 'dist'), { recursive: true });
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('watching…');
} else {
  const started = Date.now();
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  const meta = {};
  for (const r of results) {
    for (const [out, info] of Object.entries(r.metafile.outputs)) {
      if (out.endsWith('.map')) continue;
      meta[out.replace(/^.*?dist\//, 'dist/')] = { bytes: info.bytes, inputs: Object.keys(info.inputs) };
    }
  }
  writeFileSync(join(root, 'dist/meta.json'), JSON.stringify(meta, null, 1));
  const sizes = Object.entries(meta).map(([k, v]) => `${k} ${(v.bytes / 1024).toFixed(0)} KB`).join(', ');
  console.log(`built in ${Date.now() - started} ms: ${sizes}`);
}
