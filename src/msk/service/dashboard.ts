import type { ClientFactory } from '../../aws/clientFactory';
import type { ChartLine, DashboardData } from '../core/protocol';
import { functionKey, planRegion, sumSeries, timeRange, windowBounds } from '../core/queries';
import { DEFAULT_THRESHOLDS, type KafkaMapping, type Series, type Thresholds } from '../core/types';
import { evaluate } from '../core/verdict';
import { discoverDimensions } from './discovery';
import { lagDimensionSets } from './health';
import { fetchSeries } from './metrics';

export interface DashboardOptions {
  readonly region: string;
  readonly functionName: string;
  /** The function's Kafka mappings (from the tree's last load, or listed again by the caller). */
  readonly mappings: readonly KafkaMapping[];
  readonly rangeId: string;
  readonly thresholds?: Partial<Thresholds>;
  readonly now?: number;
  readonly signal?: AbortSignal;
}

/**
 * The seed article's dashboard for one function, in one GetMetricData call: OffsetLag per mapping, Duration,
 * Errors and Invocations, and AWS/Kafka BytesInPerSec of each MSK mapping's topic (per broker, summed here).
 */
export async function functionDashboard(factory: ClientFactory, options: DashboardOptions): Promise<DashboardData> {
  const now = options.now ?? Date.now();
  const range = timeRange(options.rangeId);
  const { region, mappings } = options;
  const notes: string[] = [];
  const lagDims = await lagDimensionSets(factory, region, mappings, now, options.signal);
  const msk = mappings.filter((m) => m.kind === 'msk' && m.clusterName && m.topic);
  const bytesDims = msk.length ? (await discoverDimensions(factory, region, 'AWS/Kafka', 'BytesInPerSec', { signal: options.signal, now })).sets : [];
  const plan = planRegion({ mappings, lagDimensions: lagDims, bytesInDimensions: bytesDims, periodSeconds: range.periodSeconds, includeBytesIn: true });
  const window = { ...windowBounds(now, range.minutes, range.periodSeconds), periodSeconds: range.periodSeconds };
  const { series, calls } = await fetchSeries(factory, region, plan.requests, window, options.signal);
  const empty: Series = { t: series.values().next().value?.t ?? [], v: [] };
  const x = (empty.t.length ? empty.t : []).map((t) => t / 1000);
  const line = (label: string, s: Series | undefined): ChartLine => ({ label, values: x.map((_, i) => s?.v[i] ?? null) });
  const labelOf = (m: KafkaMapping): string => `${m.topic ?? m.uuid}${mappings.length > 1 ? ` (${m.uuid.slice(0, 8)})` : ''}`;

  const lag = mappings.map((m) => {
    const key = plan.lagKeyOf[m.uuid];
    if (!key) notes.push(`${labelOf(m)}: no OffsetLag metric listed yet`);
    return line(labelOf(m), key ? series.get(key) : undefined);
  });
  const bytesIn: ChartLine[] = [];
  const seenTopics = new Set<string>();
  for (const m of mappings) {
    if (m.kind !== 'msk') { notes.push(`${labelOf(m)}: self-managed Kafka has no AWS/Kafka BytesInPerSec`); continue; }
    const topicKey = `${m.clusterName}/${m.topic}`;
    if (seenTopics.has(topicKey)) continue;
    seenTopics.add(topicKey);
    const keys = plan.bytesKeysOf[m.uuid] ?? [];
    if (keys.length === 0) notes.push(`${topicKey}: no BytesInPerSec listed (needs the MSK cluster's PER_TOPIC_PER_BROKER monitoring level)`);
    bytesIn.push(line(topicKey, sumSeries(keys.map((k) => series.get(k)!).filter(Boolean), { t: empty.t, v: [] })));
  }
  const invocations = series.get(functionKey('invocations', options.functionName));
  const errors = series.get(functionKey('errors', options.functionName));
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const verdicts = mappings.map((m) => {
    const key = plan.lagKeyOf[m.uuid];
    const v = evaluate({ state: m.state, lastProcessingResult: m.lastProcessingResult, lag: (key && series.get(key)) || { t: [], v: [] }, invocations: invocations ?? { t: [], v: [] }, errors: errors ?? { t: [], v: [] }, thresholds, now: window.endMs, periodSeconds: range.periodSeconds });
    return { label: labelOf(m), verdict: v.verdict, trend: v.trend, reason: v.reason };
  });
  return {
    title: `${options.functionName} · ${region}`,
    region,
    functionName: options.functionName,
    rangeId: range.id,
    periodSeconds: range.periodSeconds,
    x,
    lag,
    duration: line('Duration (avg ms)', series.get(functionKey('duration', options.functionName))),
    errors: line('Errors', errors),
    invocations: line('Invocations', invocations),
    bytesIn,
    verdicts,
    notes,
    fetchedAt: new Date(now).toISOString(),
    getMetricDataCalls: calls,
  };
}
