import type { RegionDrift } from './plan';
import { shortHash } from './plan';

/** What a publish did in one Region: the row of the result table (CLI, JSON and the editor's report). */
export type ResultAction = 'published' | 'skipped' | 'failed' | 'cancelled';

export interface GrantOutcome {
  readonly statementId: string;
  readonly status: 'added' | 'already granted' | 'failed';
  readonly error?: string;
}

export interface RegionResult {
  readonly region: string;
  readonly action: ResultAction;
  /** "unchanged, v12", "was v11 (other content)", "not published here yet", the error… */
  readonly detail: string;
  readonly version?: number;
  readonly arn?: string;
  readonly codeSha256?: string;
  /** Inline upload or staged through S3. */
  readonly upload?: 'inline' | 's3';
  readonly grants: readonly GrantOutcome[];
  readonly ms: number;
  readonly error?: string;
}

export interface PublishReport {
  readonly layerName: string;
  readonly codeSha256: string;
  readonly zipBytes: number;
  readonly results: readonly RegionResult[];
  readonly wallMs: number;
  readonly concurrency: number;
  /** Where the size limits came from. */
  readonly limits: AccountLimitsInfo;
}

export interface AccountLimitsInfo {
  readonly codeSizeZipped: number;
  readonly codeSizeUnzipped: number;
  readonly totalCodeSize?: number;
  readonly source: 'GetAccountSettings' | 'documented defaults';
  readonly note?: string;
}

export function failedRegions(report: Pick<PublishReport, 'results'>): string[] {
  return report.results.filter((r) => r.action === 'failed' || r.action === 'cancelled').map((r) => r.region);
}

export function summarise(report: Pick<PublishReport, 'results'>): string {
  const count = (a: ResultAction) => report.results.filter((r) => r.action === a).length;
  const parts = [`${count('published')} published`, `${count('skipped')} unchanged`];
  if (count('failed')) parts.push(`${count('failed')} failed`);
  if (count('cancelled')) parts.push(`${count('cancelled')} cancelled`);
  return parts.join(', ');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const versionOf = (r: RegionResult) => (r.version ? `v${r.version}` : '');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Plain-text table for the terminal. */
export function renderResultTable(report: PublishReport): string {
  const head = ['Region', 'Action', 'Version', 'Time', 'ARN / error'];
  const rows = report.results.map((r) => [r.region, r.action === 'skipped' ? 'unchanged' : r.action, versionOf(r), seconds(r.ms), r.error ?? r.arn ?? r.detail]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(head), ...rows.map(line), '', `${report.layerName} ${shortHash(report.codeSha256)} (${formatBytes(report.zipBytes)}): ${summarise(report)} in ${seconds(report.wallMs)}`].join('\n');
}

const md = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Markdown report for the editor's preview. */
export function renderResultMarkdown(report: PublishReport, when = new Date()): string {
  const lines = [
    `# Layer ${md(report.layerName)}: publish result`,
    '',
    `${summarise(report)} · ${report.results.length} Regions in ${seconds(report.wallMs)} (up to ${report.concurrency} at once) · ${when.toISOString()}`,
    '',
    `Content SHA-256 \`${report.codeSha256}\` · ${formatBytes(report.zipBytes)} zipped (limit ${formatBytes(report.limits.codeSizeZipped)} for direct upload, from ${report.limits.source})`,
    '',
    '| Region | Action | Version | ARN | Time | Permissions | Error |',
    '|---|---|---|---|---|---|---|',
    ...report.results.map((r) => `| ${r.region} | ${r.action === 'skipped' ? `unchanged` : r.action}${r.upload === 's3' ? ' (via S3)' : ''} | ${versionOf(r)} | ${r.arn ? `\`${r.arn}\`` : ''} | ${seconds(r.ms)} | ${md(r.grants.map((g) => `${g.statementId}: ${g.status}`).join(', '))} | ${md(r.error ?? (r.action === 'failed' ? r.detail : ''))} |`),
  ];
  if (failedRegions(report).length) lines.push('', `Run **AWS OpsDeck: Retry Failed Layer Regions** to retry ${failedRegions(report).join(', ')}; it re-checks each Region's content first, so nothing is published twice.`);
  return `${lines.join('\n')}\n`;
}

export function renderDriftTable(name: string, drift: readonly RegionDrift[]): string {
  const head = ['Region', 'Latest', 'SHA-256', 'State'];
  const rows = drift.map((d) => [d.region, d.latest ? `v${d.latest.version}` : '—', shortHash(d.latest?.codeSha256), d.error ? `error: ${d.error}` : d.badge]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [`Layer ${name}`, line(head), ...rows.map(line)].join('\n');
}
