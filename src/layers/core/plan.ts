
/**
 * The publish plan and the drift judgement, both pure: given what each Region reports as its latest version
 * (ListLayerVersions + GetLayerVersion) and the local zip's SHA-256, decide per Region.
 */
export interface LatestVersion {
  readonly version: number;
  readonly arn: string;
  readonly codeSha256: string;
  readonly codeSize?: number;
  /** ISO date as Lambda returns it. */
  readonly createdDate?: string;
}

export interface RegionObservation {
  readonly region: string;
  /** Undefined: the layer has no version in this Region. */
  readonly latest?: LatestVersion;
  /** The check itself failed (access denied, unreachable…). */
  readonly error?: string;
}

export type PlanAction = 'publish' | 'skip' | 'fail';
export type PlanReason = 'missing' | 'changed' | 'unchanged' | 'check-failed';

export interface PlannedRegion {
  readonly region: string;
  readonly action: PlanAction;
  readonly reason: PlanReason;
  /** One line for the progress notification and the result table ("unchanged, v12"). */
  readonly detail: string;
  readonly latest?: LatestVersion;
}

export function planRegion(localSha: string, o: RegionObservation): PlannedRegion {
  if (o.error) return { region: o.region, action: 'fail', reason: 'check-failed', detail: o.error };
  if (!o.latest) return { region: o.region, action: 'publish', reason: 'missing', detail: 'not published here yet' };
  if (o.latest.codeSha256 === localSha) {
    return { region: o.region, action: 'skip', reason: 'unchanged', detail: `unchanged, v${o.latest.version}`, latest: o.latest };
  }
  return {
    region: o.region,
    action: 'publish',
    reason: 'changed',
    detail: `v${o.latest.version} has other content (${shortHash(o.latest.codeSha256)} ≠ ${shortHash(localSha)})`,
    latest: o.latest,
  };
}

export function planPublish(localSha: string, observations: readonly RegionObservation[]): PlannedRegion[] {
  return observations.map((o) => planRegion(localSha, o));
}

/** How a Region compares with the reference content (the local build, or a reference Region's latest). */
export type DriftState = 'in-sync' | 'behind' | 'missing' | 'drifted' | 'unknown';

export interface RegionDrift {
  readonly region: string;
  readonly state: DriftState;
  /** "same as us-east-1 v12", "behind: older content", "drifted: other content published later", "missing". */
  readonly badge: string;
  readonly latest?: LatestVersion;
  readonly error?: string;
}

export interface DriftReference {
  readonly sha: string;
  /** Where the reference comes from: "local build" or a Region name. */
  readonly source: string;
  readonly version?: number;
}

/**
 * Drift against a reference content:
 *   - in sync: the Region's latest version has the reference content;
 *   - missing: no version at all;
 *   - behind: other content, published before the reference content first appeared anywhere (or the reference
 *     is a local build nobody has yet): the Region simply has not received the new content;
 *   - drifted: other content published *after* the reference content appeared elsewhere: someone published
 *     something different there since (a hotfix, another pipeline).
 */
export function judgeDrift(observations: readonly RegionObservation[], reference: DriftReference | undefined): RegionDrift[] {
  const firstSeen = reference ? earliest(observations.filter((o) => o.latest?.codeSha256 === reference.sha).map((o) => o.latest?.createdDate)) : undefined;
  return observations.map((o): RegionDrift => {
    const base = { region: o.region, latest: o.latest };
    if (o.error) return { ...base, state: 'unknown', badge: 'error', error: o.error };
    if (!o.latest) return { ...base, state: 'missing', badge: 'missing' };
    if (!reference) return { ...base, state: 'unknown', badge: `v${o.latest.version}` };
    if (o.latest.codeSha256 === reference.sha) {
      const same = reference.source === o.region ? 'reference' : reference.source === 'local build' ? 'same as local build' : `same as ${reference.source}${reference.version ? ` v${reference.version}` : ''}`;
      return { ...base, state: 'in-sync', badge: same };
    }
    const created = time(o.latest.createdDate);
    if (firstSeen !== undefined && created !== undefined && created > firstSeen) {
      return { ...base, state: 'drifted', badge: 'drifted: other content published later' };
    }
    return { ...base, state: 'behind', badge: 'behind: older content' };
  });
}

/**
 * The reference when there is no local build: the named Region if given, else the Region whose latest version
 * was published most recently (ties: first in list order).
 */
export function pickReference(observations: readonly RegionObservation[], preferRegion?: string): DriftReference | undefined {
  const withLatest = observations.filter((o) => o.latest);
  const chosen = preferRegion
    ? withLatest.find((o) => o.region === preferRegion)
    : withLatest.reduce<RegionObservation | undefined>((best, o) => (!best || (time(o.latest?.createdDate) ?? 0) > (time(best.latest?.createdDate) ?? 0) ? o : best), undefined);
  if (!chosen?.latest) return undefined;
  return { sha: chosen.latest.codeSha256, source: chosen.region, version: chosen.latest.version };
}

function time(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  // Lambda writes "2026-11-26T06:00:00.000+0000"; Date.parse wants "+00:00".
  const t = Date.parse(iso.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(t) ? undefined : t;
}

function earliest(dates: readonly (string | undefined)[]): number | undefined {
  const ts = dates.map(time).filter((t): t is number => t !== undefined);
  return ts.length ? Math.min(...ts) : undefined;
}

/** A short form of a base64 hash for trees and tables (its first 8 characters). */
export function shortHash(sha: string | undefined): string {
  return sha ? sha.slice(0, 8) : '—';
}
