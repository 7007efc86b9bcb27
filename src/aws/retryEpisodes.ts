import { isRetryingKind, type AttemptOutcome } from './retryObserver';

/**
 * Turns the per-attempt outcomes of src/aws/retryObserver.ts into "episodes" the user can see (no vscode, no
 * timers: the caller passes the clock). An episode starts with the first throttled, 5xx or dropped attempt and
 * ends once no such attempt has been seen for `quietMs` — calls succeed again. The status bar shows the open
 * episode; the log gets one line per episode when it ends, never one per attempt.
 */
export const RETRY_EPISODE_QUIET_MS = 5_000;

export interface EpisodeSource {
  readonly service: string;
  readonly region: string;
  throttled: number;
  server: number;
  network: number;
}

export interface RetryEpisode {
  readonly startedAt: number;
  lastFaultAt: number;
  /** Attempts that were throttled / answered 5xx / lost their connection during the episode. */
  throttled: number;
  server: number;
  network: number;
  /** Calls that succeeded on a retry during the episode (attempt > 1 answered OK). */
  recovered: number;
  /** Per service + Region, in the order first seen. */
  readonly sources: Map<string, EpisodeSource>;
}

export class RetryEpisodes {
  private open: RetryEpisode | undefined;

  constructor(readonly quietMs = RETRY_EPISODE_QUIET_MS) {}

  /** The episode in progress, if any (call `expire` first to drop one that has gone quiet). */
  get current(): RetryEpisode | undefined {
    return this.open;
  }

  /** Adds one attempt's outcome; returns 'started' when it opens an episode, 'updated' when it changes the open one. */
  record(o: AttemptOutcome): 'started' | 'updated' | undefined {
    if (!isRetryingKind(o.kind)) {
      if (this.open && o.kind === 'ok' && o.attempt > 1) {
        this.open.recovered++;
        return 'updated';
      }
      return undefined;
    }
    const started = !this.open;
    const ep = (this.open ??= { startedAt: o.at, lastFaultAt: o.at, throttled: 0, server: 0, network: 0, recovered: 0, sources: new Map() });
    ep.lastFaultAt = Math.max(ep.lastFaultAt, o.at);
    const key = `${o.service}|${o.region}`;
    let src = ep.sources.get(key);
    if (!src) ep.sources.set(key, (src = { service: o.service, region: o.region, throttled: 0, server: 0, network: 0 }));
    const kind = o.kind === 'throttled' ? 'throttled' : o.kind === 'server' ? 'server' : 'network';
    ep[kind]++;
    src[kind]++;
    return started ? 'started' : 'updated';
  }

  /** When the open episode goes quiet (epoch ms), for the caller's timer. */
  quietAt(): number | undefined {
    return this.open ? this.open.lastFaultAt + this.quietMs : undefined;
  }

  /** Closes the open episode if nothing failed for `quietMs` before `now`; returns the closed episode. */
  expire(now: number): RetryEpisode | undefined {
    const ep = this.open;
    if (!ep || now < ep.lastFaultAt + this.quietMs) return undefined;
    this.open = undefined;
    return ep;
  }

  /** Drops the open episode without reporting it (profile switch, dispose). */
  reset(): void {
    this.open = undefined;
  }
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function sourceText(s: EpisodeSource): string {
  const parts = [s.throttled ? `${s.throttled} throttled` : '', s.server ? `${s.server} 5xx` : '', s.network ? `${s.network} dropped` : ''].filter(Boolean);
  return `${s.service} ${s.region}: ${parts.join(', ')}`;
}

/** Sources with the most faults first, at most `max` of them and a "+ n more". */
export function episodeSources(ep: RetryEpisode, max = 5): string[] {
  const all = [...ep.sources.values()].sort((a, b) => b.throttled + b.server + b.network - (a.throttled + a.server + a.network));
  const shown = all.slice(0, max).map(sourceText);
  return all.length > max ? [...shown, `+ ${all.length - max} more`] : shown;
}

/** The status bar text and tooltip lines while an episode is open. */
export function episodeStatus(ep: RetryEpisode): { text: string; tooltip: string[] } {
  const what = ep.throttled > 0 ? 'AWS throttling' : 'AWS errors';
  const faults = ep.throttled + ep.server + ep.network;
  return {
    text: `$(sync~spin) ${what}: retrying`,
    tooltip: [
      `${what}: the SDK is retrying calls (${plural(faults, 'failed attempt')} so far${ep.recovered ? `, ${plural(ep.recovered, 'call')} recovered` : ''}). Views may be slow; they finish when AWS answers.`,
      ...episodeSources(ep),
    ],
  };
}

/** The one log line for a finished episode. */
export function episodeLogLine(ep: RetryEpisode, endedAt: number): string {
  const kinds = [ep.throttled ? `${ep.throttled} throttled` : '', ep.server ? `${ep.server} 5xx` : '', ep.network ? `${ep.network} dropped` : ''].filter(Boolean).join(', ');
  const seconds = Math.max(0, Math.round((ep.lastFaultAt - ep.startedAt) / 1000));
  return `AWS retry episode over (${seconds} s, quiet for ${Math.round((endedAt - ep.lastFaultAt) / 1000)} s): ${kinds} attempts, ${plural(ep.recovered, 'call')} recovered by retrying — ${episodeSources(ep, 8).join('; ')}`;
}
