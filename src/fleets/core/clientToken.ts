import { createHash, randomUUID } from 'crypto';
import type { FleetRequest } from './types';

/**
 * Idempotent launches. EC2 returns the same fleet for a repeated ClientToken (within its idempotency window),
 * so:
 * - every launch *intent* gets a fresh random token, recorded in the ledger as pending BEFORE the first
 *   CreateFleet is sent. A token derived from the request (and a per-machine counter) would repeat on a fresh
 *   machine, workspace or CI runner, and EC2 would answer with the OLD fleet as if it were a new launch;
 * - every retry of that launch reuses it: the SDK's retries, OpsDeck's own, and a resume after a crash or
 *   restart (the pending entry survives in the ledger file);
 * - once the result is known (a response, or a definite refusal) the launch is finished and its token is never
 *   used again: the next deliberate launch gets a new one;
 * - a pending launch is never resumed silently: the caller states the intent ('resume' or 'new');
 *   `begin` without one refuses while a launch of the same request is pending.
 *
 * Launches are keyed by a fingerprint of Region + request: resuming must send the same request (EC2 refuses a
 * known token with other parameters).
 */
export type LaunchIntent = 'new' | 'resume';

export interface PendingLaunch {
  readonly fingerprint: string;
  readonly token: string;
  readonly region: string;
  /** The file it came from (absolute path or URI), for messages and to find pending launches of an edited file. */
  readonly source?: string;
  readonly startedAt: string;
  /** How many times it was resumed after the first try (restarts, "resume" choices). */
  readonly resumes: number;
}

export interface FinishedLaunch {
  readonly fingerprint: string;
  readonly token: string;
  readonly region: string;
  readonly source?: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** created: EC2 answered with a fleet; refused: a definite error, nothing launched; abandoned: the user started a new launch instead. */
  readonly result: 'created' | 'refused' | 'abandoned';
  readonly fleetId?: string;
}

export interface LedgerData {
  readonly version: 2;
  /** Launches sent (or about to be) whose result is not known, by fingerprint: at most one per request. */
  readonly pending: Readonly<Record<string, PendingLaunch>>;
  /** The last finished launch of each request, by fingerprint (the newest MAX_FINISHED kept). */
  readonly finished: Readonly<Record<string, FinishedLaunch>>;
}

export const MAX_FINISHED = 200;
/** EC2 ClientToken: at most 64 ASCII characters. `opsdeck-` + a UUID is 44. */
export const newClientToken = (): string => `opsdeck-${randomUUID()}`;

/** What is launched where: the request as sent (minus DryRun and ClientToken) and the Region, canonically. */
export function requestFingerprint(region: string, request: FleetRequest): string {
  const { DryRun: _d, ClientToken: _c, ...rest } = request;
  return createHash('sha256').update(`${region}\n${canonicalJson(rest)}`).digest('hex');
}

/** A launch of the same request is pending: the caller must choose to resume it or start a new one. */
export class PendingLaunchError extends Error {
  override readonly name = 'LaunchPending';
  constructor(readonly pending: PendingLaunch) {
    super(`A launch of this request started ${pending.startedAt} has an unknown outcome (ClientToken ${pending.token}). Resume it (same ClientToken: EC2 returns that fleet if it was created) or start a new launch deliberately.`);
  }
}

export interface LedgerOptions {
  readonly now?: () => Date;
  readonly newToken?: () => string;
}

export class LaunchLedger {
  private readonly pendingByFp: Map<string, PendingLaunch>;
  private readonly finishedByFp: Map<string, FinishedLaunch>;
  /** Fingerprints this instance changed: what `mergeInto` writes over a ledger another process saved meanwhile. */
  private readonly dirty = new Set<string>();
  private readonly now: () => Date;
  private readonly newToken: () => string;

  constructor(data: unknown = undefined, options: LedgerOptions = {}) {
    const parsed = parseLedger(data);
    this.pendingByFp = new Map(Object.entries(parsed.pending));
    this.finishedByFp = new Map(Object.entries(parsed.finished));
    this.now = options.now ?? (() => new Date());
    this.newToken = options.newToken ?? newClientToken;
  }

  pending(fingerprint: string): PendingLaunch | undefined {
    return this.pendingByFp.get(fingerprint);
  }

  lastFinished(fingerprint: string): FinishedLaunch | undefined {
    return this.finishedByFp.get(fingerprint);
  }

  /** Pending launches of the same file with other content (it was edited after a launch whose outcome is unknown). */
  pendingElsewhere(source: string, fingerprint: string): PendingLaunch[] {
    return [...this.pendingByFp.values()].filter((p) => p.source === source && p.fingerprint !== fingerprint);
  }

  /**
   * Starts (or resumes) a launch and returns the token to send. Persist the ledger before sending.
   * - 'resume': the pending launch's token (an error if none is pending);
   * - 'new': a fresh token; a pending launch of the same request (or of the same source) is recorded as abandoned;
   * - no intent: a fresh token, or PendingLaunchError when one is pending.
   */
  begin(fingerprint: string, options: { intent?: LaunchIntent; region: string; source?: string }): { token: string; resumed: boolean } {
    const pending = this.pendingByFp.get(fingerprint);
    if (options.intent === 'resume') {
      if (!pending) throw Object.assign(new Error('No pending launch of this request to resume: it finished, or was never started on this machine.'), { name: 'NoPendingLaunch' });
      this.setPending({ ...pending, resumes: pending.resumes + 1 });
      return { token: pending.token, resumed: true };
    }
    if (pending && options.intent !== 'new') throw new PendingLaunchError(pending);
    const stale = [...(pending ? [pending] : []), ...(options.source ? this.pendingElsewhere(options.source, fingerprint) : [])];
    for (const p of stale) this.finish(p.fingerprint, p.token, 'abandoned');
    const token = this.newToken();
    this.setPending({ fingerprint, token, region: options.region, source: options.source, startedAt: this.now().toISOString(), resumes: 0 });
    return { token, resumed: false };
  }

