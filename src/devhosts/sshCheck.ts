import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import { findRegion } from './core/merge';
import type { RenderedEntry } from './core/render';
import { compareEntry, findCulprit, parseSshG, type ConfigSource, type Mismatch } from './core/sshEffective';

/**
 * Asks the real OpenSSH what it will do: `ssh -G -F <config> <alias>` for each rendered entry, so a value ssh
 * rejects (the peer's `User '%r'`) or a user `Host *` that wins over OpsDeck is caught before anyone connects.
 */
export interface SshCheckResult {
  readonly checked: number;
  readonly mismatches: readonly Mismatch[];
  /** Aliases ssh refused to evaluate, with its error output. */
  readonly failures: readonly { readonly alias: string; readonly error: string }[];
}

/** No OpenSSH client to ask: one error for the whole check, not one "spawn ssh ENOENT" per entry. */
export class SshMissingError extends Error {
  constructor(readonly ssh: string) {
    super(`no OpenSSH client (\`${ssh}\`) on this machine's PATH, so the config was not checked with ssh -G; Remote-SSH needs one too: install OpenSSH (Debian/Ubuntu: openssh-client; Windows: the OpenSSH Client optional feature)`);
    this.name = 'SshMissingError';
  }
}

export function runSshG(ssh: string, configFile: string, alias: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(ssh, ['-G', '-F', configFile, '--', alias], { timeout: 10_000, signal, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT') reject(new SshMissingError(ssh));
      else if (err) reject(new Error((stderr || err.message).trim()));
      else resolve(stdout);
    });
  });
}

export async function checkWithSsh(entries: readonly RenderedEntry[], configFile: string, options: { ssh?: string; home?: string; signal?: AbortSignal; concurrency?: number } = {}): Promise<SshCheckResult> {
  const ssh = options.ssh ?? 'ssh';
  const home = options.home ?? os.homedir();
  let source: ConfigSource | undefined;
  try {
    const buf = await fs.promises.readFile(configFile);
    const region = findRegion(buf.toString('latin1'));
    source = { file: configFile, text: buf.toString('utf8'), skip: region ? [{ from: region.startLine, to: region.endLine }] : [] };
  } catch { /* the culprit search is best effort */ }
  const mismatches: Mismatch[] = [];
  const failures: { alias: string; error: string }[] = [];
  const queue = [...entries];
  const lanes = Array.from({ length: Math.min(options.concurrency ?? 4, queue.length) }, async () => {
    for (let e = queue.shift(); e; e = queue.shift()) {
      try {
        const effective = parseSshG(await runSshG(ssh, configFile, e.alias, options.signal));
        for (const m of compareEntry(e, effective, home)) mismatches.push({ ...m, culprit: source ? findCulprit(source, e.alias, m.keyword) : undefined });
      } catch (err) {
        if (err instanceof SshMissingError) {
          queue.length = 0; // the other lanes stop too; the whole check rejects with this one error
          throw err;
        }
        failures.push({ alias: e.alias, error: (err as Error).message });
      }
    }
  });
  await Promise.all(lanes);
  return { checked: entries.length, mismatches, failures };
}

export function describeCheck(r: SshCheckResult): string[] {
  const lines: string[] = [];
  for (const f of r.failures) lines.push(`ssh -G ${f.alias} failed: ${f.error}`);
  for (const m of r.mismatches) lines.push(`${m.alias}: ${m.keyword} is "${m.actual}", OpsDeck set "${m.expected}"${m.culprit ? ` — overridden by ${m.culprit}` : ''}`);
  return lines;
}
