import { isCancellation } from './cancellation';
import { redactSecrets } from './redact';

/** What the user can do about an error; the VS Code layer turns each into a button, the CLI into a hint. */
export type ErrorRemedy =
  | { readonly kind: 'ssoLogin'; readonly profile: string; readonly command: string }
  | { readonly kind: 'selectProfile' }
  | { readonly kind: 'openSettings'; readonly setting: string }
  | { readonly kind: 'retry' };

export type ErrorKind =
  | 'cancelled'
  | 'ssoExpired'
  | 'noCredentials'
  | 'accessDenied'
  | 'throttled'
  | 'endpointUnreachable'
  | 'timeout'
  | 'invalidInput'
  | 'notFound'
  | 'fileAccess'
  | 'unknown';

export interface ActionableError {
  readonly kind: ErrorKind;
  /** One sentence for a toast, a tree node or stderr: what happened and what to do. */
  readonly message: string;
  readonly remedy?: ErrorRemedy;
  /** The AWS error code or Node error code, for the log. */
  readonly code?: string;
}

export interface ErrorContext {
  readonly profile?: string;
  readonly region?: string;
  /** "ec2:DescribeHosts" — names the IAM action in AccessDenied messages. */
  readonly action?: string;
  readonly endpointUrl?: string;
}

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $retryable?: { throttling?: boolean };
  cause?: unknown;
}

const THROTTLING = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestThrottled', 'RequestThrottledException',
  'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown', 'ProvisionedThroughputExceededException',
  'RequestLimitExceededException', 'TooManyRequests',
]);
const ACCESS_DENIED = new Set([
  'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess', 'AuthorizationError',
  'NotAuthorized', 'Forbidden',
]);
const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** Turns any error from the SDK, the credential chain or the network into one actionable sentence. */
export function toActionableError(err: unknown, ctx: ErrorContext = {}): ActionableError {
  const e = (err ?? {}) as AwsLikeError;
  const name = e.name ?? '';
  const code = e.code ?? name;
  const raw = redactSecrets(String(e.message ?? err));
  const where = ctx.region ? ` in ${ctx.region}` : '';
  const profile = ctx.profile ?? 'default';

  if (isCancellation(err)) return { kind: 'cancelled', message: 'Cancelled.', code: name };
  // src/devhosts/core/fileErrors.ts: a local file could not be read or written; its message already says what to
  // do, and `setting` is where the user points OpsDeck at another path.
  if (name === 'LocalFileError') {
    const setting = (err as { setting?: unknown }).setting;
    return { kind: 'fileAccess', code: e.code, message: raw, ...(typeof setting === 'string' ? { remedy: { kind: 'openSettings' as const, setting } } : {}) };
  }
  // src/aws/paginationGuard.ts: a listing whose page token stopped advancing. Say so before any pattern below
  // (its text mentions "token") can misread it.
  if (name === 'EndlessPaginationError') {
    return { kind: 'unknown', code: name, message: `${firstLine(raw)}${where && !raw.includes(ctx.region ?? '') ? ` (${ctx.region})` : ''}`, remedy: { kind: 'retry' } };
  }

  if (/sso/i.test(raw) && /(expired|refresh|aws sso login|token)/i.test(raw)) {
    const command = `aws sso login --profile ${profile}`;
    return {
      kind: 'ssoExpired',
      code,
      message: `The SSO session for profile "${profile}" has expired or is missing. Run \`${command}\` and try again.`,
      remedy: { kind: 'ssoLogin', profile, command },
    };
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials|credentials? (?:not found|are missing)|Profile .* could not be found/i.test(raw)) {
    return {
      kind: 'noCredentials',
      code: name || 'CredentialsProviderError',
      message: `No AWS credentials for profile "${profile}": ${firstLine(raw)} Choose another profile or configure this one (aws configure / aws configure sso).`,
      remedy: { kind: 'selectProfile' },
    };
  }
  if (ACCESS_DENIED.has(code) || ACCESS_DENIED.has(name) || e.$metadata?.httpStatusCode === 403 && !THROTTLING.has(name)) {
    const action = ctx.action ? ` ${ctx.action}` : '';
    return {
      kind: 'accessDenied',
      code,
      message: `Access denied${where}: profile "${profile}" is not allowed to call${action || ' this API'}. Ask for the IAM permission${action} or switch profile.`,
      remedy: { kind: 'selectProfile' },
    };
  }
  if (THROTTLING.has(name) || THROTTLING.has(code) || e.$retryable?.throttling || e.$metadata?.httpStatusCode === 429) {
    const attempts = e.$metadata?.attempts ? ` after ${e.$metadata.attempts} attempts` : '';
    // Throttling already gets 10 attempts with backoff (src/aws/retryPolicy.ts): more attempts rarely help; the
    // account's API rate limit is shared with every other tool and script using it.
    return {
      kind: 'throttled',
      code,
      message: `AWS is throttling requests${where}${attempts}: this account's API rate limit is in use (other tools or scripts share it). Wait a minute and retry.`,
      remedy: { kind: 'retry' },
    };
  }
  const netCode = networkCode(err);
  if (netCode) {
    const endpoint = ctx.endpointUrl ? ` ${ctx.endpointUrl}` : '';
    return {
      kind: 'endpointUnreachable',
      code: netCode,
      message: `Cannot reach the AWS endpoint${endpoint}${where} (${netCode}). Check your network, proxy or the opsdeck.endpointUrl setting.`,
      remedy: { kind: 'openSettings', setting: 'opsdeck.endpointUrl' },
    };
  }
  if (name === 'TimeoutError' || /timed? ?out/i.test(raw)) {
    return { kind: 'timeout', code: name || 'TimeoutError', message: `AWS did not answer in time${where}. Retry, or raise opsdeck.requestTimeoutSeconds.`, remedy: { kind: 'retry' } };
  }
  if (/NotFound|NoSuch|DoesNotExist/.test(code)) {
    return { kind: 'notFound', code, message: `${firstLine(raw)}${where ? ` (${ctx.region})` : ''}` };
  }
  if (/Validation|InvalidParameter|Malformed/.test(code)) {
    return { kind: 'invalidInput', code, message: `AWS rejected the request${where}: ${firstLine(raw)}` };
  }
  return { kind: 'unknown', code: code || undefined, message: `${firstLine(raw)}${where && !raw.includes(ctx.region ?? '') ? ` (${ctx.region})` : ''}` };
}

function networkCode(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 5; depth++) {
    const c = (cur as { code?: string }).code;
    if (c && NETWORK.has(c)) return c;
    const errors = (cur as { errors?: unknown[] }).errors;
    if (Array.isArray(errors) && errors.length) cur = errors[0];
    else cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0].trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
