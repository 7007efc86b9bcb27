import { spawn } from 'child_process';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '../../..');
export const CLI = path.join(ROOT, 'dist/cli.js');

/** dist/cli.js as users run it; built once if a laptop run has no dist yet (npm test builds first). */
export function ensureCli(): string {
  if (!fs.existsSync(CLI)) execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'ignore' });
  return CLI;
}

export interface CliRun { code: number | null; stdout: string; stderr: string; ms: number; signal: NodeJS.Signals | null }

/** Spawns the built CLI (no shell) with a clean environment plus `env`, and a hard timeout; `wrapper` e.g. setpriv. */
export function runCli(args: string[], env: Record<string, string | undefined>, timeoutMs = 60_000, wrapper?: { cmd: string; args: string[] }): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(wrapper?.cmd ?? process.execPath, [...(wrapper ? [...wrapper.args, process.execPath] : []), ensureCli(), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: env.HOME ?? process.env.HOME, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_EC2_METADATA_DISABLED: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}
