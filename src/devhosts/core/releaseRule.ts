import type { DevHost, DevInstance } from './model';

/** EC2 bills a Mac Dedicated Host for at least 24 hours from allocation; it cannot be released earlier. */
export const MIN_ALLOCATION_MS = 24 * 60 * 60 * 1000;

/** Instance states that keep a host busy: ReleaseHosts refuses while any of these runs on it. */
const BUSY_INSTANCE_STATES = new Set(['pending', 'running', 'stopping', 'shutting-down']);

export type Releasability =
  | { readonly kind: 'now' }
  | { readonly kind: 'wait'; readonly remainingMs: number; readonly at: Date }
  | { readonly kind: 'blocked'; readonly reason: string };

/**
 * Can this host be released right now? Order matters: a gone or scrubbing host says so first, then a running
 * instance, then the 24-hour rule (which still applies after the instance stops).
 */
export function releasability(host: DevHost, instancesOnHost: readonly DevInstance[], now: Date): Releasability {
  if (host.state === 'released' || host.state === 'released-permanent-failure') return { kind: 'blocked', reason: 'The host is already released.' };
  if (host.state === 'pending') return { kind: 'blocked', reason: 'The host is being scrubbed after its instance stopped (up to ~50 min, ~3 h with a bridgeOS update); wait until it is available.' };
  const busy = instancesOnHost.filter((i) => BUSY_INSTANCE_STATES.has(i.state));
  if (busy.length) return { kind: 'blocked', reason: `Instance ${busy.map((i) => `${i.instanceId} (${i.state})`).join(', ')} must be stopped or terminated first.` };
  const allocated = host.allocationTime ? Date.parse(host.allocationTime) : NaN;
  if (Number.isNaN(allocated)) return { kind: 'blocked', reason: 'The allocation time is unknown, so the 24-hour minimum cannot be checked.' };
  const at = new Date(allocated + MIN_ALLOCATION_MS);
  const remainingMs = at.getTime() - now.getTime();
  if (remainingMs > 0) return { kind: 'wait', remainingMs, at };
  return { kind: 'now' };
}

/**
 * The 24-hour clock alone ("releasable in 5h 12m" / "releasable now"), what the tree and CLI show next to every
 * live host; a running instance is a separate obstacle that the release command explains.
 */
export function allocationClock(host: DevHost, now: Date): Releasability {
  if (host.state === 'released' || host.state === 'released-permanent-failure') return { kind: 'blocked', reason: 'The host is already released.' };
  return releasability(host, [], now);
}

/** "5h 12m", "12m", "<1m": rounded up, so "releasable in 1m" is never a lie. */
export function formatRemaining(ms: number): string {
  if (ms <= 0) return '0m';
  const minutes = Math.ceil(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h}h ${m}m` : `${m}m`;
}

/** The short label the tree and the CLI show. */
export function releaseLabel(r: Releasability): string {
  switch (r.kind) {
    case 'now': return 'releasable now';
    case 'wait': return `releasable in ${formatRemaining(r.remainingMs)}`;
    case 'blocked': return 'not releasable';
  }
}

export function hostStateLabel(host: DevHost): string {
  return host.state === 'pending' ? 'pending (being scrubbed)' : host.state;
}

/**
 * Release checks the rules twice: against the view's inventory (no AWS call, explains the common cases), then
 * against EC2's answer right before asking. This is the second check: `host` undefined means EC2 no longer
 * lists it. Only `undefined` lets the release go on; otherwise the reason the state changed.
 */
export function recheckRelease(host: DevHost | undefined, instancesOnHost: readonly DevInstance[], now: Date): string | undefined {
  if (!host) return 'EC2 no longer lists it.';
  const r = releasability(host, instancesOnHost, now);
  switch (r.kind) {
    case 'now': return undefined;
    case 'wait': return `its 24-hour minimum ends ${r.at.toISOString()} (in ${formatRemaining(r.remainingMs)}).`;
    case 'blocked': return r.reason;
  }
}
