// The "Done when" measurement: 16 Regions, 300 ms injected per call (test/support/latencyProxy.ts in
// front of moto), a parallel publish (concurrency 8, the default) against a sequential one (concurrency 1),
// measured in the same run, plus the calls an unchanged re-run makes. Prints the numbers, but asserts no time
// (tests never assert wall-clock time; the speed is measured and budgeted by `npm run bench -- --only parallel`):
// it asserts what must hold whatever the machine: the calls in flight at the proxy at once equal the configured
// bound (8 for the parallel run, 1 for the sequential one), and an unchanged re-run reads 2 calls per Region and
// publishes nothing.
import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { buildLayer } from '../../../src/layers/build';
import { publishLayer, type LayerTarget } from '../../../src/layers/service';
import { motoEndpoint, motoFactory, resetMoto } from '../../support/aws';
import { startLatencyProxy, type LatencyProxy } from '../../support/latencyProxy';

const REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1', 'eu-west-1', 'eu-west-2',
  'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-southeast-1',
];
const LATENCY_MS = 300;

/**
 * A pass-through in front of the latency proxy that counts the Region calls in flight at once. GetAccountSettings
 * is left out: the publish starts it beside the Region work (one call per run, not a Region's), see service.ts.
 */
async function inFlightCounter(upstream: string): Promise<{ endpoint: string; max: number; reset(): void; close(): Promise<void> }> {
  const up = new URL(upstream);
  let now = 0;
  const state = { max: 0 };
  const server = http.createServer((req, res) => {
    const counted = !req.url?.startsWith('/2016-08-19/account-settings');
    if (counted) state.max = Math.max(state.max, ++now);
    let released = false;
    const release = () => {
      if (counted && !released) now--;
      released = true;
    };
    const fwd = http.request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: { ...req.headers, host: up.host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
      r.on('end', release);
    });
    fwd.on('error', (e) => {
      release();
      res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(fwd);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get max() { return state.max; },
    reset: () => { state.max = 0; },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe('layers: 16 Regions with 300 ms per call (parallel vs sequential)', function () {
  this.timeout(180_000);
  let proxy: LatencyProxy;
  let counter: Awaited<ReturnType<typeof inFlightCounter>>;
  before(async () => {
    await resetMoto();
    proxy = await startLatencyProxy({ upstream: motoEndpoint(), latencyMs: LATENCY_MS });
    counter = await inFlightCounter(proxy.endpoint);
  });
  after(async () => {
    await counter?.close();
    await proxy?.close();
  });

  it('keeps exactly the configured number of Regions in flight (8, or 1 sequentially); an unchanged re-run only reads', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-bench-'));
    fs.mkdirSync(path.join(dir, 'nodejs'));
    fs.writeFileSync(path.join(dir, 'nodejs/index.js'), 'module.exports = "bench";');
    const zip = await buildLayer({ source: dir, kind: 'none' });
    const target = (name: string): LayerTarget => ({ name, compatibleRuntimes: [], compatibleArchitectures: [], permissions: [], s3Staging: {} });

    // Warm moto's per-Region backends (created on first use) and the SDK clients' code paths without latency,
    // so neither measured run pays for them.
    proxy.latencyMs = 0;
    await publishLayer(motoFactory(REGIONS, proxy.endpoint).factory, target('bench-warmup'), zip, REGIONS);
    proxy.latencyMs = LATENCY_MS;
    const seq = motoFactory(REGIONS, counter.endpoint);
    counter.reset();
    const sequential = await publishLayer(seq.factory, target('bench-seq'), zip, REGIONS, { concurrency: 1 });
    const sequentialInFlight = counter.max;
    const par = motoFactory(REGIONS, counter.endpoint);
    counter.reset();
    const parallel = await publishLayer(par.factory, target('bench-par'), zip, REGIONS, { concurrency: 8 });
    const parallelInFlight = counter.max;
    assert.ok(sequential.results.every((r) => r.action === 'published'));
    assert.ok(parallel.results.every((r) => r.action === 'published'));

    par.counter.reset();
    const rerun = await publishLayer(par.factory, target('bench-par'), zip, REGIONS, { concurrency: 8 });
    assert.ok(rerun.results.every((r) => r.action === 'skipped'));
    const rerunCalls = par.counter.byOperation();
    assert.deepStrictEqual(rerunCalls, { ListLayerVersions: 16, GetLayerVersion: 16 });

    const numbers = {
      regions: REGIONS.length,
      latencyMsPerCall: LATENCY_MS,
      sequentialMs: sequential.wallMs,
      parallelMs: parallel.wallMs,
      speedup: Number((sequential.wallMs / parallel.wallMs).toFixed(1)),
      maxInFlight: { sequential: sequentialInFlight, parallel: parallelInFlight },
      callsPerPublishRun: seq.counter.byOperation(),
      unchangedRerunMs: rerun.wallMs,
      unchangedRerunCalls: rerunCalls,
    };
    console.log(`      LAYERS-BENCH ${JSON.stringify(numbers)}`);
    // The bound, reached and never exceeded: with 300 ms per call every one of the 8 slots fills.
    assert.strictEqual(parallelInFlight, 8);
    assert.strictEqual(sequentialInFlight, 1);
  });
});
