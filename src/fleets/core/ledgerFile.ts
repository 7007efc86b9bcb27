import { promises as fs } from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../../devhosts/core/atomicWrite';
import { LaunchLedger, type LedgerOptions } from './clientToken';

/**
 * The launch ledger on disk (`fleet-launches.json`): the CLI keeps it in its state folder, the editor in its
 * global storage. Every save is atomic (temp file in the same folder, fsync, rename, fsync of the folder: a crash
 * leaves the old or the new ledger, never half of one) and merges this process's changes over what is in the
 * file now, so two launches of different files from two processes do not drop each other's pending entries.
 */
export interface LoadedLedger {
  readonly ledger: LaunchLedger;
  readonly save: () => Promise<void>;
  /** Set when the file was unreadable JSON: it was moved aside (the path says where) and an empty ledger used. */
  readonly warning?: string;
}

export async function loadLedgerFile(file: string, options: LedgerOptions = {}): Promise<LoadedLedger> {
  const { data, warning } = await readLedger(file, true);
  const ledger = new LaunchLedger(data, options);
  const save = async (): Promise<void> => {
    const { data: current } = await readLedger(file, false);
    await writeFileAtomic(file, `${JSON.stringify(ledger.mergeInto(current), null, 2)}\n`, { mode: 0o600 });
  };
  return { ledger, save, warning };
}

async function readLedger(file: string, moveAsideIfCorrupt: boolean): Promise<{ data: unknown; warning?: string }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { data: undefined };
    throw Object.assign(new Error(`Cannot read the fleet launch ledger ${file}: ${(err as Error).message}`), { name: 'LedgerUnreadable' });
  }
  try {
    return { data: JSON.parse(text) };
  } catch {
    if (!moveAsideIfCorrupt) return { data: undefined };
    const aside = `${file}.corrupt-${Date.now()}`;
    await fs.rename(file, aside).catch(() => undefined);
    return { data: undefined, warning: `The fleet launch ledger ${file} was not valid JSON; it was moved to ${path.basename(aside)} and a new one started.` };
  }
}
