import type { AwsCredentialIdentityProvider, HandlerExecutionContext, MiddlewareStack } from '@smithy/types';
import { CallCounter } from './callCounter';
import { assertPageTokenAdvanced } from './paginationGuard';
import { attemptNumber, classifyAttemptError, type AttemptOutcome } from './retryObserver';
import { OpsDeckRetryStrategy, throttlingAttempts, type RetryDelays } from './retryPolicy';
import type { AwsConnectionSettings } from './target';

/** The shape every modular SDK v3 client shares, enough to build, instrument and cache it. */
export interface SdkClient {
  destroy(): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  middlewareStack: MiddlewareStack<any, any>;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SdkClientConstructor<C extends SdkClient> = new (config: any) => C;

export interface ClientFactoryOptions {
  readonly settings: AwsConnectionSettings;
  readonly credentials: AwsCredentialIdentityProvider;
  /** Appended to the user agent as `opsdeck/<version>` so account owners can see who calls. */
  readonly version: string;
  readonly counter?: CallCounter;
  /** Called with every failed attempt (already redacted by the logger); used for the log channel. */
  readonly onCall?: (call: { service: string; operation: string; region: string; ms: number; error?: unknown }) => void;
  /**
   * Called with the outcome of every attempt, retries included (src/aws/retryObserver.ts): the SDK retries
   * throttles and 5xx silently, this is how the status bar learns that calls are being retried.
   */
  readonly onAttempt?: (outcome: AttemptOutcome) => void;
  /**
   * Scales the waits between retries (tests only, never a user setting: the reliability suite proves the policy's
   * attempts and outcomes with shorter waits). Default: the SDK's bases, capped at THROTTLING_MAX_DELAY_MS.
   */
  readonly retryDelays?: RetryDelays;
}

/**
 * One place that builds AWS clients. Clients are cached per service + Region (the factory itself is per profile
 * and endpoint: a profile switch makes a new factory), use OpsDeck's retry policy (src/aws/retryPolicy.ts:
 * adaptive, more attempts for throttling only), time out, count calls, refuse a page token that does not
 * advance, and carry the OpsDeck user agent.
 */
export class ClientFactory {
  private readonly cache = new Map<string, SdkClient>();

  constructor(private readonly options: ClientFactoryOptions) {}

  get settings(): AwsConnectionSettings {
    return this.options.settings;
  }

  get counter(): CallCounter | undefined {
    return this.options.counter;
  }

  client<C extends SdkClient>(ctor: SdkClientConstructor<C>, region: string): C {
    const key = `${ctor.name}|${region}`;
    const cached = this.cache.get(key);
    if (cached) return cached as C;
    const { settings, credentials, version } = this.options;
    const client: C = new ctor({
      region,
      credentials,
      ...(settings.profile ? { profile: settings.profile } : {}),
      ...(settings.endpointUrl ? { endpoint: settings.endpointUrl } : {}),
      // Path-style keeps S3 working against emulators that do not serve virtual-hosted buckets.
      ...(settings.endpointUrl ? { forcePathStyle: true } : {}),
      // The client's cap is the throttling budget; the strategy stops other errors at settings.maxAttempts. A
      // client class that pins maxAttempts (LambdaPublishClient: 1) overrides this, and the strategy reads it back.
      maxAttempts: throttlingAttempts(settings.maxAttempts),
      retryStrategy: new OpsDeckRetryStrategy(settings.maxAttempts, (): Promise<number> => resolvedMaxAttempts(client, settings.maxAttempts), this.options.retryDelays),
      // throwOnRequestTimeout: without it @smithy/node-http-handler ≥4.1 only logs a warning at requestTimeout and
      // keeps waiting, so a stalled endpoint would hang a view (found by test/reliability/faultShapes.test.ts).
      requestHandler: { requestTimeout: settings.requestTimeoutMs, connectionTimeout: Math.min(settings.requestTimeoutMs, 10_000), throwOnRequestTimeout: true },
      customUserAgent: `opsdeck/${version}`,
    });
    this.instrument(client, region);
    this.cache.set(key, client);
    return client;
  }

  dispose(): void {
    for (const c of this.cache.values()) c.destroy();
    this.cache.clear();
  }

  private instrument(client: SdkClient, region: string): void {
    const { counter, onCall, onAttempt } = this.options;
    client.middlewareStack.add(
      (next, context: HandlerExecutionContext) => async (args) => {
        const service = (context.clientName ?? 'Client').replace(/Client$/, '');
        const operation = (context.commandName ?? 'Command').replace(/Command$/, '');
        counter?.record({ service, operation, region });
        const started = Date.now();
        try {
          const out = await next(args);
          assertPageTokenAdvanced(operation, (args as { input?: unknown }).input, (out as { output?: unknown }).output);
          onCall?.({ service, operation, region, ms: Date.now() - started });
          return out;
        } catch (error) {
          onCall?.({ service, operation, region, ms: Date.now() - started, error });
          throw error;
        }
      },
      { step: 'initialize', name: 'opsdeckCallCounter' },
    );
    if (!onAttempt) return;
    // finalizeRequest at low priority sits inside the retry middleware (high priority, same step): it runs once
    // per attempt and sees each attempt's parsed error (deserialize is a later step) before the SDK decides to retry.
    client.middlewareStack.add(
      (next, context: HandlerExecutionContext) => async (args) => {
        const service = (context.clientName ?? 'Client').replace(/Client$/, '');
        const operation = (context.commandName ?? 'Command').replace(/Command$/, '');
        const attempt = attemptNumber((args as { request?: unknown }).request);
        const emit = (o: Omit<AttemptOutcome, 'service' | 'operation' | 'region' | 'attempt' | 'at'>): void => {
          try {
            onAttempt({ service, operation, region, attempt, at: Date.now(), ...o });
          } catch {
            // an observer must never change the call's outcome
          }
        };
        try {
          const out = await next(args);
          emit({ kind: 'ok', status: ((out as { response?: { statusCode?: number } }).response)?.statusCode });
          return out;
        } catch (error) {
          emit(classifyAttemptError(error));
          throw error;
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: 'opsdeckAttemptObserver' },
    );
  }
}

/** The client's resolved maxAttempts (a provider after construction): a client class may pin its own. */
async function resolvedMaxAttempts(client: SdkClient | undefined, configured: number): Promise<number> {
  const provider = (client as { config?: { maxAttempts?: unknown } } | undefined)?.config?.maxAttempts;
  if (typeof provider === 'function') {
    const value = Number(await (provider as () => unknown)());
    if (Number.isFinite(value) && value >= 1) return value;
  }
  if (typeof provider === 'number' && provider >= 1) return provider;
  return throttlingAttempts(configured);
}
