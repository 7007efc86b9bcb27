// Starts a real VS Code (code-server from .tools/, see scripts/lib/tools.mjs) on a free loopback port.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ensureTools } from './tools.mjs';

/** User settings that keep the workbench quiet: no welcome page, telemetry, updates, AI features, git. */
export const QUIET_SETTINGS = Object.freeze({
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'chat.disableAIFeatures': true,
  'files.hotExit': 'off',
  'git.enabled': false,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
});

/** With `workspaceTrust`: trust on, no "Do you trust the authors?" dialog, so the folder opens in Restricted Mode. */
export const RESTRICTED_MODE_SETTINGS = Object.freeze({
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.emptyWindow': false,
});

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The environment for code-server, hence its extension hosts: ours without Node/VS Code internals and, unless
 * `inheritAwsEnv`, without ambient AWS_* / OPSDECK_* (hermetic: AWS config files point into the user-data dir,
 * instance metadata is off). `extra` goes on top.
 */
function serverEnv(node24Bin, extra, { inheritAwsEnv = true, userDataDir } = {}) {
  const env = { ...process.env };
  const internal = (key) => key === 'NODE_OPTIONS' || /^(VSCODE_|ELECTRON_|npm_)/.test(key);
  const aws = (key) => /^(AWS_|OPSDECK_)/.test(key);
  for (const key of Object.keys(env)) if (internal(key) || (!inheritAwsEnv && aws(key))) delete env[key];
  if (!inheritAwsEnv) {
    env.AWS_CONFIG_FILE = path.join(userDataDir, 'aws', 'config');
    env.AWS_SHARED_CREDENTIALS_FILE = path.join(userDataDir, 'aws', 'credentials');
    env.AWS_EC2_METADATA_DISABLED = 'true';
  }
  env.PATH = `${path.dirname(node24Bin)}${path.delimiter}${env.PATH ?? ''}`;
  env.EXTENSIONS_GALLERY = '{}'; // no gallery: no extension queries leave the machine
  return { ...env, ...extra };
}

const entryOf = (codeServerBin) => fs.realpathSync(codeServerBin); // .bin/code-server -> out/node/entry.js

async function waitForHealth(baseUrl, child, logTail, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${logTail()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${baseUrl}/healthz within ${timeoutMs / 1000} s:\n${logTail()}`);
}

/**
 * Starts code-server. Env vars in `env` reach the extension host (it inherits the server's environment).
 * Ambient AWS_* and OPSDECK_* variables are dropped unless `inheritAwsEnv` (see serverEnv).
 * @param {{ userDataDir: string, extensionsDir: string, settings?: object, env?: Record<string,string>,
 *   smokeTestDriver?: boolean, workspaceFolder?: string, log?: (msg: string) => void,
 *   tools?: { node24Bin: string, codeServerBin: string }, healthTimeoutMs?: number, inheritAwsEnv?: boolean,
 *   workspaceTrust?: boolean }} options
 *   `workspaceTrust`: keep VS Code's workspace trust on (default off, as for most tests): the folder then opens in
 *   Restricted Mode, without the startup prompt.
 * @returns {Promise<{ url: string, baseUrl: string, port: number, logFile: string, stop: () => Promise<void> }>}
 *   `url` opens the workbench (on `workspaceFolder` when given).
 */
export async function startCodeServer({
  userDataDir, extensionsDir, settings = {}, env = {}, smokeTestDriver = false, workspaceFolder,
  log = () => {}, tools, healthTimeoutMs = 60_000, inheritAwsEnv = false, workspaceTrust = false,
}) {
  const { node24Bin, codeServerBin } = tools ?? (await ensureTools({ log }));
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const trustSettings = workspaceTrust ? RESTRICTED_MODE_SETTINGS : {};
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...trustSettings, ...settings }, null, 2));
  const configFile = path.join(userDataDir, 'code-server.yaml'); // keeps ~/.config/code-server untouched
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');

  const port = await freePort();
  const args = [
    entryOf(codeServerBin),
    '--config', configFile,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override', '--ignore-last-opened',
    '--reconnection-grace-time', '10',
  ];
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');

  const logFile = path.join(userDataDir, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  log(`starting code-server on 127.0.0.1:${port}${smokeTestDriver ? ' (smoke-test driver)' : ''}${workspaceTrust ? ' (workspace trust on)' : ''}`);
  const child = spawn(node24Bin, args, {
    cwd: workspaceFolder ?? userDataDir,
    env: serverEnv(node24Bin, env, { inheritAwsEnv, userDataDir }),
    stdio: ['ignore', out, out],
    detached: true, // own process group, so stop() ends the extension hosts and pty hosts too
  });
  fs.closeSync(out);
  const logTail = () => {
    try {
      return fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      return '(no code-server log)';
    }
  };

  let stopped;
  const stop = () => (stopped ??= stopGroup(child));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    const t0 = Date.now();
    await waitForHealth(baseUrl, child, logTail, healthTimeoutMs);
    log(`code-server healthy after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (err) {
    await stop();
    throw err;
  }
  const url = workspaceFolder ? `${baseUrl}/?folder=${encodeURIComponent(workspaceFolder)}` : `${baseUrl}/`;
  return { url, baseUrl, port, logFile, stop };
}

/** SIGTERM the whole process group, SIGKILL it after 3 s. */
function stopGroup(child) {
  return new Promise((resolve) => {
    const kill = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    if (child.exitCode !== null || child.signalCode !== null) {
      kill('SIGKILL'); // leftovers of the group, if any
      return resolve();
    }
    const timer = setTimeout(() => kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      kill('SIGKILL');
      resolve();
    });
    kill('SIGTERM');
  });
}

/**
 * Installs a .vsix into an extensions dir with `code-server --install-extension <vsix> --force`.
 * @param {string} vsixPath
 * @param {string} extensionsDir
 * @param {{ userDataDir?: string, log?: (msg: string) => void, tools?: { node24Bin: string, codeServerBin: string } }} [options]
 */
export async function installVsix(vsixPath, extensionsDir, { userDataDir, log = () => {}, tools } = {}) {
  const { node24Bin, codeServerBin } = tools ?? (await ensureTools({ log }));
  fs.mkdirSync(extensionsDir, { recursive: true });
  const args = [entryOf(codeServerBin), '--extensions-dir', extensionsDir, '--install-extension', path.resolve(vsixPath), '--force'];
  if (userDataDir) args.push('--user-data-dir', userDataDir);
  const t0 = Date.now();
  await new Promise((resolve, reject) => {
    const child = spawn(node24Bin, args, { env: serverEnv(node24Bin, {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 && !/Failed Installing/i.test(output) ? resolve() : reject(new Error(`installing ${vsixPath} failed (${code}):\n${output}`)),
    );
  });
  log(`installed ${path.basename(vsixPath)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
