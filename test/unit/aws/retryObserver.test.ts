import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { LambdaClient, ListLayersCommand } from '@aws-sdk/client-lambda';
import { ClientFactory } from '../../../src/aws/clientFactory';
import { attemptNumber, classifyAttemptError, isRetryingKind, type AttemptOutcome } from '../../../src/aws/retryObserver';

/**
 * The attempt observer inside the SDK's retry loop: a local HTTP server answers Lambda's REST-JSON throttling
 * shape (429 TooManyRequestsException) or a 503 for the first attempts, then a real ListLayers answer. The real
 * SDK client, built by the ClientFactory, must report every attempt, in order, with service, Region and kind.
 */
/**
 * LambdaClient with the SDK's own send: other unit files mock LambdaClient.prototype.send (aws-sdk-client-mock) for
 * the whole run, and this test needs the real middleware stack and HTTP.
 */
const realSend = (Object.getPrototypeOf(LambdaClient.prototype) as { send: LambdaClient['send'] }).send;
class RealLambdaClient extends LambdaClient {
  override send: LambdaClient['send'] = ((...args: Parameters<LambdaClient['send']>) => (realSend as (...a: unknown[]) => unknown).apply(this, args)) as LambdaClient['send'];
}

async function server(faults: Array<'throttle' | '503'>): Promise<{ url: string; seen: () => number; close: () => Promise<void> }> {
  let n = 0;
  const s = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const fault = faults[n++];
      if (fault === 'throttle') {
        res.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' });
        res.end(JSON.stringify({ message: 'Rate exceeded', Type: 'User', Reason: 'CallerRateLimitExceeded' }));
      } else if (fault === '503') {
        res.writeHead(503, { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceException' });
        res.end(JSON.stringify({ message: 'Service unavailable' }));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ Layers: [] }));
      }
    });
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen: () => n, close: () => new Promise((r) => s.close(() => r())) };
}

function factory(endpointUrl: string, onAttempt?: (o: AttemptOutcome) => void, maxAttempts = 3): ClientFactory {
  return new ClientFactory({
    settings: { regions: ['eu-west-1'], endpointUrl, maxAttempts, requestTimeoutMs: 5000 },
    credentials: async () => ({ accessKeyId: 'AKIATEST', secretAccessKey: 's' }),
    version: 'test',
    onAttempt,
    retryDelays: { scale: 0.01, capMs: 10 },
  });
}

describe('retry observer', function () {
  // retryDelays shortens the waits and raises adaptive mode's slowest rate; without it a retry here takes ≈ 1 s.
  this.timeout(20_000);
  it('classifies failed attempts: throttling in every protocol shape, 5xx, dropped connections, the rest', () => {
    const err = (name: string, status?: number, extra: object = {}) => Object.assign(new Error('x'), { name, $metadata: { httpStatusCode: status }, ...extra });
    assert.strictEqual(classifyAttemptError(err('ThrottlingException', 400)).kind, 'throttled');
    assert.strictEqual(classifyAttemptError(err('RequestLimitExceeded', 503)).kind, 'throttled', 'EC2 query XML throttles with 503');
    assert.strictEqual(classifyAttemptError(err('Throttling', 400)).kind, 'throttled', 'awsQuery (STS)');
    assert.strictEqual(classifyAttemptError(err('TooManyRequestsException', 429)).kind, 'throttled');
    assert.strictEqual(classifyAttemptError(err('SomethingElse', 429)).kind, 'throttled', '429 is throttling whatever the name');
    assert.deepStrictEqual(classifyAttemptError(err('ServiceUnavailable', 503)), { kind: 'server', status: 503, errorName: 'ServiceUnavailable' });
    assert.strictEqual(classifyAttemptError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).kind, 'network');
    assert.strictEqual(classifyAttemptError(Object.assign(new Error('t'), { name: 'TimeoutError' })).kind, 'network');
    assert.strictEqual(classifyAttemptError(err('AccessDeniedException', 403)).kind, 'client');
    assert.strictEqual(classifyAttemptError(undefined).kind, 'client');
    assert.deepStrictEqual(['ok', 'throttled', 'server', 'network', 'client'].map((k) => isRetryingKind(k as never)), [false, true, true, true, false]);
  });

  it('reads the attempt number the retry middleware writes', () => {
    assert.strictEqual(attemptNumber({ headers: { 'amz-sdk-request': 'attempt=4; max=10' } }), 4);
    assert.strictEqual(attemptNumber({ headers: {} }), 1);
    assert.strictEqual(attemptNumber(undefined), 1);
  });

  it('sees every attempt of a throttled call that recovers: service, Region, attempt number, kind', async () => {
    const srv = await server(['throttle', 'throttle']);
    const seen: AttemptOutcome[] = [];
    const f = factory(srv.url, (o) => seen.push(o));
    try {
      await f.client(RealLambdaClient, 'eu-west-1').send(new ListLayersCommand({}));
      assert.strictEqual(srv.seen(), 3);
      assert.deepStrictEqual(
        seen.map((o) => [o.service, o.operation, o.region, o.attempt, o.kind, o.status]),
        [
          ['Lambda', 'ListLayers', 'eu-west-1', 1, 'throttled', 429],
          ['Lambda', 'ListLayers', 'eu-west-1', 2, 'throttled', 429],
          ['Lambda', 'ListLayers', 'eu-west-1', 3, 'ok', 200],
        ],
      );
      assert.strictEqual(seen[0].errorName, 'TooManyRequestsException');
    } finally {
      f.dispose();
      await srv.close();
    }
  });

  it('reports 5xx attempts as server errors, and the failed call\'s last attempt too', async () => {
    const srv = await server(['503', '503', '503', '503']);
    const seen: AttemptOutcome[] = [];
    const f = factory(srv.url, (o) => seen.push(o));
    try {
      await assert.rejects(f.client(RealLambdaClient, 'eu-west-1').send(new ListLayersCommand({})));
      assert.deepStrictEqual(seen.map((o) => `${o.attempt}:${o.kind}`), ['1:server', '2:server', '3:server'], 'maxAttempts 3 for 5xx');
    } finally {
      f.dispose();
      await srv.close();
    }
  });

  it('an observer that throws does not change the call', async () => {
    const srv = await server(['throttle']);
    const f = factory(srv.url, () => {
      throw new Error('observer bug');
    });
    try {
      const out = await f.client(RealLambdaClient, 'eu-west-1').send(new ListLayersCommand({}));
      assert.deepStrictEqual(out.Layers, []);
      assert.strictEqual(out.$metadata.attempts, 2);
    } finally {
      f.dispose();
      await srv.close();
    }
  });
});
