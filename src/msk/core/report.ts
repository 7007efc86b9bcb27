import { carryForward } from '../../common/poller';
import { certificateText } from './certificate';
import { batchingWindowText, pollersText } from './mappings';
import { BAD_VERDICTS, type FunctionHealth, type HealthReport, type MappingHealth, type RegionHealth, type Thresholds, type Verdict } from './types';

/** Report assembly, alert state and text rendering (CLI and tooltips), pure. */

export const VERDICTS: readonly Verdict[] = ['ERROR', 'STALLED', 'WARN', 'DISABLED', 'OK'];
const RANK: Record<Verdict, number> = { ERROR: 0, STALLED: 1, WARN: 2, DISABLED: 3, OK: 4 };
export const worstOf = (verdicts: readonly Verdict[]): Verdict => verdicts.reduce<Verdict>((w, v) => (RANK[v] < RANK[w] ? v : w), 'OK');
export const isBad = (v: Verdict): boolean => BAD_VERDICTS.includes(v);

export function allMappings(report: Pick<HealthReport, 'regions'>): MappingHealth[] {
  return report.regions.flatMap((r) => r.functions.flatMap((f) => f.mappings));
}

/** Groups mappings by function, functions sorted by worst verdict then name. */
export function groupByFunction(mappings: readonly MappingHealth[]): FunctionHealth[] {
  const byFn = new Map<string, MappingHealth[]>();
  for (const m of mappings) byFn.set(m.mapping.functionArn, [...(byFn.get(m.mapping.functionArn) ?? []), m]);
  return [...byFn.entries()]
    .map(([functionArn, ms]) => ({
      functionArn,
      functionName: ms[0].mapping.functionName,
      mappings: [...ms].sort((a, b) => RANK[a.verdict] - RANK[b.verdict] || String(a.mapping.topic).localeCompare(String(b.mapping.topic))),
    }))
    .sort((a, b) => RANK[worstOf(a.mappings.map((m) => m.verdict))] - RANK[worstOf(b.mappings.map((m) => m.verdict))] || a.functionName.localeCompare(b.functionName));
}

export function buildReport(regions: readonly RegionHealth[], windowMinutes: number, thresholds: Thresholds, now: number, calls?: Record<string, number>): HealthReport {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const m of allMappings({ regions })) counts[m.verdict]++;
  return {
    generatedAt: new Date(now).toISOString(),
    windowMinutes,
    thresholds,
    regions,
    counts,
    badCount: BAD_VERDICTS.reduce((n, v) => n + counts[v], 0),
    ...(calls ? { calls } : {}),
  };
}

/** "$(pulse) MSK: 1 lagging"; undefined hides the status bar item. */
export function alertText(badCount: number): string | undefined {
  return badCount > 0 ? `$(pulse) MSK: ${badCount} lagging` : undefined;
}

/** Mapping ids that are bad now but were not bad (or not known) before: notify once per transition. */
export function newlyBad(previous: ReadonlyMap<string, Verdict> | undefined, current: readonly MappingHealth[]): MappingHealth[] {
  return current.filter((m) => isBad(m.verdict) && (previous === undefined || !isBad(previous.get(m.mapping.uuid) ?? 'OK')));
}

export const verdictsById = (mappings: readonly MappingHealth[]): Map<string, Verdict> => new Map(mappings.map((m) => [m.mapping.uuid, m.verdict]));

/** Verdicts known per Region (Region → mapping UUID → verdict). */
export type KnownVerdicts = ReadonlyMap<string, ReadonlyMap<string, Verdict>>;

/**
 * The mappings of a report that just went bad, and what is known afterwards. A Region that answered is compared
 * with its own previous verdicts (a mapping it did not have counts as OK before); a Region whose check failed
 * has no mappings to judge and keeps its previous verdicts, so its bad mappings are not announced a second time
 * when it answers again. `previous` undefined = first report.
 */
