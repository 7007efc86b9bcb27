import type { Dimension, MetricDataQuery, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { KafkaMapping, Series } from './types';

/**
 * GetMetricData planning, pure: which series a Region needs, how they pack into calls (≤500 queries each, ids
 * CloudWatch accepts), which discovered dimension set to use for OffsetLag, and turning results into aligned
 * series. The service only sends what this plans.
 */
export const MAX_QUERIES_PER_CALL = 500;
export const QUERY_ID_PATTERN = /^[a-z][A-Za-z0-9_]*$/;

export type MetricKind = 'lag' | 'duration' | 'errors' | 'invocations' | 'bytesIn';

export interface MetricRequest {
  /** Stable key the caller uses to find the result ("lag|FunctionName=f", "duration|f", …). */
  readonly key: string;
  readonly kind: MetricKind;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly Dimension[];
  readonly stat: 'Maximum' | 'Average' | 'Sum';
  readonly periodSeconds: number;
}

export interface PackedCall {
  readonly queries: MetricDataQuery[];
  /** Query id → request key. */
  readonly keys: Readonly<Record<string, string>>;
}

/** Ids are positional ("m0", "m1", …): always valid, unique within a call, and short (the request stays small). */
export function queryId(index: number): string {
  return `m${index}`;
}

/** Splits requests into GetMetricData calls of at most `max` queries: exactly ⌈n / max⌉ calls. */
export function packQueries(requests: readonly MetricRequest[], max = MAX_QUERIES_PER_CALL): PackedCall[] {
  if (max < 1 || max > MAX_QUERIES_PER_CALL) throw new RangeError(`queries per call must be 1–${MAX_QUERIES_PER_CALL}`);
  const calls: PackedCall[] = [];
  for (let start = 0; start < requests.length; start += max) {
    const keys: Record<string, string> = {};
    const queries = requests.slice(start, start + max).map((r, i): MetricDataQuery => {
      const id = queryId(i);
      keys[id] = r.key;
      return {
        Id: id,
        MetricStat: {
          Metric: { Namespace: r.namespace, MetricName: r.metricName, Dimensions: r.dimensions.map((d) => ({ Name: d.Name, Value: d.Value })) },
          Period: r.periodSeconds,
          Stat: r.stat,
        },
        ReturnData: true,
      };
    });
    calls.push({ queries, keys });
  }
  return calls;
}

export const callCount = (requests: number, max = MAX_QUERIES_PER_CALL): number => Math.ceil(requests / max);

export const dimsKey = (dims: readonly Dimension[]): string =>
  [...dims].sort((a, b) => String(a.Name).localeCompare(String(b.Name))).map((d) => `${d.Name}=${d.Value}`).join(',');

/**
 * Picks the OffsetLag dimension set for a mapping from what ListMetrics returned (Lambda's exact dimensions for
 * OffsetLag are not documented with certainty). Most specific first: a set naming this mapping's UUID; then
 * `FunctionName` alone; then the smallest set with this FunctionName. Undefined when nothing matches yet.
 */
export function chooseLagDimensions(mapping: Pick<KafkaMapping, 'uuid' | 'functionName'>, discovered: readonly (readonly Dimension[])[]): Dimension[] | undefined {
  const index = lagIndex(discovered);
  const pick = (sets: readonly (readonly Dimension[])[] | undefined): Dimension[] | undefined =>
    sets?.length ? [...[...sets].sort((a, b) => a.length - b.length)[0]] : undefined;
  const uuidSet = pick(index.byUuid.get(mapping.uuid));
  if (uuidSet) return uuidSet;
  const byFunction = index.byFunction.get(mapping.functionName) ?? [];
  return pick(byFunction.filter((d) => d.length === 1)) ?? pick(byFunction);
}

/** Discovered sets indexed by UUID and by FunctionName (sets without a UUID), built once per discovery result. */
const indexes = new WeakMap<readonly (readonly Dimension[])[], { byUuid: Map<string, (readonly Dimension[])[]>; byFunction: Map<string, (readonly Dimension[])[]> }>();
function lagIndex(discovered: readonly (readonly Dimension[])[]) {
  let index = indexes.get(discovered);
  if (index) return index;
  index = { byUuid: new Map(), byFunction: new Map() };
  for (const dims of discovered) {
    const uuid = dims.find((d) => d.Name === 'EventSourceMappingUUID')?.Value;
    const fn = dims.find((d) => d.Name === 'FunctionName')?.Value;
    if (uuid !== undefined) index.byUuid.set(uuid, [...(index.byUuid.get(uuid) ?? []), dims]);
    else if (fn !== undefined) index.byFunction.set(fn, [...(index.byFunction.get(fn) ?? []), dims]);
  }
  indexes.set(discovered, index);
  return index;
}

/** Drops repeated dimension sets (same names and values in any order). */
export function uniqueDimensionSets(sets: readonly (readonly Dimension[])[]): Dimension[][] {
  const seen = new Map<string, Dimension[]>();
  for (const d of sets) if (!seen.has(dimsKey(d))) seen.set(dimsKey(d), [...d]);
  return [...seen.values()];
}

export const describeDimensions = (dims: readonly Dimension[]): string => dims.map((d) => `${d.Name}=${d.Value}`).join(', ');

/** Broker-level BytesInPerSec sets for a cluster + topic (AWS/Kafka publishes them per `Broker ID`). */
export function bytesInDimensionSets(clusterName: string, topic: string, discovered: readonly (readonly Dimension[])[]): Dimension[][] {
  const value = (dims: readonly Dimension[], name: string): string | undefined => dims.find((d) => d.Name === name)?.Value;
  return discovered
    .filter((d) => value(d, 'Cluster Name') === clusterName && value(d, 'Topic') === topic)
    .map((d) => [...d])
    .sort((a, b) => String(value(a, 'Broker ID')).localeCompare(String(value(b, 'Broker ID'))));
}

export interface RegionPlanInput {
  readonly mappings: readonly KafkaMapping[];
  readonly lagDimensions: readonly (readonly Dimension[])[];
  readonly bytesInDimensions?: readonly (readonly Dimension[])[];
  readonly periodSeconds: number;
  /** Also plan AWS/Kafka BytesInPerSec (the dashboard); the verdict does not need it. */
  readonly includeBytesIn?: boolean;
}

export interface RegionPlan {
  readonly requests: MetricRequest[];
  /** Mapping UUID → the lag request key, or undefined with no discovered dimensions. */
  readonly lagKeyOf: Readonly<Record<string, string | undefined>>;
  /** Mapping UUID → the BytesInPerSec request keys (one per broker; summed). */
  readonly bytesKeysOf: Readonly<Record<string, readonly string[]>>;
}

export const functionKey = (kind: 'duration' | 'errors' | 'invocations', functionName: string): string => `${kind}|${functionName}`;

/**
 * Every series a Region needs, each once: OffsetLag (Maximum) per discovered dimension set, Duration (Average),
 * Errors and Invocations (Sum) per function, and optionally BytesInPerSec per broker of each mapping's topic.
 */
export function planRegion(input: RegionPlanInput): RegionPlan {
  const requests = new Map<string, MetricRequest>();
  const add = (r: MetricRequest): string => {
    if (!requests.has(r.key)) requests.set(r.key, r);
    return r.key;
  };
  const period = input.periodSeconds;
  const lagKeyOf: Record<string, string | undefined> = {};
  const bytesKeysOf: Record<string, string[]> = {};
  for (const m of input.mappings) {
    const dims = chooseLagDimensions(m, input.lagDimensions);
    lagKeyOf[m.uuid] = dims ? add({ key: `lag|${dimsKey(dims)}`, kind: 'lag', namespace: 'AWS/Lambda', metricName: 'OffsetLag', dimensions: dims, stat: 'Maximum', periodSeconds: period }) : undefined;
    const fn = [{ Name: 'FunctionName', Value: m.functionName }];
    add({ key: functionKey('duration', m.functionName), kind: 'duration', namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: fn, stat: 'Average', periodSeconds: period });
    add({ key: functionKey('errors', m.functionName), kind: 'errors', namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: fn, stat: 'Sum', periodSeconds: period });
    add({ key: functionKey('invocations', m.functionName), kind: 'invocations', namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: fn, stat: 'Sum', periodSeconds: period });
    if (input.includeBytesIn && m.clusterName && m.topic) {
      const keys = bytesInDimensionSets(m.clusterName, m.topic, input.bytesInDimensions ?? []).map((dims) =>
        add({ key: `bytesIn|${dimsKey(dims)}`, kind: 'bytesIn', namespace: 'AWS/Kafka', metricName: 'BytesInPerSec', dimensions: dims, stat: 'Average', periodSeconds: period }),
      );
      bytesKeysOf[m.uuid] = [...new Set(keys)]; // each broker once, even if ListMetrics repeated a set
    }
  }
  return { requests: [...requests.values()], lagKeyOf, bytesKeysOf };
}

/** Slot starts from start (inclusive) to end (exclusive). */
export function slots(startMs: number, endMs: number, periodSeconds: number): number[] {
  const out: number[] = [];
  for (let t = startMs; t < endMs; t += periodSeconds * 1000) out.push(t);
  return out;
}

/** Aligns raw datapoints (any order, any page) to the slots; missing slots are null. */
export function alignSeries(timestamps: readonly (Date | number)[], values: readonly number[], startMs: number, endMs: number, periodSeconds: number): Series {
  const t = slots(startMs, endMs, periodSeconds);
  const v: (number | null)[] = t.map(() => null);
  const step = periodSeconds * 1000;
  timestamps.forEach((ts, i) => {
    const ms = ts instanceof Date ? ts.getTime() : ts;
    const slot = Math.floor((ms - startMs) / step);
    if (slot >= 0 && slot < t.length && Number.isFinite(values[i])) v[slot] = values[i];
  });
  return { t, v };
}

/** Sums several aligned series slot by slot (brokers of one topic); null only where every input is null. */
export function sumSeries(series: readonly Series[], fallback: Series): Series {
  if (series.length === 0) return fallback;
  const v = series[0].t.map((_, i) => {
    let any = false;
    let sum = 0;
    for (const s of series) {
      const x = s.v[i];
      if (typeof x === 'number') { any = true; sum += x; }
    }
    return any ? sum : null;
  });
  return { t: series[0].t, v };
}

/** Collects datapoints per request key across calls and NextToken pages. */
export function collectResults(calls: ReadonlyArray<{ keys: Readonly<Record<string, string>>; results: readonly MetricDataResult[] }>): Map<string, { timestamps: Date[]; values: number[] }> {
  const out = new Map<string, { timestamps: Date[]; values: number[] }>();
  for (const { keys, results } of calls) {
    for (const r of results) {
      const key = r.Id ? keys[r.Id] : undefined;
      if (!key) continue;
      const acc = out.get(key) ?? { timestamps: [], values: [] };
      acc.timestamps.push(...(r.Timestamps ?? []));
      acc.values.push(...(r.Values ?? []));
      out.set(key, acc);
    }
  }
  return out;
}

/** Window [start, end) on period boundaries; the current, still filling slot is included. */
export function windowBounds(nowMs: number, minutes: number, periodSeconds: number): { startMs: number; endMs: number } {
  const step = periodSeconds * 1000;
  const endMs = Math.floor(nowMs / step) * step + step;
  return { startMs: endMs - Math.max(1, Math.round((minutes * 60) / periodSeconds)) * step, endMs };
}

/** The dashboard's time ranges; periods keep every range within CloudWatch's retention and datapoint limits. */
export const TIME_RANGES = [
  { id: '1h', label: '1 hour', minutes: 60, periodSeconds: 60 },
  { id: '3h', label: '3 hours', minutes: 180, periodSeconds: 60 },
  { id: '12h', label: '12 hours', minutes: 720, periodSeconds: 300 },
  { id: '1d', label: '1 day', minutes: 1440, periodSeconds: 300 },
  { id: '7d', label: '7 days', minutes: 10080, periodSeconds: 3600 },
] as const;
export type TimeRangeId = (typeof TIME_RANGES)[number]['id'];
export const timeRange = (id: string): (typeof TIME_RANGES)[number] => TIME_RANGES.find((r) => r.id === id) ?? TIME_RANGES[0];
