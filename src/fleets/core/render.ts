import type { FleetPlan, PlanRow } from './plan';
import type { LaunchReport } from './results';

/** Plan and launch results as Markdown (the editor's preview) and as plain text (the CLI). */
const STATUS_TEXT: Record<PlanRow['status'], string> = {
  fits: 'fits',
  partial: 'partly',
  'capacity-unknown': 'capacity unknown',
  'no-capacity': 'no free capacity',
  'not-configured': 'not on Outpost',
  'unknown-type': 'unknown type',
  refused: 'refused by EC2 Fleet',
  'no-type': 'no instance type',
};

const gib = (mib?: number): string => (mib === undefined ? '?' : `${Math.round((mib / 1024) * 10) / 10}`);
const orNa = (v: number | undefined): string => (v === undefined ? '?' : String(v));

function expectedLine(plan: FleetPlan): string {
  if (!plan.rows.length) return 'Nothing to plan: the file has no overrides.';
  if (!plan.expected.length) return `No override is expected to launch: ${plan.unfilled} of ${plan.target} ${plan.unit} cannot be filled.`;
  const parts = plan.expected.map((e) => `${e.instances} × ${plan.rows[e.row].instanceType ?? '?'}`);
  const tail = plan.unfilled > 0 ? `, leaving ${plan.unfilled} of ${plan.target} ${plan.unit} unfilled` : '';
  return `Expected: ${parts.join(' + ')}${tail}${plan.assumed ? ' (assuming capacity OpsDeck cannot see)' : ''}.`;
}

export function renderPlanMarkdown(plan: FleetPlan, title: string): string {
  const lines = [
    `# Capacity plan: ${title}`,
    '',
    `Target **${plan.target} ${plan.unit}**, allocation **${plan.strategy}**${plan.singleInstanceType ? ', single instance type' : ''}; overrides in ${plan.orderedBy === 'priority' ? 'priority order (lower number first)' : plan.orderedBy === 'price' ? 'file order (EC2 orders them by price, which OpsDeck does not know)' : 'file order'}.`,
    '',
    '| # | Instance type | Priority | Weight | Instances | vCPUs | Memory (GiB) | Outpost free | Status |',
    '|---|---|---|---|---|---|---|---|---|',
    ...plan.rows.map((r, i) => {
      const mark = plan.expected.some((e) => e.row === i) ? ' **← expected**' : '';
      return `| ${i + 1} | \`${r.instanceType ?? '—'}\` | ${orNa(r.priority)} | ${r.weight} | ${r.instances} | ${r.vcpus === undefined ? '?' : r.vcpus * r.instances} | ${r.memoryMiB === undefined ? '?' : gib(r.memoryMiB * r.instances)} | ${orNa(r.available)} | ${STATUS_TEXT[r.status]}${mark} |`;
    }),
    '',
    `**${expectedLine(plan)}**`,
    '',
    `**If launched:** ${plan.commitment.headline} ${plan.commitment.billing}`,
    '',
    ...plan.rows.map((r, i) => `${i + 1}. \`${r.instanceType ?? '—'}\`: ${r.note}`),
    '',
  ];
  return lines.join('\n');
}

export function renderPlanText(plan: FleetPlan, title: string): string {
  const header = ['#', 'TYPE', 'PRIO', 'WEIGHT', 'INST', 'VCPU', 'GIB', 'FREE', 'STATUS'];
  const body = plan.rows.map((r, i) => [
    String(i + 1), r.instanceType ?? '-', orNa(r.priority), String(r.weight), String(r.instances),
    r.vcpus === undefined ? '?' : String(r.vcpus * r.instances), r.memoryMiB === undefined ? '?' : gib(r.memoryMiB * r.instances),
    orNa(r.available), `${STATUS_TEXT[r.status]}${plan.expected.some((e) => e.row === i) ? ' <- expected' : ''}`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const fmt = (row: string[]): string => row.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  return [
    `Plan for ${title}: target ${plan.target} ${plan.unit}, ${plan.strategy}${plan.singleInstanceType ? ', single instance type' : ''}`,
    fmt(header),
    ...body.map(fmt),
    expectedLine(plan),
    `If launched: ${plan.commitment.headline}`,
    plan.commitment.billing,
  ].join('\n');
}

const LAUNCH_HEADING: Record<LaunchReport['outcome'], string> = {
  failed: 'FAILED',
  partial: 'partly launched',
  launched: 'launched',
  submitted: 'fleet created, instances launching asynchronously',
};

export function renderLaunchMarkdown(report: LaunchReport): string {
  const lines = [`# Fleet launch: ${LAUNCH_HEADING[report.outcome]}`, '', `**${report.summary}**`, ''];
  if (report.fleetId) lines.push(`FleetId: \`${report.fleetId}\``, '');
  for (const row of report.rows) {
    lines.push(`## ${row.label}`, '');
    if (row.instanceIds.length) lines.push(`Launched ${row.instanceIds.length}: ${row.instanceIds.map((i) => `\`${i}\``).join(', ')}`, '');
    for (const e of row.errors) lines.push(`- **${e.code}**: ${e.message}`, `  - ${e.advice}`);
    if (!row.instanceIds.length && !row.errors.length) lines.push(report.outcome === 'submitted' ? 'See the fleet\'s instances in the Outposts Fleets view.' : 'Not used.');
    lines.push('');
  }
  return lines.join('\n');
}

export function renderLaunchText(report: LaunchReport): string {
  const lines = [report.summary];
  if (report.fleetId) lines.push(`FleetId: ${report.fleetId}`);
  for (const row of report.rows) {
    const state = row.instanceIds.length ? `launched ${row.instanceIds.length}: ${row.instanceIds.join(' ')}` : row.errors.length ? 'failed' : report.outcome === 'submitted' ? 'asynchronous' : 'not used';
    lines.push(`  ${row.label}: ${state}`);
    for (const e of row.errors) lines.push(`    ${e.code}: ${e.message}`, `      -> ${e.advice}`);
  }
  return lines.join('\n');
}
