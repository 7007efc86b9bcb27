import { TIME_RANGES } from './queries';
import type { Verdict } from './types';

/**
 * The dashboard webview's message protocol, shared by the extension side and the browser bundle (both validate
 * what they receive with the functions below). The webview says `ready` once its script runs; only then does the
 * extension post data.
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

/** The time ranges the dashboard offers (its <select>); a `range` message must name one of them. */
export const RANGE_IDS: readonly string[] = TIME_RANGES.map((r) => r.id);
/** The dashboard draws at most this many charts. */
export const MAX_CHARTS = 4;

/** Every key each message type carries, and nothing else. */
const SHAPES: Readonly<Record<FromWebview['type'], readonly string[]>> = {
  ready: ['type'],
  refresh: ['type'],
  range: ['rangeId', 'type'],
  rendered: ['charts', 'type'],
};

const isPlainObject = (x: unknown): x is Record<string, unknown> => {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
};

/**
 * The webview is untrusted input (its script renders AWS data; a bug or an injected script could post anything):
 * a message is accepted only in exactly one of the known shapes — a plain object, a known `type`, exactly that
 * type's keys, a `rangeId` the dashboard offers, a whole number of charts within 0..MAX_CHARTS. Anything else is
 * undefined (the panel ignores and logs it).
 */
export function parseFromWebview(msg: unknown): FromWebview | undefined {
  if (!isPlainObject(msg)) return undefined;
  const type = msg.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(SHAPES, type)) return undefined;
  const keys = Object.keys(msg).sort();
  const want = SHAPES[type as FromWebview['type']];
  if (keys.length !== want.length || keys.some((k, i) => k !== want[i])) return undefined;
  switch (type) {
    case 'ready':
    case 'refresh':
      return { type };
    case 'range':
      return typeof msg.rangeId === 'string' && RANGE_IDS.includes(msg.rangeId) ? { type, rangeId: msg.rangeId } : undefined;
    case 'rendered':
      return typeof msg.charts === 'number' && Number.isInteger(msg.charts) && msg.charts >= 0 && msg.charts <= MAX_CHARTS ? { type, charts: msg.charts } : undefined;
  }
  return undefined;
}

export function isFromWebview(msg: unknown): msg is FromWebview {
  return parseFromWebview(msg) !== undefined;
}

/** A short, safe description of a rejected message for the log: its type and key names, never its values. */
export function describeRejected(msg: unknown): string {
  const clip = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
  if (!isPlainObject(msg)) return msg === null ? 'null' : Array.isArray(msg) ? `an array of ${msg.length}` : `a ${typeof msg}`;
  const keys = Object.keys(msg);
  const type = typeof msg.type === 'string' ? `type ${clip(msg.type)}` : 'no string type';
  return `${type}, keys ${keys.slice(0, 8).map(clip).join(', ')}${keys.length > 8 ? ` and ${keys.length - 8} more` : ''}`;
}

/** What the panel does with a message from the webview (pure, so it is unit tested without an editor). */
export type WebviewAction =
  | { readonly kind: 'ignore'; readonly reason: string }
  | { readonly kind: 'ready' }
  | { readonly kind: 'load'; readonly rangeId: string }
  | { readonly kind: 'rendered'; readonly charts: number };

/**
 * Decides a webview message against the panel's state: invalid messages are ignored with a reason, and a
 * refresh or a range the panel is already loading does not start a second load (a webview that floods
 * `refresh` cannot multiply GetMetricData calls, which CloudWatch bills).
 */
export function webviewAction(msg: unknown, state: { readonly rangeId: string; readonly loading: boolean }): WebviewAction {
  const m = parseFromWebview(msg);
  if (!m) return { kind: 'ignore', reason: `not a known message (${describeRejected(msg)})` };
  switch (m.type) {
    case 'ready':
      return { kind: 'ready' };
    case 'refresh':
      return state.loading ? { kind: 'ignore', reason: 'refresh while loading' } : { kind: 'load', rangeId: state.rangeId };
    case 'range':
      return state.loading && m.rangeId === state.rangeId ? { kind: 'ignore', reason: `range ${m.rangeId} is loading already` } : { kind: 'load', rangeId: m.rangeId };
    case 'rendered':
      return { kind: 'rendered', charts: m.charts };
  }
}

/** The webview's side: accepts only the extension's three message shapes (it ignores any other `message` event). */
export function isToWebview(msg: unknown): msg is ToWebview {
  if (!isPlainObject(msg)) return false;
  switch (msg.type) {
    case 'loading':
      return typeof msg.rangeId === 'string' && RANGE_IDS.includes(msg.rangeId);
    case 'error':
      return typeof msg.message === 'string';
    case 'data': {
      const d = msg.data as Partial<Record<keyof DashboardData, unknown>> | undefined;
      return isPlainObject(d) && typeof d.title === 'string' && typeof d.rangeId === 'string' && RANGE_IDS.includes(d.rangeId) && Array.isArray(d.x)
        && Array.isArray(d.lag) && isPlainObject(d.duration) && isPlainObject(d.errors) && isPlainObject(d.invocations) && Array.isArray(d.bytesIn)
        && Array.isArray(d.verdicts) && Array.isArray(d.notes) && typeof d.fetchedAt === 'string' && typeof d.getMetricDataCalls === 'number';
    }
    default:
      return false;
  }
}
