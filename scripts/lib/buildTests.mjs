// Bundles the extension-host test runner (test/vscode/index.ts) and every test/vscode/suite/**/*.test.ts
// into out/test/vscode/index.js. Feature engineers only drop new *.test.ts files into test/vscode/suite/.
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from './paths.mjs';

export const testsEntry = path.join(repoRoot, 'test', 'vscode', 'index.ts');
export const suiteDir = path.join(repoRoot, 'test', 'vscode', 'suite');
export const testsBundle = path.join(repoRoot, 'out', 'test', 'vscode', 'index.js');

/** Every *.test.ts under test/vscode/suite/, sorted, as absolute paths. */
export function findSuiteFiles(dir = suiteDir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}

// Resolves `opsdeck:vscode-suites` to a module listing lazy loaders, so each suite file runs only after
// mocha has defined describe/it (between its pre-require and post-require events).
const suitesPlugin = (files) => ({
  name: 'opsdeck-vscode-suites',
  setup(build) {
    build.onResolve({ filter: /^opsdeck:vscode-suites$/ }, () => ({ path: 'suites', namespace: 'opsdeck-suites' }));
    build.onLoad({ filter: /.*/, namespace: 'opsdeck-suites' }, () => ({
      resolveDir: repoRoot,
      loader: 'js',
      watchFiles: files,
      contents:
        'export const suites = [\n' +
        files
          .map((f) => `  { file: ${JSON.stringify(path.relative(repoRoot, f))}, load: () => require(${JSON.stringify(f)}) },`)
          .join('\n') +
        '\n];\n',
    }));
  },
});

/**
 * Writes `outfile` (a loader that turns on source maps, so stack traces name the .ts lines) and, beside it,
 * `<name>.bundle.js` (runner + suites, mocha included, `vscode` external).
 * @param {{ log?: (msg: string) => void, outfile?: string }} [options]
 * @returns {Promise<{ outfile: string, suiteFiles: string[] }>}
 */
export async function buildTests({ log = () => {}, outfile = testsBundle } = {}) {
  const suiteFiles = findSuiteFiles();
  const t0 = Date.now();
  const bundle = outfile.replace(/\.js$/, '.bundle.js');
  await esbuild.build({
    entryPoints: [testsEntry],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // Same resolution as the extension bundles (scripts/build.mjs): ESM builds first (jsonc-parser's UMD build does not bundle).
    mainFields: ['module', 'main'],
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'warning',
    logOverride: { 'require-resolve-not-external': 'silent' }, // mocha's parallel mode, unused here
    plugins: [suitesPlugin(suiteFiles)],
  });
  fs.writeFileSync(
    outfile,
    `'use strict';\nprocess.setSourceMapsEnabled?.(true);\nmodule.exports = require('./${path.basename(bundle)}');\n`,
  );
  log(`bundled ${suiteFiles.length} suite file(s) into ${outfile} in ${Date.now() - t0} ms`);
  return { outfile, suiteFiles };
}
