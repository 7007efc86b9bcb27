import { formatAge, nameFromArn, plural } from './format';
import type { Finding, HealthReport, QueueReport, StuckJob } from './types';

const MARK = { error: '✖', warning: '!', info: 'i' } as const;

/** "RUNNABLE · 6h 12m": the label every stuck job starts with (tree and CLI). */
export function stuckLabel(s: StuckJob): string {
  return `${s.status} · ${formatAge(s.ageMs)}`;
}

/** One line summing a queue up for the tree's description and the CLI header. */
export function queueSummary(q: QueueReport): string {
  const parts = [`${q.queue.state}/${q.queue.status ?? '?'}`, `priority ${q.queue.priority ?? '?'}`];
  const transit = Object.entries(q.inTransit).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`);
  if (q.stuck.length) parts.push(`${q.stuck.length} stuck > ${q.thresholdMinutes}m`);
  else if (transit.length) parts.push(`${transit.join(', ')} in transit`);
  return parts.join(' · ');
}

function findingLines(f: Finding, indent: string): string[] {
  const lines = [`${indent}${MARK[f.severity]} ${f.message}`];
  for (const e of f.evidence) lines.push(`${indent}    evidence: ${e}`);
  if (f.advice) lines.push(`${indent}    → ${f.advice}`);
  return lines;
}

/** The plain-text report of `opsdeck batch health`: only queues with stuck jobs or findings, unless `all`. */
export function renderText(report: HealthReport, all = false): string[] {
  const out: string[] = [];
  for (const r of report.regions) {
    out.push(`${r.region}`);
    if (r.error) {
      out.push(`  ✖ ${r.error}`);
      continue;
    }
    if (r.queues.length === 0) out.push('  (no job queues)');
    let hidden = 0;
    for (const q of r.queues) {
      if (!all && q.health === 'ok' && q.stuck.length === 0) {
        hidden++;
        continue;
      }
      const icon = q.health === 'blocked' ? '✖' : q.health === 'warning' ? '!' : '✓';
      out.push(`  ${icon} ${q.queue.name}  (${queueSummary(q)})`);
      for (const f of q.findings) out.push(...findingLines(f, '    '));
      for (const ce of q.computeEnvironments) {
        out.push(`    ▸ ${ce.name}: ${ce.state ?? '?'}/${ce.status ?? '?'} vCPUs min ${ce.minvCpus ?? '-'} desired ${ce.desiredvCpus ?? '-'} max ${ce.maxvCpus ?? '-'}${ce.statusReason ? ` — ${ce.statusReason}` : ''}`);
      }
      for (const s of q.stuck) {
        out.push(`    ${stuckLabel(s)}  ${s.job.jobName} (${s.job.jobId})${s.job.jobDefinition ? ` ${nameFromArn(s.job.jobDefinition)}` : ''}${s.job.statusReason ? ` — ${s.job.statusReason}` : ''}`);
        for (const f of s.findings) {
          if (q.findings.includes(f)) out.push(`      ${MARK[f.severity]} queue: ${f.message}`);
          else out.push(...findingLines(f, '      '));
        }
      }
    }
    if (hidden) out.push(`  ✓ ${plural(hidden, 'healthy queue')} (use --all to list)`);
  }
  out.push('');
  out.push(report.stuckCount ? `${plural(report.stuckCount, 'stuck job')}.` : 'No stuck jobs.');
  return out;
}
