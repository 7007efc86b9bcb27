import { mapWithConcurrency, throwIfAborted } from '../../aws/cancellation';
import type { ClientFactory } from '../../aws/clientFactory';
import { toActionableError } from '../../aws/errors';
import { EXPIRY_WARNING_DAYS } from '../core/certificate';
import { describeDimensions, chooseLagDimensions, functionKey, planRegion, windowBounds } from '../core/queries';
import { buildReport, groupByFunction } from '../core/report';
import { DEFAULT_THRESHOLDS, DEFAULT_WINDOW_MINUTES, type HealthReport, type KafkaMapping, type MappingHealth, type RegionHealth, type Series, type Thresholds } from '../core/types';
import { evaluate, isProblem, points } from '../core/verdict';
import { checkClientCertificates } from './certificates';
import { discoverDimensions, listKafkaMappings, MISS_RELIST_MS } from './discovery';
import { fetchSeries } from './metrics';

export interface HealthOptions {
  readonly regions: readonly string[];
  readonly windowMinutes?: number;
  readonly thresholds?: Partial<Thresholds>;
  readonly now?: number;
  readonly signal?: AbortSignal;
  /** Opt-in: read client-certificate secrets (secretsmanager:GetSecretValue) and warn on expiry. */
  readonly checkCertificates?: boolean;
  readonly certificateWarningDays?: number;
}

const REGION_CONCURRENCY = 4;
const PERIOD_SECONDS = 60;
const EMPTY: Series = { t: [], v: [] };

/**
 * MSK consumer health for every Region: per Region, ListEventSourceMappings (all pages), ListMetrics for
 * OffsetLag's dimension sets (cached), then ONE GetMetricData for all functions (another per 500 queries
 * beyond that), and the verdict per mapping. Regions run in parallel; a failing Region becomes an error entry.
 */
export async function mskHealth(factory: ClientFactory, options: HealthOptions): Promise<HealthReport> {
  const before = factory.counter?.byOperation();
  const now = options.now ?? Date.now();
  const windowMinutes = options.windowMinutes && options.windowMinutes > 0 ? options.windowMinutes : DEFAULT_WINDOW_MINUTES;
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const regions = await mapWithConcurrency(options.regions, REGION_CONCURRENCY, async (region): Promise<RegionHealth> => {
    try {
      return await regionHealth(factory, region, { ...options, now, windowMinutes, thresholds });
    } catch (err) {
      throwIfAborted(options.signal);
      if ((err as Error)?.name === 'AbortError') throw err;
      return { region, functions: [], warnings: [], error: toActionableError(err, { region, action: 'lambda:ListEventSourceMappings' }).message };
    }
  });
  const after = factory.counter?.byOperation();
  const calls = before && after ? Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => (v as number) > 0)) : undefined;
  return buildReport(regions, windowMinutes, thresholds, now, calls);
}

type RegionOptions = HealthOptions & { now: number; windowMinutes: number; thresholds: Thresholds };

export async function regionHealth(factory: ClientFactory, region: string, options: RegionOptions): Promise<RegionHealth> {
  const { signal, now, thresholds } = options;
  const mappings = await listKafkaMappings(factory, region, signal);
  if (mappings.length === 0) return { region, functions: [], warnings: [] };
  const warnings: string[] = [];

  const lagDims = await lagDimensionSets(factory, region, mappings, now, signal);
  const plan = planRegion({ mappings, lagDimensions: lagDims, periodSeconds: PERIOD_SECONDS });
  const window = { ...windowBounds(now, options.windowMinutes, PERIOD_SECONDS), periodSeconds: PERIOD_SECONDS };
  const { series } = await fetchSeries(factory, region, plan.requests, window, signal);

  let certificates = new Map<string, import('../core/types').CertificateCheck>();
  const certSecrets = mappings.filter((m) => m.auth.mode === 'mTLS' && m.auth.secretArn).map((m) => m.auth.secretArn!);
  if (options.checkCertificates && certSecrets.length) {
    certificates = await checkClientCertificates(factory, region, certSecrets, now, options.certificateWarningDays ?? EXPIRY_WARNING_DAYS, signal);
  }

  const health = mappings.map((m): MappingHealth => {
    const lagKey = plan.lagKeyOf[m.uuid];
    const lag = (lagKey && series.get(lagKey)) || EMPTY;
    const verdict = evaluate({
      state: m.state,
      lastProcessingResult: m.lastProcessingResult,
      lag,
      invocations: series.get(functionKey('invocations', m.functionName)) ?? EMPTY,
      errors: series.get(functionKey('errors', m.functionName)) ?? EMPTY,
      thresholds,
      now: window.endMs,
      periodSeconds: PERIOD_SECONDS,
    });
    const dims = chooseLagDimensions(m, lagDims);
    const certificate = m.auth.secretArn ? certificates.get(m.auth.secretArn) : undefined;
    return {
      ...verdict,
      mapping: m,
      ...(isProblem(m.lastProcessingResult) ? { problem: m.lastProcessingResult!.trim() } : {}),
      lagSource: dims ? `OffsetLag {${describeDimensions(dims)}} (found with ListMetrics)` : 'no OffsetLag metric listed for this mapping or function yet',
      lagSamples: points(lag).length,
      ...(certificate ? { certificate } : {}),
    };
  });
  const perFunction = new Map<string, number>();
  for (const m of mappings) perFunction.set(m.functionName, (perFunction.get(m.functionName) ?? 0) + 1);
  const sharedLag = new Set(mappings.filter((m) => perFunction.get(m.functionName)! > 1 && (plan.lagKeyOf[m.uuid] ?? '').includes('FunctionName') && !(plan.lagKeyOf[m.uuid] ?? '').includes('EventSourceMappingUUID')).map((m) => m.functionName));
  for (const fn of sharedLag) warnings.push(`${fn}: OffsetLag is published per function, so its mappings share one lag series`);
  return { region, functions: groupByFunction(health), warnings };
}

/** OffsetLag's dimension sets from ListMetrics (cached); re-listed early when a mapping has none yet. */
export async function lagDimensionSets(factory: ClientFactory, region: string, mappings: readonly KafkaMapping[], now: number, signal?: AbortSignal): Promise<import('@aws-sdk/client-cloudwatch').Dimension[][]> {
  const first = await discoverDimensions(factory, region, 'AWS/Lambda', 'OffsetLag', { signal, now });
  const missing = mappings.some((m) => !chooseLagDimensions(m, first.sets));
  if (!missing || now - first.fetchedAt < MISS_RELIST_MS) return first.sets;
  return (await discoverDimensions(factory, region, 'AWS/Lambda', 'OffsetLag', { signal, now, maxAgeMs: 0 })).sets;
}