export function diffVerdicts(previous: KnownVerdicts | undefined, report: Pick<HealthReport, 'regions'>): { bad: MappingHealth[]; known: Map<string, ReadonlyMap<string, Verdict>> } {
  const current = new Map<string, ReadonlyMap<string, Verdict>>();
  const bad: MappingHealth[] = [];
  const failed: string[] = [];
  for (const r of report.regions) {
    if (r.error) {
      failed.push(r.region);
      continue;
    }
    const mappings = r.functions.flatMap((f) => f.mappings);
    bad.push(...newlyBad(previous?.get(r.region), mappings));
    current.set(r.region, verdictsById(mappings));
  }
  return { bad, known: carryForward(previous, current, failed) };
}

/** The fields the tree and the CLI show for a mapping, as label/value pairs. */
export function mappingFields(h: MappingHealth): Array<[string, string]> {
  const m = h.mapping;
  const fields: Array<[string, string]> = [
    ['Verdict', `${h.verdict} — ${h.reason}`],
    ['Lag', h.trend],
    ['State', m.stateTransitionReason ? `${m.state} (${m.stateTransitionReason})` : m.state],
    ['Topic', m.topic ?? '—'],
    m.kind === 'msk' ? ['Cluster', m.clusterArn ?? '—'] : ['Bootstrap servers', m.bootstrapServers.join(', ') || '—'],
    ['Consumer group', m.consumerGroupId ?? '— (defaults to the mapping UUID)'],
    ['Batch size', m.batchSize !== undefined ? String(m.batchSize) : 'default (100)'],
    ['Batching window', batchingWindowText(m.batchingWindowSeconds)],
    ['Starting position', m.startingPosition === 'AT_TIMESTAMP' && m.startingPositionTimestamp ? `AT_TIMESTAMP ${new Date(m.startingPositionTimestamp).toISOString()}` : m.startingPosition ?? '—'],
    ['Provisioned pollers', pollersText(m.provisionedPollers)],
    ['Auth', m.auth.label],
  ];
  if (m.auth.serverRootCaArn) fields.push(['Server root CA', m.auth.serverRootCaArn]);
  if (m.auth.secretArn) fields.push(['Auth secret', m.auth.secretArn]);
  fields.push(['Last processing result', m.lastProcessingResult ?? '—']);
  if (h.certificate) fields.push(['Client certificate', certificateText(h.certificate)]);
  fields.push(['OffsetLag source', h.lagSource]);
  fields.push(['UUID', m.uuid]);
  return fields;
}

/** Plain-text report for `opsdeck msk health`. */
export function renderText(report: HealthReport): string[] {
  const lines: string[] = [];
  const total = allMappings(report).length;
  lines.push(`Kafka event source mappings: ${total} (window ${report.windowMinutes} min, allowed lag ${report.thresholds.allowedLag})`);
  for (const r of report.regions) {
    lines.push('');
    lines.push(`${r.region}${r.error ? `  ERROR: ${r.error}` : ''}`);
    for (const w of r.warnings) lines.push(`  note: ${w}`);
    if (!r.error && r.functions.length === 0) lines.push('  no Kafka event source mappings');
    for (const f of r.functions) {
      lines.push(`  ${f.functionName}`);
      for (const h of f.mappings) {
        const m = h.mapping;
        const source = m.kind === 'msk' ? `MSK ${m.clusterName ?? m.clusterArn}` : `Kafka ${m.bootstrapServers[0] ?? ''}${m.bootstrapServers.length > 1 ? ` +${m.bootstrapServers.length - 1}` : ''}`;
        lines.push(`    ${h.verdict.padEnd(8)} ${m.topic ?? '?'} (${source}, ${m.state}, ${m.auth.mode})  ${h.trend}`);
        lines.push(`             ${h.reason}`);
        if (h.problem && h.problem !== h.reason) lines.push(`             ${h.problem}`);
        if (h.certificate && (h.certificate.error || h.certificate.expiringSoon)) lines.push(`             ${certificateText(h.certificate)}`);
      }
    }
  }
  lines.push('');
  const c = report.counts;
  lines.push(`OK ${c.OK} · WARN ${c.WARN} · STALLED ${c.STALLED} · ERROR ${c.ERROR} · DISABLED ${c.DISABLED}`);
  return lines;
}
