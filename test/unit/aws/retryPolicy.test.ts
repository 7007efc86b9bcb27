import * as assert from 'assert';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { RetryErrorInfo, StandardRetryToken } from '@smithy/types';
import { ClientFactory } from '../../../src/aws/clientFactory';
import { CappedBackoff, OpsDeckRetryStrategy, THROTTLING_MAX_ATTEMPTS, THROTTLING_MAX_DELAY_MS, throttlingAttempts } from '../../../src/aws/retryPolicy';

/** The retry policy's decisions; the timing and the fault proxy are in test/reliability/retryPolicy.test.ts. */
const token = (retries: number): StandardRetryToken => ({ getRetryCount: () => retries, getRetryDelay: () => 0, getRetryCost: () => undefined });
const info = (errorType: RetryErrorInfo['errorType']): RetryErrorInfo => ({ errorType, error: Object.assign(new Error(errorType), { $metadata: {} }) } as RetryErrorInfo);
const refused = (p: Promise<unknown>) => assert.rejects(p, /No retry token available/);

class PinnedOneAttempt extends LambdaClient {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(config: any) {
    super({ ...config, maxAttempts: 1 });
  }
}

describe('retry policy', () => {
  it('throttling gets at least 10 attempts; maxAttempts 1 turns every retry off; a higher setting wins', () => {
    assert.strictEqual(THROTTLING_MAX_ATTEMPTS, 10);
    assert.deepStrictEqual([1, 2, 3, 10, 15].map(throttlingAttempts), [1, 10, 10, 10, 15]);
  });

  it('the wait between throttled attempts grows and is capped at 5 s', () => {
    const b = new CappedBackoff(THROTTLING_MAX_DELAY_MS, () => 0.999);
    b.setDelayBase(1000);
    assert.deepStrictEqual([0, 1, 2, 3, 4, 8].map((i) => b.computeNextBackoffDelay(i)), [999, 1998, 3996, 4995, 4995, 4995]);
  });

  it('test-only retryDelays (reliability suite) scale the bases and lower the cap; the product uses the SDK bases', () => {
    const b = new CappedBackoff(500, () => 0.999, 0.1);
    b.setDelayBase(1000); // the SDK's throttling base
    assert.deepStrictEqual([0, 1, 2, 3, 4].map((i) => b.computeNextBackoffDelay(i)), [99, 199, 399, 499, 499]);
    assert.strictEqual(new CappedBackoff(THROTTLING_MAX_DELAY_MS, () => 0.999).computeNextBackoffDelay(20), 4995);
  });

  it('a transient error (5xx, reset, timeout, connection refused) stops at maxAttempts, a throttle does not', async () => {
    const s = new OpsDeckRetryStrategy(3, async () => 10);
    assert.deepStrictEqual(await s.attempts(), { total: 10, transient: 3 });
    await s.acquireInitialRetryToken('');
    const t1 = (await s.refreshRetryTokenForRetry(token(0), info('TRANSIENT'))) as StandardRetryToken;
    assert.strictEqual(t1.getRetryCount(), 1);
    await refused(s.refreshRetryTokenForRetry(token(2), info('TRANSIENT')));
    await refused(s.refreshRetryTokenForRetry(token(2), info('SERVER_ERROR')));
    await refused(s.refreshRetryTokenForRetry(token(0), info('CLIENT_ERROR')));
    await refused(s.refreshRetryTokenForRetry(token(9), info('THROTTLING')));
  });

  it('after a call used up its throttling attempts, later throttles get maxAttempts until a call succeeds', async () => {
    const s = new OpsDeckRetryStrategy(3, async () => 10);
    await s.acquireInitialRetryToken('');
    assert.strictEqual(s.throttlingStorm, false);
    await refused(s.refreshRetryTokenForRetry(token(9), info('THROTTLING')));
    assert.strictEqual(s.throttlingStorm, true);
    await refused(s.refreshRetryTokenForRetry(token(2), info('THROTTLING')));
    s.recordSuccess(token(0));
    assert.strictEqual(s.throttlingStorm, false);
  });

  it('the factory gives each client the policy; a client class that pins maxAttempts 1 is never retried', async () => {
    const make = (maxAttempts: number) => new ClientFactory({ settings: { regions: ['us-east-1'], maxAttempts, requestTimeoutMs: 1000 }, credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }), version: 'test' });
    const attemptsOf = async (client: unknown) => {
      const strategy = await (client as { config: { retryStrategy: () => Promise<unknown> } }).config.retryStrategy();
      assert.ok(strategy instanceof OpsDeckRetryStrategy);
      return strategy.attempts();
    };
    const f = make(3);
    assert.deepStrictEqual(await attemptsOf(f.client(LambdaClient, 'us-east-1')), { total: 10, transient: 3 });
    assert.deepStrictEqual(await attemptsOf(f.client(PinnedOneAttempt, 'us-east-1')), { total: 1, transient: 1 }, 'PublishLayerVersion-style clients stay at one attempt');
    assert.deepStrictEqual(await attemptsOf(make(1).client(LambdaClient, 'us-east-1')), { total: 1, transient: 1 });
    assert.deepStrictEqual(await attemptsOf(make(15).client(LambdaClient, 'us-east-1')), { total: 15, transient: 15 });
    f.dispose();
  });
});
