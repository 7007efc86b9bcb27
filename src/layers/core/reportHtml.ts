import type { RegionDrift } from './plan';
import { failedRegions, formatBytes, summarise, type PublishReport } from './results';

/**
 * The publish result table as a webview page. No script at all: the CSP allows only inline styles and
 * the retry link is a command URI that the panel enables for exactly that one command.
 */
const esc = (s: string | number | undefined): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function page(title: string, cspSource: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'unsafe-inline';">
<meta name="viewport" content="width=device-width, initial-scale=1.0"><title>${esc(title)}</title>
<style>
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 16px; }
table { border-collapse: collapse; width: 100%; margin: 12px 0; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid var(--vscode-panel-border); vertical-align: top; }
th { font-weight: 600; }
code { font-family: var(--vscode-editor-font-family); font-size: 0.9em; word-break: break-all; }
.published { color: var(--vscode-testing-iconPassed); }
.skipped, .in-sync { color: var(--vscode-descriptionForeground); }
.failed, .cancelled, .drifted, .unknown { color: var(--vscode-errorForeground); }
.behind, .missing { color: var(--vscode-list-warningForeground); }
.meta { color: var(--vscode-descriptionForeground); }
</style></head><body>${body}</body></html>`;
}

export function renderReportHtml(report: PublishReport, cspSource: string, retryCommandUri?: string, when = new Date()): string {
  const rows = report.results.map((r) => `<tr data-region="${esc(r.region)}">
<td>${esc(r.region)}</td>
<td class="${esc(r.action)}">${esc(r.action === 'skipped' ? 'unchanged' : r.action)}${r.upload === 's3' ? ' (via S3)' : ''}</td>
<td>${r.version ? `v${esc(r.version)}` : ''}</td>
<td>${r.arn ? `<code>${esc(r.arn)}</code>` : ''}</td>
<td>${esc((r.ms / 1000).toFixed(2))} s</td>
<td>${esc(r.grants.map((g) => `${g.statementId}: ${g.status}`).join(', '))}</td>
<td>${esc(r.error ?? '')}</td>
</tr>`).join('\n');
  const failed = failedRegions(report);
  const retry = failed.length && retryCommandUri
    ? `<p><a href="${esc(retryCommandUri)}">Retry failed Regions (${esc(failed.join(', '))})</a> — each is checked again first, so nothing is published twice.</p>`
    : '';
  const body = `<h2>Layer ${esc(report.layerName)}</h2>
<p><strong id="summary">${esc(summarise(report))}</strong> · ${esc(report.results.length)} Regions in ${esc((report.wallMs / 1000).toFixed(2))} s, up to ${esc(report.concurrency)} at once</p>
<p class="meta">SHA-256 <code>${esc(report.codeSha256)}</code> · ${esc(formatBytes(report.zipBytes))} zipped (direct-upload limit ${esc(formatBytes(report.limits.codeSizeZipped))}, ${esc(report.limits.source)}) · ${esc(when.toISOString())}</p>
${retry}
<table><thead><tr><th>Region</th><th>Action</th><th>Version</th><th>ARN</th><th>Time</th><th>Permissions</th><th>Error</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
  return page(`Layer ${report.layerName}`, cspSource, body);
}

export function renderDriftHtml(name: string, drift: readonly RegionDrift[], reference: string, cspSource: string): string {
  const rows = drift.map((d) => `<tr><td>${esc(d.region)}</td><td>${d.latest ? `v${esc(d.latest.version)}` : '—'}</td><td><code>${esc(d.latest?.codeSha256 ?? '')}</code></td><td>${esc(d.latest?.createdDate ?? '')}</td><td class="${esc(d.state)}">${esc(d.error ? `error: ${d.error}` : d.badge)}</td></tr>`).join('\n');
  return page(`Layer ${name}: Regions`, cspSource, `<h2>Layer ${esc(name)}: Regions compared</h2><p class="meta">Reference: ${esc(reference)}</p>
<table><thead><tr><th>Region</th><th>Latest</th><th>CodeSha256</th><th>Published</th><th>State</th></tr></thead><tbody>
${rows}
</tbody></table>`);
}
