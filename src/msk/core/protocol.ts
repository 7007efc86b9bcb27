import type { Verdict } from './types';

/**
 * The dashboard webview's message protocol, shared by the extension side and the browser bundle (type-only on
 * both sides). The webview says `ready` once its script runs; only then does the extension post data.
 */
export interface ChartLine {
  readonly label: string;
  readonly values: readonly (number | null)[];
}

export interface DashboardData {
  readonly title: string;
  readonly region: string;
  readonly functionName: string;
  readonly rangeId: string;
  readonly periodSeconds: number;
  /** Slot starts, epoch SECONDS (uPlot's x unit). */
  readonly x: readonly number[];
  /** One line per mapping (OffsetLag Maximum). */
  readonly lag: readonly ChartLine[];
  readonly duration: ChartLine;
  readonly errors: ChartLine;
  readonly invocations: ChartLine;
  /** One line per MSK topic (BytesInPerSec summed over brokers). */
  readonly bytesIn: readonly ChartLine[];
  readonly verdicts: ReadonlyArray<{ readonly label: string; readonly verdict: Verdict; readonly trend: string; readonly reason: string }>;
  readonly notes: readonly string[];
  readonly fetchedAt: string;
  readonly getMetricDataCalls: number;
}

export type ToWebview =
  | { readonly type: 'loading'; readonly rangeId: string }
  | { readonly type: 'data'; readonly data: DashboardData }
  | { readonly type: 'error'; readonly message: string };

export type FromWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'refresh' }
  | { readonly type: 'range'; readonly rangeId: string }
  | { readonly type: 'rendered'; readonly charts: number };

export function isFromWebview(msg: unknown): msg is FromWebview {
  const m = msg as { type?: unknown; rangeId?: unknown; charts?: unknown } | undefined;
  if (!m || typeof m.type !== 'string') return false;
  if (m.type === 'ready' || m.type === 'refresh') return true;
  if (m.type === 'range') return typeof m.rangeId === 'string';
  if (m.type === 'rendered') return typeof m.charts === 'number';
  return false;
}
