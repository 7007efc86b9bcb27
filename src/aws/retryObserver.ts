/**
 * What happened to each attempt of an AWS call, seen from inside the SDK's retry loop (no vscode, no I/O): the
 * SDK retries throttles, 5xx and dropped connections silently, so without this nothing could tell the user that
 * a view is slow because AWS is throttling it. ClientFactory adds `attemptObserverMiddleware` to every client
 * (finalizeRequest step, low priority: inside the retry middleware, so it runs once per attempt) and hands each
 * outcome to `ClientFactoryOptions.onAttempt`. src/aws/retryEpisodes.ts turns the stream into episodes.
 */

export type AttemptKind = 'ok' | 'throttled' | 'server' | 'network' | 'client';

export interface AttemptOutcome {
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  /** 1 for the first attempt, 2 for the first retry, … (from the SDK's amz-sdk-request header). */
  readonly attempt: number;
  readonly kind: AttemptKind;
  /** HTTP status of the attempt's response, when there was one. */
  readonly status?: number;
  /** Error name or code (ThrottlingException, RequestLimitExceeded, ECONNRESET, …). */
  readonly errorName?: string;
  /** Epoch milliseconds when the attempt ended. */
  readonly at: number;
}

/** Error codes AWS uses for throttling across protocols (the SDK's own list, @smithy/service-error-classification). */
const THROTTLING_CODES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH']);
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'NetworkingError']);

/** The kind of a failed attempt: throttled, a 5xx, a dropped or timed-out connection, or anything else. */
export function classifyAttemptError(error: unknown): { kind: Exclude<AttemptKind, 'ok'>; status?: number; errorName?: string } {
  const e = (error ?? {}) as { name?: unknown; code?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: unknown }; $response?: { statusCode?: unknown }; $retryable?: { throttling?: unknown } };
  const rawStatus = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const status = typeof rawStatus === 'number' ? rawStatus : undefined;
  const code = [e.code, e.Code, e.name].find((v): v is string => typeof v === 'string' && v !== 'Error');
  const errorName = code ?? (typeof e.name === 'string' ? e.name : undefined);
  if (status === 429 || (code !== undefined && THROTTLING_CODES.has(code)) || e.$retryable?.throttling === true) return { kind: 'throttled', status, errorName };
  if (status !== undefined && status >= 500) return { kind: 'server', status, errorName };
  if (status === undefined && code !== undefined && (NETWORK_CODES.has(code) || NETWORK_NAMES.has(code))) return { kind: 'network', errorName };
  return { kind: 'client', status, errorName };
}

/** The attempt number the retry middleware wrote into `amz-sdk-request: attempt=N; max=M` (1 when absent). */
export function attemptNumber(request: unknown): number {
  const headers = (request as { headers?: Record<string, string | undefined> } | undefined)?.headers;
  const value = headers?.['amz-sdk-request'] ?? '';
  const m = /attempt=(\d+)/.exec(value);
  return m ? Number(m[1]) : 1;
}

/** True for the outcomes that mean "the SDK is retrying because AWS is unwell": throttles, 5xx, dropped connections. */
export function isRetryingKind(kind: AttemptKind): boolean {
  return kind === 'throttled' || kind === 'server' || kind === 'network';
}
