// `opsdeck layers …` end to end in-process (main() with captured stdout/stderr) against moto.
import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../support/cli';
import { motoEndpoint, resetMoto, TEST_CREDENTIALS } from '../../support/aws';
import { startLatencyProxy, type LatencyProxy } from '../../support/latencyProxy';


const cli = (args: string[]) => runCli(args);

describe('layers: CLI (opsdeck layers publish/status/build) against moto', function () {
  this.timeout(60_000);
  let proxy: LatencyProxy;
  let dir: string;
  const ENV_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE'] as const;
  const saved: Record<string, string | undefined> = {};

  before(async () => {
    await resetMoto();
    proxy = await startLatencyProxy({ upstream: motoEndpoint() });
    for (const k of ENV_KEYS) saved[k] = process.env[k];
    process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
    delete process.env.AWS_PROFILE;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-layer-cli-'));
    fs.mkdirSync(path.join(dir, 'layer/python'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'layer/python/helpers.py'), 'def hi():\n    return 1\n');
    fs.writeFileSync(path.join(dir, 'helpers.layer.json'), JSON.stringify({
      name: 'cli-helpers', source: './layer', build: 'none', compatibleRuntimes: ['python3.12'],
      regions: ['us-east-1', 'eu-west-1', 'ap-south-1'], permissions: [{ account: '111122223333' }],
    }, null, 2));
  });
  after(async () => {
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await proxy?.close();
  });

  it('publishes from a manifest (--json is pure JSON on stdout), then reports unchanged', async () => {
    const manifest = path.join(dir, 'helpers.layer.json');
    const first = await cli(['layers', 'publish', manifest, '--json', '--endpoint-url', proxy.endpoint]);
    assert.strictEqual(first.code, 0, first.stderr);
    const report = JSON.parse(first.stdout);
    assert.deepStrictEqual(report.results.map((r: { action: string }) => r.action), ['published', 'published', 'published']);
    assert.deepStrictEqual(report.failedRegions, []);
    assert.match(first.stderr, /us-east-1: published v1/);

    const second = await cli(['layers', 'publish', manifest, '--endpoint-url', proxy.endpoint]);
    assert.strictEqual(second.code, 0);
    assert.match(second.stdout, /eu-west-1\s+unchanged\s+v1/);
    assert.match(second.stdout, /0 published, 3 unchanged/);
  });

  it('exits 1 when a Region fails, and a plain re-run is the retry', async () => {
    fs.writeFileSync(path.join(dir, 'layer/python/helpers.py'), 'def hi():\n    return 2\n');
    proxy.inject = (req) => (req.region === 'ap-south-1' ? { kind: 'error', status: 500, code: 'ServiceException', message: 'injected outage' } : undefined);
    const failed = await cli(['layers', 'publish', path.join(dir, 'helpers.layer.json'), '--endpoint-url', proxy.endpoint]);
    proxy.inject = undefined;
    assert.strictEqual(failed.code, 1);
    assert.match(failed.stdout, /ap-south-1\s+failed/);
    const retry = await cli(['layers', 'publish', path.join(dir, 'helpers.layer.json'), '--regions', 'ap-south-1', '--json', '--endpoint-url', proxy.endpoint]);
    assert.strictEqual(retry.code, 0, retry.stderr);
    assert.deepStrictEqual(JSON.parse(retry.stdout).results.map((r: { region: string; action: string; version: number }) => [r.region, r.action, r.version]), [['ap-south-1', 'published', 2]]);
  });

  it('status: the drift table, exit 3 when a Region is missing', async () => {
    const status = await cli(['layers', 'status', 'cli-helpers', '--regions', 'us-east-1,eu-west-1,ap-south-1,sa-east-1', '--reference', 'us-east-1', '--endpoint-url', proxy.endpoint]);
    assert.strictEqual(status.code, 3, status.stderr);
    assert.match(status.stdout, /eu-west-1\s+v2\s+\S+\s+same as us-east-1 v2/);
    assert.match(status.stdout, /sa-east-1\s+—\s+—\s+missing/);
    const json = await cli(['layers', 'status', path.join(dir, 'helpers.layer.json'), '--json', '--endpoint-url', proxy.endpoint]);
    assert.strictEqual(json.code, 0, json.stderr);
    assert.deepStrictEqual(JSON.parse(json.stdout).regions.map((r: { state: string }) => r.state), ['in-sync', 'in-sync', 'in-sync']);
  });

  it('ad hoc publish from --dir, and usage errors', async () => {
    const adhoc = await cli(['layers', 'publish', '--name', 'cli-adhoc', '--dir', path.join(dir, 'layer'), '--regions', 'us-east-1', '--runtime', 'python3.12', '--json', '--endpoint-url', proxy.endpoint]);
    assert.strictEqual(adhoc.code, 0, adhoc.stderr);
    assert.strictEqual(JSON.parse(adhoc.stdout).results[0].action, 'published');
    assert.strictEqual((await cli(['layers', 'publish', '--name', 'x'])).code, 2);
    fs.writeFileSync(path.join(dir, 'bad.layer.json'), '{ "name": "bad name", "source": "x", "regions": [] }');
    const bad = await cli(['layers', 'publish', path.join(dir, 'bad.layer.json')]);
    assert.strictEqual(bad.code, 2);
    assert.match(bad.stderr, /bad\.layer\.json:1:\d+: error: "name" "bad name" is not valid/);
  });

  it('refuses a public grant without a double confirmation or --allow-public', async () => {
    fs.writeFileSync(path.join(dir, 'pub.layer.json'), JSON.stringify({ name: 'cli-pub', source: './layer', regions: ['us-east-1'], permissions: [{ public: true }] }));
    const r = await cli(['layers', 'publish', path.join(dir, 'pub.layer.json'), '--endpoint-url', proxy.endpoint]);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /grants public access/);
  });

  it('build prints the SHA-256, writes the zip, and asks GetAccountSettings once for the limits', async () => {
    const out = path.join(dir, 'out.zip');
    const before = proxy.requests.length;
    const r = await cli(['layers', 'build', path.join(dir, 'helpers.layer.json'), '--out', out, '--json', '--endpoint-url', proxy.endpoint]);
    assert.strictEqual(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    const hex = (await import('child_process')).execFileSync('sha256sum', [out]).toString().split(/\s+/)[0];
    assert.strictEqual(json.codeSha256, Buffer.from(hex, 'hex').toString('base64'));
    // One call, GetAccountSettings, signed for the manifest's first Region. moto does not implement it (404),
    // so the documented quotas apply, and the output says why.
    const calls = proxy.requests.slice(before);
    assert.deepStrictEqual(calls.map((c) => [c.method, c.path.split('?')[0], c.region]), [['GET', '/2016-08-19/account-settings', 'us-east-1']]);
    assert.strictEqual(json.limits.source, 'documented defaults');
    assert.match(json.limits.note, /GetAccountSettings failed/);
    assert.deepStrictEqual(json.overLimits, []);
  });

  it('build reports the sizes against the account\'s own limits when GetAccountSettings answers', async () => {
    // moto lacks GetAccountSettings: a stand-in endpoint answers it with this account's (small) limits.
    const server = http.createServer((req, res) => {
      if (req.url?.startsWith('/2016-08-19/account-settings')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ AccountLimit: { CodeSizeZipped: 100, CodeSizeUnzipped: 20, TotalCodeSize: 1000, ConcurrentExecutions: 10 }, AccountUsage: { TotalCodeSize: 0, FunctionCount: 0 } }));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const r = await cli(['layers', 'build', path.join(dir, 'helpers.layer.json'), '--endpoint-url', endpoint]);
      // Over the unzipped limit: Lambda would refuse it, so exit 1; over the zipped one needs S3 staging.
      assert.strictEqual(r.code, 1, r.stderr);
      assert.match(r.stdout, /zipped {3}\d+ B of 100 B \([\d.]+%, direct upload\) OVER: publish needs an S3 staging bucket/);
      assert.match(r.stdout, /unzipped \d+ B of 20 B \([\d.]+%, function and all its layers\) OVER: Lambda will refuse it/);
      assert.match(r.stdout, /limits: this account \(GetAccountSettings\)/);
      const json = JSON.parse((await cli(['layers', 'build', path.join(dir, 'helpers.layer.json'), '--json', '--endpoint-url', endpoint])).stdout);
      assert.deepStrictEqual([json.limits.source, json.limits.codeSizeZipped, json.limits.codeSizeUnzipped, json.overLimits], ['GetAccountSettings', 100, 20, ['zipped', 'unzipped']]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('build falls back to the documented quotas offline and says so (no AWS call)', async () => {
    const before = proxy.requests.length;
    const r = await cli(['layers', 'build', path.join(dir, 'helpers.layer.json'), '--offline', '--endpoint-url', proxy.endpoint]);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(proxy.requests.length, before);
    assert.match(r.stdout, /of 50\.0 MB .*direct upload/);
    assert.match(r.stdout, /of 250\.0 MB .*function and all its layers/);
    assert.match(r.stdout, /limits: Lambda's documented quotas/);
    assert.match(r.stderr, /--offline: using the documented quotas/);
    // Credentials present but GetAccountSettings failing: documented quotas, with the reason.
    proxy.inject = (req) => (req.path.startsWith('/2016-08-19/account-settings') ? { kind: 'error', status: 403, code: 'AccessDeniedException', message: 'not allowed' } : undefined);
    const denied = await cli(['layers', 'build', path.join(dir, 'helpers.layer.json'), '--json', '--endpoint-url', proxy.endpoint]);
    proxy.inject = undefined;
    assert.strictEqual(denied.code, 0, denied.stderr);
    const json = JSON.parse(denied.stdout);
    assert.strictEqual(json.limits.source, 'documented defaults');
    assert.strictEqual(json.limits.codeSizeZipped, 52_428_800);
    assert.match(json.limits.note, /GetAccountSettings failed/);
  });
});