  /** The result of the launch with `token` is known: it is finished and its token will not be sent again. */
  finish(fingerprint: string, token: string, result: FinishedLaunch['result'], fleetId?: string): void {
    const pending = this.pendingByFp.get(fingerprint);
    if (pending?.token !== token) return;
    this.pendingByFp.delete(fingerprint);
    this.finishedByFp.set(fingerprint, { fingerprint, token, region: pending.region, source: pending.source, startedAt: pending.startedAt, finishedAt: this.now().toISOString(), result, fleetId });
    this.dirty.add(fingerprint);
  }

  /**
   * Takes in the pending launches of another ledger (an older version's storage) that this one does not know:
   * their tokens may have reached EC2, so they must stay resumable. Returns how many were added.
   */
  adopt(data: unknown): number {
    let added = 0;
    for (const p of Object.values(parseLedger(data).pending)) {
      if (this.pendingByFp.has(p.fingerprint)) continue;
      this.setPending(p);
      added++;
    }
    return added;
  }

  toJSON(): LedgerData {
    return { version: 2, pending: Object.fromEntries(this.pendingByFp), finished: newest(this.finishedByFp) };
  }

  /**
   * This ledger's changes written over `current` (what is in the file now, maybe saved by another process since
   * this one read it): entries this instance did not touch stay as `current` has them.
   */
  mergeInto(current: unknown): LedgerData {
    const base = parseLedger(current);
    const pending = new Map(Object.entries(base.pending));
    const finished = new Map(Object.entries(base.finished));
    for (const fp of this.dirty) {
      const p = this.pendingByFp.get(fp);
      if (p) pending.set(fp, p);
      else pending.delete(fp);
      const f = this.finishedByFp.get(fp);
      if (f) finished.set(fp, f);
    }
    return { version: 2, pending: Object.fromEntries(pending), finished: newest(finished) };
  }

  private setPending(p: PendingLaunch): void {
    this.pendingByFp.set(p.fingerprint, p);
    this.dirty.add(p.fingerprint);
  }
}

function newest(finished: Map<string, FinishedLaunch>): Record<string, FinishedLaunch> {
  const all = [...finished.entries()].sort(([, a], [, b]) => b.finishedAt.localeCompare(a.finishedAt));
  return Object.fromEntries(all.slice(0, MAX_FINISHED));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/**
 * Reads ledger JSON: version 2, or the version 1 map (`{ fp: { token, state: 'in-flight' | 'settled' } }`) whose
 * in-flight entries become pending (their token may have reached EC2, so resuming must reuse it). Entries that
 * do not have the expected shape are dropped.
 */
export function parseLedger(data: unknown): LedgerData {
  const pending: Record<string, PendingLaunch> = {};
  const finished: Record<string, FinishedLaunch> = {};
  if (isObject(data) && data.version === 2) {
    for (const [fp, p] of Object.entries(isObject(data.pending) ? data.pending : {})) {
      if (!isObject(p) || !str(p.token) || !str(p.startedAt)) continue;
      pending[fp] = { fingerprint: fp, token: str(p.token)!, region: str(p.region) ?? '', source: str(p.source), startedAt: str(p.startedAt)!, resumes: typeof p.resumes === 'number' ? p.resumes : 0 };
    }
    for (const [fp, f] of Object.entries(isObject(data.finished) ? data.finished : {})) {
      if (!isObject(f) || !str(f.token) || !str(f.finishedAt) || !['created', 'refused', 'abandoned'].includes(String(f.result))) continue;
      finished[fp] = { fingerprint: fp, token: str(f.token)!, region: str(f.region) ?? '', source: str(f.source), startedAt: str(f.startedAt) ?? str(f.finishedAt)!, finishedAt: str(f.finishedAt)!, result: f.result as FinishedLaunch['result'], fleetId: str(f.fleetId) };
    }
  } else if (isObject(data)) {
    for (const [fp, e] of Object.entries(data)) {
      if (!isObject(e) || !str(e.token)) continue;
      const at = str(e.at) ?? new Date(0).toISOString();
      if (e.state === 'in-flight') pending[fp] = { fingerprint: fp, token: str(e.token)!, region: '', startedAt: at, resumes: 0 };
      else finished[fp] = { fingerprint: fp, token: str(e.token)!, region: '', startedAt: at, finishedAt: at, result: str(e.fleetId) ? 'created' : 'refused', fleetId: str(e.fleetId) };
    }
  }
  return { version: 2, pending, finished };
}

/** Whether an error leaves the outcome unknown (the request may have reached EC2): then a retry must reuse the token. */
export function outcomeUnknown(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (!e) return false;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500;
  return ['TimeoutError', 'RequestTimeout', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'AbortError', 'NetworkingError'].includes(e.name ?? e.code ?? '') || /socket hang up|ECONNRESET|timed? ?out/i.test(String((err as Error).message));
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
