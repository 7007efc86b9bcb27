import { createHash } from 'crypto';
import type { FleetRequest } from './types';

/**
 * Idempotent launches. EC2 returns the same fleet for a repeated ClientToken, so a launch whose response was
 * lost (timeout, dropped connection, the editor closed) must be retried with the token it was sent with, while
 * a deliberate new launch of the same file must get a new token or it would silently return the old fleet.
 * The ledger records each launch of a file: "in-flight" until a response arrives, then "settled". Beginning
 * a launch of the same request while one is in flight is a retry and reuses its token.
 */
export interface LedgerEntry {
  readonly fingerprint: string;
  readonly launchNumber: number;
  readonly token: string;
  readonly state: 'in-flight' | 'settled';
  readonly fleetId?: string;
  readonly at: string;
}

export type LedgerData = Record<string, LedgerEntry>;

/** What is launched where: the request as sent (minus DryRun and ClientToken) and the Region, canonically. */
export function requestFingerprint(region: string, request: FleetRequest): string {
  const { DryRun: _d, ClientToken: _c, ...rest } = request;
  return createHash('sha256').update(`${region}\n${canonicalJson(rest)}`).digest('hex');
}

/** ClientToken for the n-th launch of a request: at most 64 ASCII characters, as EC2 requires. */
export function clientTokenFor(fingerprint: string, launchNumber: number): string {
  return `opsdeck-${createHash('sha256').update(`${fingerprint}:${launchNumber}`).digest('hex').slice(0, 48)}`;
}

export class LaunchLedger {
  private readonly entries: Map<string, LedgerEntry>;

  constructor(data: LedgerData = {}, private readonly now: () => Date = () => new Date()) {
    this.entries = new Map(Object.entries(data));
  }

  /**
   * Starts a launch. `relaunch` forces a new token even if the previous launch's outcome is unknown (the user
   * explicitly wants a second fleet).
   */
  begin(fingerprint: string, options: { relaunch?: boolean } = {}): { token: string; retry: boolean; launchNumber: number } {
    const last = this.entries.get(fingerprint);
    if (last && last.state === 'in-flight' && !options.relaunch) {
      return { token: last.token, retry: true, launchNumber: last.launchNumber };
    }
    const launchNumber = (last?.launchNumber ?? 0) + 1;
    const token = clientTokenFor(fingerprint, launchNumber);
    this.entries.set(fingerprint, { fingerprint, launchNumber, token, state: 'in-flight', at: this.now().toISOString() });
    return { token, retry: false, launchNumber };
  }

  /** A response (success or a definite error) arrived: the next launch is a new one. */
  settle(fingerprint: string, fleetId?: string): void {
    const last = this.entries.get(fingerprint);
    if (last) this.entries.set(fingerprint, { ...last, state: 'settled', fleetId, at: this.now().toISOString() });
  }

  pending(fingerprint: string): LedgerEntry | undefined {
    const last = this.entries.get(fingerprint);
    return last?.state === 'in-flight' ? last : undefined;
  }

  toJSON(): LedgerData {
    return Object.fromEntries(this.entries);
  }
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
