// Figure 2 — sizes of what ships: the entry bundle (dist/extension.js), the lazily loaded AWS half (dist/core.js),
// the CLI front end (dist/cli.js), each webview bundle, and the .vsix (vsce package --no-dependencies).
// Baselines: the entry and CLI bundles are held to the 150 KB budget; core.js is compared with a bundle of the
// bare AWS SDK clients it contains (same esbuild settings, built in this run), so the ratio is what OpsDeck's own
// code adds on top of the SDK; the .vsix is held to the 3 MB budget.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { packageExtension } from '../lib/vsix.mjs';
import { figure, kib } from './lib.mjs';

const KB = 1024;
const MAIN_BUDGET = 150 * KB;
const VSIX_BUDGET = 3 * KB * KB;

const sdkPackageOf = (input) => input.match(/node_modules\/(@aws-sdk\/[^/]+|@smithy\/[^/]+|@aws-crypto\/[^/]+)/)?.[1];

/** Bytes of each input that made it into a bundle, grouped by OpsDeck folder (src/<folder>) and by package. */
async function composition(stageDir, entry = 'src/core.ts') {
  const result = await esbuild.build({
    entryPoints: [path.join(stageDir, entry)], bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    minify: true, external: ['vscode'], mainFields: ['module', 'main'], metafile: true, write: false, logLevel: 'silent',
    absWorkingDir: stageDir, // metafile paths relative to the stage: src/<feature>/…
    define: { __OPSDECK_BUNDLED__: 'true', __OPSDECK_VERSION__: '"bench"' },
  });
  const [output] = Object.values(result.metafile.outputs);
  const groups = {};
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const key = sdkPackageOf(input) ?? input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? input.match(/^src\/([^/]+\/(?:view|core)?)/)?.[1]?.replace(/\/$/, '') ?? input;
    groups[key] = (groups[key] ?? 0) + bytesInOutput;
  }
  const sorted = Object.entries(groups).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, kib(v)]);
  return Object.fromEntries(sorted);
}

/** A minified bundle of only the SDK clients (and credential providers) core.js pulls in: the floor for core.js. */
async function sdkOnlyBytes(meta, tmp) {
  const pkgs = new Set();
  for (const input of meta['dist/core.js'].inputs) {
    const p = sdkPackageOf(input);
    if (p && (/^@aws-sdk\/client-/.test(p) || p === '@aws-sdk/credential-providers')) pkgs.add(p);
  }
  // Only each package's client class (or the default credential chain): the commands, OpsDeck's code and the
  // rest of the SDK runtime it uses are what core.js adds on top.
  const lines = [];
  for (const p of pkgs) {
    const mod = await import(p);
    const name = p === '@aws-sdk/credential-providers' ? 'fromNodeProviderChain' : Object.keys(mod).find((k) => /^[A-Z][A-Za-z0-9]*Client$/.test(k));
    if (name) lines.push(`export { ${name} } from '${p}';`);
  }
  const entry = path.join(tmp, 'sdk-only.js');
  fs.writeFileSync(entry, lines.join('\n'));
  const result = await esbuild.build({
    entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true,
    mainFields: ['module', 'main'], write: false, logLevel: 'silent', nodePaths: [path.join(process.cwd(), 'node_modules')],
    absWorkingDir: process.cwd(),
  });
  return { bytes: result.outputFiles[0].contents.length, packages: [...pkgs].sort() };
}

/**
 * @param {{ stage: { dir: string, dist: string, meta: object }, log: (s: string) => void }} ctx
 * @returns {Promise<{ figures: Record<string, object>, vsix: string }>}
 */
export async function sizeFigures({ stage, log }) {
  const bytes = (rel) => fs.statSync(path.join(stage.dir, rel)).size;
  const figures = {};
  const ext = stage.meta['dist/extension.js'];
  const sdkInEntry = ext.inputs.filter((i) => i.includes('@aws-sdk/') || i.includes('@smithy/'));
  figures['size.extension'] = figure({
    what: 'dist/extension.js (activation bundle, minified)', value: kib(bytes('dist/extension.js')), unit: 'KiB',
    baseline: kib(MAIN_BUDGET), baselineOf: 'budget 150 KiB',
    budget: { max: 150, on: 'value', text: 'main bundle < 150 KB, no AWS SDK inside' },
    detail: { awsSdkInputs: sdkInEntry.length, inputs: ext.inputs.length, kibByPart: await composition(stage.dir, 'src/extension.ts') },
  });
  if (sdkInEntry.length) figures['size.extension'].budget.max = -1; // an SDK module in the entry is over budget whatever the size

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-bench-size-'));
  try {
    const sdk = await sdkOnlyBytes(stage.meta, tmp);
    figures['size.core'] = figure({
      what: 'dist/core.js (AWS half, loaded on first use)', value: kib(bytes('dist/core.js')), unit: 'KiB',
      baseline: kib(sdk.bytes), baselineOf: `the bare SDK clients it uses (${sdk.packages.length} packages, no commands, same esbuild settings)`,
      detail: { sdkPackages: sdk.packages, kibByPart: await composition(stage.dir) },
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  figures['size.features'] = figure({
    what: 'dist/features.js (the five features\' VS Code layers, loaded just after activation; no SDK)', value: kib(bytes('dist/features.js')), unit: 'KiB',
    baseline: kib(MAIN_BUDGET), baselineOf: 'budget 150 KiB (same rule as the entry bundle)',
    detail: { awsSdkInputs: stage.meta['dist/features.js'].inputs.filter((i) => i.includes('@aws-sdk/') || i.includes('@smithy/')).length, kibByPart: await composition(stage.dir, 'src/features.ts') },
  });
  figures['size.cli'] = figure({
    what: 'dist/cli.js (CLI front end, requires core.js lazily)', value: kib(bytes('dist/cli.js')), unit: 'KiB',
    baseline: kib(MAIN_BUDGET), baselineOf: 'budget 150 KiB (same rule as the entry bundle)',
    detail: { awsSdkInputs: stage.meta['dist/cli.js'].inputs.filter((i) => i.includes('@aws-sdk/')).length },
  });
  const webDir = path.join(stage.dist, 'webview');
  if (fs.existsSync(webDir)) {
    for (const f of fs.readdirSync(webDir).filter((n) => n.endsWith('.js'))) {
      figures[`size.webview.${f.replace(/\.js$/, '')}`] = figure({
        what: `dist/webview/${f}`, value: kib(fs.statSync(path.join(webDir, f)).size), unit: 'KiB',
        baseline: kib(MAIN_BUDGET), baselineOf: 'budget 150 KiB',
      });
    }
  }
  log('packaging the .vsix (vsce package --no-dependencies)');
  const vsix = await packageExtension({ extensionPath: stage.dir, build: false, log });
  figures['size.vsix'] = figure({
    what: '.vsix (vsce package --no-dependencies)', value: kib(fs.statSync(vsix).size), unit: 'KiB',
    baseline: kib(VSIX_BUDGET), baselineOf: 'budget 3 MiB',
    budget: { max: 3072, on: 'value', text: '.vsix < 3 MB' },
  });
  return { figures, vsix };
}
