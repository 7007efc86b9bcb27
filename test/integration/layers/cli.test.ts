// `opsdeck layers …` end to end in-process (main() with captured stdout/stderr) against moto.
import * as assert from 'assert';
import * as fs from 'fs';
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

  it('build prints the SHA-256 and writes the zip', async () => {
    const out = path.join(dir, 'out.zip');
    const r = await cli(['layers', 'build', path.join(dir, 'helpers.layer.json'), '--out', out, '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    const { createHash } = await import('crypto');
    assert.strictEqual(json.codeSha256, createHash('sha256').update(fs.readFileSync(out)).digest('base64'));
  });
});
