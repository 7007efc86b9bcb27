import vscode = require('vscode');
import type { Shell } from '../../shell/shell';
import type { FleetReferences } from '../core/overrides';
import type { FleetFacts, InstanceTypeFacts, LaunchTemplateFacts, OutpostFacts, SubnetFacts } from '../core/types';

/**
 * AWS facts for fleet diagnostics, cached per Region and refreshed off the keystroke path: validation reads a
 * synchronous snapshot; when a file refers to something not cached (or stale), a refresh is scheduled, a few
 * calls are made for exactly what is missing, and `onDidUpdate` makes the open files re-validate.
 * Instance types never change within a session; launch templates and subnets are kept a minute, Outposts five.
 */
const LOOKUP_TTL_MS = 60_000;
const OUTPOST_TTL_MS = 5 * 60_000;
const ERROR_BACKOFF_MS = 30_000;

interface Timed<T> {
  readonly value: T;
  readonly at: number;
}

class RegionCache {
  readonly types = new Map<string, InstanceTypeFacts | null>();
  readonly suggestions = new Map<string, readonly string[]>();
  readonly launchTemplates = new Map<string, Timed<LaunchTemplateFacts | null>>();
  readonly subnets = new Map<string, Timed<SubnetFacts | null>>();
  outposts?: Timed<OutpostFacts[]>;
  failedAt = 0;
  inFlight?: Promise<void>;
}

export class FleetFactsCache implements vscode.Disposable {
  private readonly regions = new Map<string, RegionCache>();
  private readonly updated = new vscode.EventEmitter<string>();
  readonly onDidUpdate = this.updated.event;
  /** Calls made through this cache (tests check that typing makes none). */
  refreshes = 0;

  constructor(private readonly shell: Shell, private readonly now: () => number = Date.now) {}

  private region(r: string): RegionCache {
    let c = this.regions.get(r);
    if (!c) this.regions.set(r, (c = new RegionCache()));
    return c;
  }

  /** What is known now, without any call. */
  snapshot(region: string): FleetFacts {
    const c = this.region(region);
    return {
      region,
      instanceTypes: c.types,
      instanceTypeSuggestions: c.suggestions,
      launchTemplates: new Map([...c.launchTemplates].map(([k, v]) => [k, v.value])),
      subnets: new Map([...c.subnets].map(([k, v]) => [k, v.value])),
      outposts: c.outposts ? new Map(c.outposts.value.map((o) => [o.outpostArn, o])) : undefined,
    };
  }

  /** Whether `refs` need a refresh (something not cached, or stale). */
  needsRefresh(region: string, refs: FleetReferences): boolean {
    const c = this.region(region);
    const t = this.now();
    if (t - c.failedAt < ERROR_BACKOFF_MS) return false;
    const ltKeys = [...refs.launchTemplateIds, ...refs.launchTemplateNames.map((n) => `name:${n}`)];
    const stale = (e?: Timed<unknown>, ttl = LOOKUP_TTL_MS): boolean => !e || t - e.at > ttl;
    if (refs.instanceTypes.some((x) => !c.types.has(x))) return true;
    if (ltKeys.some((k) => stale(c.launchTemplates.get(k)))) return true;
    const subnets = this.subnetsOf(c, refs);
    if (subnets.some((s) => stale(c.subnets.get(s)))) return true;
    const onOutpost = subnets.some((s) => c.subnets.get(s)?.value?.outpostArn);
    return onOutpost && stale(c.outposts, OUTPOST_TTL_MS);
  }

  private subnetsOf(c: RegionCache, refs: FleetReferences): string[] {
    const out = new Set(refs.subnetIds);
    for (const k of [...refs.launchTemplateIds, ...refs.launchTemplateNames.map((n) => `name:${n}`)]) {
      const lt = c.launchTemplates.get(k)?.value;
      if (lt?.subnetId) out.add(lt.subnetId);
    }
    return [...out];
  }

  /** Fetches what `refs` need (one refresh per Region at a time). `force` ignores the TTLs. */
  async refresh(region: string, refs: FleetReferences, options: { force?: boolean; signal?: AbortSignal } = {}): Promise<void> {
    const c = this.region(region);
    if (c.inFlight) await c.inFlight.catch(() => undefined);
    if (!options.force && !this.needsRefresh(region, refs)) return;
    c.inFlight = this.fetch(c, region, refs, options);
    try {
      await c.inFlight;
      this.updated.fire(region);
    } catch (err) {
      c.failedAt = this.now();
      this.shell.log.warn(`fleets: could not read AWS facts in ${region}: ${(err as Error).message}`);
      throw err;
    } finally {
      c.inFlight = undefined;
    }
  }

  private async fetch(c: RegionCache, region: string, refs: FleetReferences, { force, signal }: { force?: boolean; signal?: AbortSignal }): Promise<void> {
    this.refreshes++;
    const core = this.shell.session.core().fleets;
    const factory = this.shell.session.factory();
    const t = this.now();
    const ltKeys = [...refs.launchTemplateIds, ...refs.launchTemplateNames.map((n) => `name:${n}`)];
    const staleLts = ltKeys.filter((k) => force || !c.launchTemplates.has(k) || t - c.launchTemplates.get(k)!.at > LOOKUP_TTL_MS);
    if (staleLts.length) {
      const found = await core.lookupLaunchTemplates(factory, region, {
        launchTemplateIds: staleLts.filter((k) => !k.startsWith('name:')),
        launchTemplateNames: staleLts.filter((k) => k.startsWith('name:')).map((k) => k.slice(5)),
        versions: refs.versions,
      }, { signal });
      for (const [k, v] of found) c.launchTemplates.set(k, { value: v, at: t });
    }
    const types = new Set(refs.instanceTypes);
    for (const k of ltKeys) {
      const it = c.launchTemplates.get(k)?.value?.instanceType;
      if (it) types.add(it);
    }
    const newTypes = [...types].filter((x) => !c.types.has(x));
    if (newTypes.length) {
      const r = await core.describeInstanceTypes(factory, region, newTypes, { signal });
      for (const [k, v] of r.types) c.types.set(k, v);
      for (const [k, v] of r.suggestions) c.suggestions.set(k, v);
    }
    const subnets = this.subnetsOf(c, refs).filter((s) => force || !c.subnets.has(s) || t - c.subnets.get(s)!.at > LOOKUP_TTL_MS);
    if (subnets.length) {
      for (const [k, v] of await core.lookupSubnets(factory, region, subnets, { signal })) c.subnets.set(k, { value: v, at: t });
    }
    const onOutpost = this.subnetsOf(c, refs).some((s) => c.subnets.get(s)?.value?.outpostArn);
    if (onOutpost && (force || !c.outposts || t - c.outposts.at > OUTPOST_TTL_MS)) {
      c.outposts = { value: await core.listOutposts(factory, region, { signal }), at: t };
    }
  }

  /** Forget everything (a profile or endpoint change). */
  clear(): void {
    this.regions.clear();
  }

  dispose(): void {
    this.updated.dispose();
  }
}
