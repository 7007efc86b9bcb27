import { CloudWatchClient, ListMetricsCommand, type Dimension } from '@aws-sdk/client-cloudwatch';
import { LambdaClient, ListEventSourceMappingsCommand, type EventSourceMappingConfiguration } from '@aws-sdk/client-lambda';
import type { ClientFactory } from '../../aws/clientFactory';
import { PageTokens } from '../../aws/paginationGuard';
import { toKafkaMapping } from '../core/mappings';
import { uniqueDimensionSets } from '../core/queries';
import type { KafkaMapping } from '../core/types';

/** ListEventSourceMappings reads at most 100 per page whatever MaxItems says; ask for exactly that. */
export const MAPPINGS_PAGE_SIZE = 100;

/** Every event source mapping of the Region (all pages, following NextMarker), keeping the Kafka ones. */
export async function listKafkaMappings(factory: ClientFactory, region: string, signal?: AbortSignal): Promise<KafkaMapping[]> {
  const client = factory.client(LambdaClient, region);
  const all: EventSourceMappingConfiguration[] = [];
  const markers = new PageTokens();
  let marker: string | undefined;
  do {
    const res = await client.send(new ListEventSourceMappingsCommand({ Marker: marker, MaxItems: MAPPINGS_PAGE_SIZE }), { abortSignal: signal });
    all.push(...(res.EventSourceMappings ?? []));
    marker = markers.next('ListEventSourceMappings', res.NextMarker);
  } while (marker);
  const seen = new Set<string>();
  return all.flatMap((m) => {
    const k = toKafkaMapping(m, region);
    if (!k || seen.has(k.uuid)) return [];
    seen.add(k.uuid);
    return [k];
  });
}

/**
 * ListMetrics results, cached per client factory (profile + endpoint) and Region. Dimension sets change rarely,
 * and ListMetrics is paged at 500: without the cache a 60-second poll would list every OffsetLag series each time.
 */
const CACHE_TTL_MS = 15 * 60_000;
/** A mapping whose metric is not listed yet may just be new: re-list, but not more often than this. */
export const MISS_RELIST_MS = 2 * 60_000;
const caches = new WeakMap<ClientFactory, Map<string, { at: number; sets: Dimension[][] }>>();

export interface DiscoverOptions {
  readonly signal?: AbortSignal;
  readonly now?: number;
  /** Re-list when the cached entry is older than this (a miss after MISS_RELIST_MS, else the TTL). */
  readonly maxAgeMs?: number;
}

export async function discoverDimensions(factory: ClientFactory, region: string, namespace: string, metricName: string, options: DiscoverOptions = {}): Promise<{ sets: Dimension[][]; fetchedAt: number }> {
  const now = options.now ?? Date.now();
  let cache = caches.get(factory);
  if (!cache) caches.set(factory, (cache = new Map()));
  const key = `${region}|${namespace}|${metricName}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < (options.maxAgeMs ?? CACHE_TTL_MS)) return { sets: hit.sets, fetchedAt: hit.at };
  const client = factory.client(CloudWatchClient, region);
  const sets: Dimension[][] = [];
  const tokens = new PageTokens();
  let token: string | undefined;
  do {
    const res = await client.send(new ListMetricsCommand({ Namespace: namespace, MetricName: metricName, NextToken: token }), { abortSignal: options.signal });
    for (const m of res.Metrics ?? []) sets.push((m.Dimensions ?? []).map((d) => ({ Name: d.Name, Value: d.Value })));
    token = tokens.next('ListMetrics', res.NextToken);
  } while (token);
  // moto (and, rarely, CloudWatch across pages) can list a metric more than once.
  const unique = uniqueDimensionSets(sets);
  cache.set(key, { at: now, sets: unique });
  return { sets: unique, fetchedAt: now };
}

/** Forgets the discovered dimensions (the tree's Refresh does this so a brand-new mapping shows at once). */
export function clearDimensionCache(factory: ClientFactory): void {
  caches.delete(factory);
}
