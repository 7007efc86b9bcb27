// Packages the extension as a .vsix (vsce package --no-dependencies) and installs it into an extensions dir.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installVsix } from './codeServer.mjs';
import { repoRoot } from './paths.mjs';

// Never packaged, whatever .vscodeignore says: tool caches and outputs of the working tree.
const ALWAYS_IGNORED = ['.tools/**', '.git/**', 'node_modules/**', 'out/**', 'test-results/**', '.demo/**', '.vscode-test/**', '**/*.vsix'];
// Used only while the repo has no .vscodeignore yet.
const FALLBACK_IGNORED = ['src/**', 'test/**', 'scripts/**', '.ci/**', '**/*.map', '**/*.ts', 'tsconfig*.json', '.mocharc*', 'eslint.config.*', '.gitignore'];

const exec = (cmd, args, cwd) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${output}`))));
  });

let packaged; // one .vsix per process: every spec file of a mocha run shares it

/**
 * Builds (npm run build, unless OPSDECK_SKIP_BUILD=1) and packages the extension; cached per process.
 * @param {{ log?: (msg: string) => void, extensionPath?: string, build?: boolean }} [options]
 * @returns {Promise<string>} the .vsix path (in a temp dir)
 */
export function packageExtension({ log = () => {}, extensionPath = repoRoot, build = process.env.OPSDECK_SKIP_BUILD !== '1' } = {}) {
  packaged ??= (async () => {
    const t0 = Date.now();
    if (build && extensionPath === repoRoot) {
      log('building the extension (npm run build)');
      await exec('npm', ['run', '--silent', 'build'], extensionPath);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-vsix-'));
    const out = path.join(dir, 'extension.vsix');
    const manifest = JSON.parse(fs.readFileSync(path.join(extensionPath, 'package.json'), 'utf8'));
    const args = ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out];
    if (!manifest.files) {
      // vsce reads only one ignore file: the repo's .vscodeignore plus our must-excludes.
      const own = path.join(extensionPath, '.vscodeignore');
      const base = fs.existsSync(own) ? fs.readFileSync(own, 'utf8').split(/\r?\n/) : FALLBACK_IGNORED;
      const ignoreFile = path.join(dir, 'vscodeignore');
      fs.writeFileSync(ignoreFile, [...base, ...ALWAYS_IGNORED].join('\n') + '\n');
      args.push('--ignoreFile', ignoreFile);
    }
    const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
    await exec(process.execPath, [vsce, ...args], extensionPath);
    log(`packaged ${path.basename(extensionPath)} (${(fs.statSync(out).size / 1024).toFixed(0)} KiB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    return out;
  })();
  packaged.catch(() => (packaged = undefined));
  return packaged;
}

/** installVsix, re-exported for the e2e fixture. */
export const installPackagedExtension = installVsix;
