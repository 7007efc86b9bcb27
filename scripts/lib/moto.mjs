// Starts moto_server (the AWS emulator) on a free loopback port and stops it with its process group.
// moto comes from pyenv's Python (its botocore speaks the JSON CloudWatch protocol the SDK uses).
import { spawn, execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { motoAdvice } from './machineNeeds.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const ROOT_PYENV = '/root/.pyenv';

/** The moto_server to run: MOTO_SERVER, this user's pyenv, root's pyenv (this machine image's), then PATH. */
export function findMoto() {
  const candidates = [process.env.MOTO_SERVER, `${process.env.HOME}/.pyenv/shims/moto_server`, `${ROOT_PYENV}/shims/moto_server`].filter(Boolean);
  for (const c of candidates) if (runnable(c)) return [c];
  try {
    execFileSync('moto_server', ['--help'], { stdio: 'ignore' });
    return ['moto_server'];
  } catch {
    return undefined;
  }
}

/**
 * Why findMoto found nothing: 'root-only' when this machine image's moto sits under /root/.pyenv, which a
 * non-root user cannot even look into (the advice differs: run as root, not "install moto"); else 'not-found'.
 * @returns {'root-only' | 'not-found'}
 */
export function whyNoMoto() {
  try {
    accessSync(ROOT_PYENV);
    return 'not-found';
  } catch (error) {
    return error?.code === 'EACCES' ? 'root-only' : 'not-found';
  }
}

function runnable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** @returns {Promise<{ endpoint: string, port: number, stop: () => Promise<void> }>} */
export async function startMoto({ log = () => {}, command = 'test' } = {}) {
  const cmd = findMoto();
  if (!cmd) throw new Error(motoAdvice(command, whyNoMoto()));
  const port = await freePort();
  const child = spawn(cmd[0], [...cmd.slice(1), '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true' },
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited: ${stderr}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`moto_server did not start in 30 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  log(`moto_server on ${endpoint}`);
  return {
    endpoint,
    port,
    reset: () => fetch(`${endpoint}/moto-api/reset`, { method: 'POST' }).then(() => undefined),
    stop: async () => {
      if (child.exitCode !== null) return;
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      await new Promise((r) => { child.once('exit', r); setTimeout(r, 3000); });
    },
  };
}
