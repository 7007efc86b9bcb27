// Packages the extension as a .vsix (vsce package --no-dependencies) and installs it into an extensions dir.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installVsix } from './codeServer.mjs';
import { repoRoot } from './paths.mjs';

// Top-level folders never packaged and too big to let vsce walk (it globs the whole folder before applying
// .vscodeignore: 13 s with .tools/ present). The extension is staged without them, then packaged there.
const NOT_STAGED = new Set(['.tools', '.git', 'node_modules', 'out', 'test-results', '.demo', '.vscode-test']);

const exec = (cmd, args, cwd) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${output}`))));
  });

const packaged = new Map(); // extension folder -> .vsix promise: every spec file of a mocha run shares one

/**
 * Builds (npm run build, unless OPSDECK_SKIP_BUILD=1) and packages the extension; cached per process and folder.
 * @param {{ log?: (msg: string) => void, extensionPath?: string, build?: boolean }} [options]
 * @returns {Promise<string>} the .vsix path (in a temp dir)
 */
export function packageExtension({ log = () => {}, extensionPath = repoRoot, build = process.env.OPSDECK_SKIP_BUILD !== '1' } = {}) {
  if (packaged.has(extensionPath)) return packaged.get(extensionPath);
  const pending = (async () => {
    const t0 = Date.now();
    if (build && extensionPath === repoRoot) {
      log('building the extension (npm run build)');
      await exec('npm', ['run', '--silent', 'build'], extensionPath);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-vsix-'));
    const stage = path.join(dir, 'stage');
    fs.mkdirSync(stage);
    for (const entry of fs.readdirSync(extensionPath)) {
      if (NOT_STAGED.has(entry) || entry.endsWith('.vsix')) continue;
      fs.cpSync(path.join(extensionPath, entry), path.join(stage, entry), { recursive: true });
    }
    // Built above already; the stage has no node_modules to run a vscode:prepublish build with.
    const stagedManifest = path.join(stage, 'package.json');
    const manifest = JSON.parse(fs.readFileSync(stagedManifest, 'utf8'));
    if (manifest.scripts?.['vscode:prepublish']) {
      delete manifest.scripts['vscode:prepublish'];
      fs.writeFileSync(stagedManifest, JSON.stringify(manifest, null, 2));
    }
    const out = path.join(dir, 'extension.vsix');
    // The repo's own .vscodeignore (or package.json "files") decides what goes in, as for a release. The
    // README's relative links are left alone (vsce refuses them without a repository URL; no test reads them).
    const args = ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '-o', out];
    const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
    try {
      await exec(process.execPath, [vsce, ...args], stage);
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    fs.rmSync(stage, { recursive: true, force: true });
    log(`packaged ${path.basename(extensionPath)} (${(fs.statSync(out).size / 1024).toFixed(0)} KiB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    return out;
  })();
  packaged.set(extensionPath, pending);
  pending.catch(() => packaged.delete(extensionPath));
  return pending;
}

/** installVsix, re-exported for the e2e fixture. */
export const installPackagedExtension = installVsix;
