// Browser side of the MSK dashboard webview (bundled to dist/webview/msk-dashboard.js with uPlot; no CDN).
// It draws the four charts of the seed article's CloudWatch dashboard in the editor's theme colours, updates
// them in place when new data arrives, and speaks only the typed protocol in src/msk/core/protocol.ts (messages
// it receives are checked with isToWebview; the extension checks what it sends back just as strictly).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './dashboard.css';
import { isToWebview, RANGE_IDS, type ChartLine, type DashboardData, type FromWebview } from '../core/protocol';
import { chartThemeSignature, readChartTheme, THEME_ATTRIBUTES, type ChartTheme } from './chartTheme';

declare function acquireVsCodeApi(): { postMessage(msg: FromWebview): void; getState(): unknown; setState(s: unknown): void };
const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(sel: string): T => document.querySelector(sel) as T;

const currentTheme = (): ChartTheme => {
  const style = getComputedStyle(document.body);
  return readChartTheme((name) => style.getPropertyValue(name));
};
let theme = currentTheme();
let lastData: DashboardData | undefined;

type ChartId = 'lag' | 'duration' | 'errors' | 'bytesIn';
const charts = new Map<ChartId, { plot: uPlot; signature: string }>();

function linesFor(id: ChartId, d: DashboardData): ChartLine[] {
  switch (id) {
    case 'lag': return [...d.lag];
    case 'duration': return [d.duration];
    case 'errors': return [d.errors, d.invocations];
    case 'bytesIn': return [...d.bytesIn];
  }
}

const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const formatValue = (id: ChartId) => (_u: uPlot, v: number | null): string => {
  if (v === null || v === undefined) return '—';
  if (id === 'bytesIn') return v >= 1e6 ? `${fmt.format(v / 1e6)} MB/s` : v >= 1e3 ? `${fmt.format(v / 1e3)} KB/s` : `${fmt.format(v)} B/s`;
  if (id === 'duration') return `${fmt.format(v)} ms`;
  return fmt.format(v);
};

function options(id: ChartId, lines: ChartLine[], width: number): uPlot.Options {
  const colors = theme.series;
  const fg = theme.foreground;
  const grid = theme.grid;
  const axis: uPlot.Axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  return {
    width,
    height: 220,
    cursor: { drag: { x: true, y: false } },
    scales: { x: { time: true } },
    axes: [{ ...axis }, { ...axis, size: 84, values: (u, vals) => vals.map((v) => formatValue(id)(u, v)) }],
    series: [
      {},
      ...lines.map((l, i) => ({
        label: l.label,
        stroke: id === 'errors' && i === 0 ? theme.red : colors[i % colors.length],
        width: 2,
        points: { show: false },
        value: formatValue(id),
      })),
    ],
  };
}

function render(d: DashboardData): void {
  lastData = d;
  let drawn = 0;
  document.body.dataset.chartTheme = chartThemeSignature(theme);
  for (const fig of Array.from(document.querySelectorAll<HTMLElement>('figure.chart'))) {
    const id = fig.dataset.chart as ChartId;
    const host = fig.querySelector<HTMLElement>('.plot')!;
    const lines = linesFor(id, d);
    const data = [d.x as number[], ...lines.map((l) => l.values as (number | null)[])] as uPlot.AlignedData;
    const signature = lines.map((l) => l.label).join('|');
    const existing = charts.get(id);
    if (lines.length === 0) {
      existing?.plot.destroy();
      charts.delete(id);
      host.replaceChildren(Object.assign(document.createElement('div'), { className: 'empty', textContent: id === 'bytesIn' ? 'No BytesInPerSec for this function’s topics (self-managed Kafka, or no per-topic MSK metrics)' : 'No data' }));
      continue;
    }
    if (existing && existing.signature === signature) {
      existing.plot.setData(data); // in place: keeps the cursor and legend
    } else {
      existing?.plot.destroy();
      host.replaceChildren();
      charts.set(id, { plot: new uPlot(options(id, lines, host.clientWidth || 480), data, host), signature });
    }
    drawn++;
  }
  vscode.postMessage({ type: 'rendered', charts: drawn });
}

function showVerdicts(d: DashboardData): void {
  const box = $('#verdicts');
  box.replaceChildren(
    ...d.verdicts.map((v) => {
      const el = document.createElement('div');
      el.className = `verdict ${v.verdict}`;
      el.title = v.reason;
      const b = document.createElement('b');
      b.textContent = v.verdict;
      el.append(b, `${v.label}: ${v.trend}`);
      return el;
    }),
  );
  $('#notes').replaceChildren(...d.notes.map((n) => Object.assign(document.createElement('li'), { textContent: n })));
}

function setStatus(text: string, error = false): void {
  const s = $('#status');
  s.textContent = text;
  s.classList.toggle('error', error);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = event.data;
  if (!isToWebview(msg)) return; // only the extension's three message shapes
  if (msg.type === 'loading') {
    setStatus('Loading…');
    $<HTMLSelectElement>('#range').value = msg.rangeId;
  } else if (msg.type === 'error') {
    setStatus(msg.message, true);
  } else if (msg.type === 'data') {
    const d = msg.data;
    $('#title').textContent = d.title;
    $<HTMLSelectElement>('#range').value = d.rangeId;
    vscode.setState({ rangeId: d.rangeId });
    showVerdicts(d);
    render(d);
    setStatus(`Updated ${new Date(d.fetchedAt).toLocaleTimeString()} · ${d.getMetricDataCalls} GetMetricData call${d.getMetricDataCalls === 1 ? '' : 's'}`);
  }
});

$<HTMLSelectElement>('#range').addEventListener('change', (e) => {
  const rangeId = (e.target as HTMLSelectElement).value;
  if (RANGE_IDS.includes(rangeId)) vscode.postMessage({ type: 'range', rangeId });
});
$('#refresh').addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
new ResizeObserver(() => {
  for (const [id, c] of charts) {
    const host = document.querySelector<HTMLElement>(`figure[data-chart="${id}"] .plot`);
    if (host && host.clientWidth && Math.abs(host.clientWidth - c.plot.width) > 4) c.plot.setSize({ width: host.clientWidth, height: 220 });
  }
}).observe($('#charts'));

// A theme switch rewrites the --vscode-* variables in place: re-create the charts in the new colours (uPlot
// bakes its stroke colours into the chart when it is created; setData would keep the old ones).
const onThemeChange = (): void => {
  const next = currentTheme();
  if (chartThemeSignature(next) === chartThemeSignature(theme)) return;
  theme = next;
  for (const c of charts.values()) c.plot.destroy();
  charts.clear();
  if (lastData) render(lastData);
};
const themeObserver = new MutationObserver(onThemeChange);
themeObserver.observe(document.body, { attributes: true, attributeFilter: THEME_ATTRIBUTES });
themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: THEME_ATTRIBUTES });

const saved = vscode.getState() as { rangeId?: unknown } | undefined;
if (typeof saved?.rangeId === 'string' && RANGE_IDS.includes(saved.rangeId)) vscode.postMessage({ type: 'range', rangeId: saved.rangeId });
vscode.postMessage({ type: 'ready' });
