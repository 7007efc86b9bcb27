import * as assert from 'assert';
import * as net from 'net';
import { discoverDevHosts } from '../../src/devhosts/service';
import { batchHealth } from '../../src/batch/service';
import { layerStatus } from '../../src/layers/service';
import { motoFactory } from '../support/aws';
import { rejectionGuard } from './support/faulty';
import { runCli } from './support/cli';

/**
 * An endpoint that is down (connection refused) or a black hole (accepts, never answers): every feature must
 * come back quickly with a sentence that says what is wrong and what to do — no hang, no stack trace.
 */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('reliability: an AWS endpoint that is down', function () {
  this.timeout(60_000);
  const guard = rejectionGuard();
  let refused: string;
  let blackHole: net.Server;
  let blackHoleUrl: string;
  const held: net.Socket[] = [];

  before(async () => {
    refused = `http://127.0.0.1:${await closedPort()}`;
    blackHole = net.createServer((s) => held.push(s)); // reads nothing, answers nothing
    await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', () => r()));
    blackHoleUrl = `http://127.0.0.1:${(blackHole.address() as net.AddressInfo).port}`;
  });
  after(async () => {
    for (const s of held) s.destroy();
    await new Promise((r) => blackHole.close(r));
    guard.dispose();
  });
  afterEach(() => guard.assertNone());

  const REGIONS = ['us-east-1', 'eu-west-1'];
  const features: Array<[string, (f: ReturnType<typeof motoFactory>['factory']) => Promise<string[]>]> = [
    ['devhosts discovery', async (f) => (await discoverDevHosts(f, { regions: REGIONS })).regions.map((r) => r.error ?? 'no error')],
    ['batch health', async (f) => (await batchHealth(f, { regions: REGIONS, thresholds: { defaultMinutes: 15 } })).regions.map((r) => r.error ?? 'no error')],
    ['layers status', async (f) => (await layerStatus(f, 'x', REGIONS)).observations.map((o) => o.error ?? 'no error')],
  ];

  for (const [name, run] of features) {
    it(`${name}: connection refused → "Cannot reach the AWS endpoint" per Region in < 5 s`, async () => {
      const { factory } = motoFactory(REGIONS, refused, { maxAttempts: 3, requestTimeoutMs: 2000 });
      const t0 = Date.now();
      const errors = await run(factory);
      const ms = Date.now() - t0;
      factory.dispose();
      assert.strictEqual(errors.length, REGIONS.length);
      for (const e of errors) assert.match(e, /Cannot reach the AWS endpoint .*ECONNREFUSED/, e);
      assert.ok(ms < 5000, `took ${ms} ms`);
    });

    it(`${name}: black hole → "did not answer in time" after the request timeout, not a hang`, async () => {
      const { factory } = motoFactory(REGIONS, blackHoleUrl, { maxAttempts: 2, requestTimeoutMs: 800 });
      const t0 = Date.now();
      const errors = await run(factory);
      const ms = Date.now() - t0;
      factory.dispose();
      for (const e of errors) assert.match(e, /did not answer in time|timed? ?out/i, e);
      assert.ok(ms < 15_000, `took ${ms} ms`);
    });
  }

  for (const args of [['hosts'], ['batch', 'health'], ['layers', 'status', 'x'], ['whoami']]) {
    it(`CLI opsdeck ${args.join(' ')} against a refused endpoint: exit 1, one clear line, no stack, < 10 s`, async () => {
      const r = await runCli([...args, '--endpoint-url', refused, '--region', 'us-east-1'], { AWS_ACCESS_KEY_ID: 'AKIAOPSDECKTEST00001', AWS_SECRET_ACCESS_KEY: 'testing-secret-not-real' }, 30_000);
      assert.notStrictEqual(r.signal, 'SIGKILL', 'the CLI hung');
      assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
      const out = r.stdout + r.stderr;
      assert.match(out, /Cannot reach the AWS endpoint|ECONNREFUSED/, out);
      assert.doesNotMatch(out, /^\s+at .+\(.+:\d+:\d+\)$/m, 'no stack trace');
      assert.notStrictEqual(r.code, 0, out);
    });
  }
});
