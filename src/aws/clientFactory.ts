import type { AwsCredentialIdentityProvider, HandlerExecutionContext, MiddlewareStack } from '@smithy/types';
import { CallCounter } from './callCounter';
import { assertPageTokenAdvanced } from './paginationGuard';
import { OpsDeckRetryStrategy, throttlingAttempts } from './retryPolicy';
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
      retryStrategy: new OpsDeckRetryStrategy(settings.maxAttempts, (): Promise<number> => resolvedMaxAttempts(client, settings.maxAttempts)),
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
    const { counter, onCall } = this.options;
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
