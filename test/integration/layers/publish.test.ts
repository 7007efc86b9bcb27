// Multi-Region layer publishing against moto (real SDK clients over HTTP), through the latency/fault proxy.
// moto gaps, filled honestly: GetAccountSettings is not implemented by moto, so these runs fall back to the
// documented quotas (asserted below, and the GetAccountSettings path is covered with aws-sdk-client-mock in
// test/unit/layers/service.test.ts); moto does not reject a duplicate StatementId, so "an existing identical
// grant is not an error" is proven here by not re-adding it (GetLayerVersionPolicy first) and the conflict
// path in the unit test.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GetLayerVersionCommand, GetLayerVersionPolicyCommand, LambdaClient, ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { buildLayer } from '../../../src/layers/build';
import { parseManifest } from '../../../src/layers/core/manifest';
import { failedRegions } from '../../../src/layers/core/results';
import { layerStatus, publishLayer, targetFromManifest, type LayerTarget } from '../../../src/layers/service';
import { motoEndpoint, motoFactory, resetMoto } from '../../support/aws';
import { startLatencyProxy, type LatencyProxy } from '../../support/latencyProxy';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1'];

function layerDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-layer-it-'));
  for (const [rel, data] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), data);
  }
  return dir;
}

const target = (name: string, extra: Partial<LayerTarget> = {}): LayerTarget => ({
  name, compatibleRuntimes: ['nodejs20.x'], compatibleArchitectures: ['x86_64', 'arm64'], permissions: [], s3Staging: {}, ...extra,
});

describe('layers: publish across Regions (moto, 4 Regions)', function () {
  this.timeout(120_000);
  let proxy: LatencyProxy;

  before(async () => {
    await resetMoto();
    proxy = await startLatencyProxy({ upstream: motoEndpoint() });
  });
  after(async () => proxy?.close());
  afterEach(() => {
    proxy.inject = undefined;
  });

  it('publishes to all, re-run publishes nothing, one changed file publishes everywhere', async () => {
    const dir = layerDir({ 'nodejs/node_modules/util/index.js': 'module.exports = 1;', 'nodejs/node_modules/util/package.json': '{"name":"util"}' });
    const { factory, counter } = motoFactory(REGIONS, proxy.endpoint);
    const zip = await buildLayer({ source: dir, kind: 'none' });

    const first = await publishLayer(factory, target('it-utils', { description: 'shared utils' }), zip, REGIONS);
    assert.deepStrictEqual(first.results.map((r) => [r.region, r.action, r.version]), REGIONS.map((r) => [r, 'published', 1]));
    assert.strictEqual(first.limits.source, 'documented defaults', 'moto has no GetAccountSettings: the documented quotas apply');
    assert.strictEqual(counter.count('GetAccountSettings'), 1, 'limits are read once per run, not per Region');
    // The local hash is exactly what Lambda (moto) reports as CodeSha256.
    for (const region of REGIONS) {
      const got = await factory.client(LambdaClient, region).send(new GetLayerVersionCommand({ LayerName: 'it-utils', VersionNumber: 1 }));
      assert.strictEqual(got.Content?.CodeSha256, zip.codeSha256, region);
      assert.strictEqual(got.Content?.CodeSize, zip.zippedSize);
      assert.match(got.LayerVersionArn ?? '', new RegExp(`^arn:aws:lambda:${region}:\\d{12}:layer:it-utils:1$`));
    }

    counter.reset();
    const again = await publishLayer(factory, target('it-utils'), await buildLayer({ source: dir, kind: 'none' }), REGIONS);
    assert.deepStrictEqual(again.results.map((r) => [r.action, r.detail]), REGIONS.map(() => ['skipped', 'unchanged, v1']));
    assert.deepStrictEqual(counter.byOperation(), { ListLayerVersions: 4, GetLayerVersion: 4 }, 'an unchanged re-run costs 2 reads per Region and nothing else');

    fs.writeFileSync(path.join(dir, 'nodejs/node_modules/util/index.js'), 'module.exports = 2;');
    counter.reset();
    const changed = await publishLayer(factory, target('it-utils'), await buildLayer({ source: dir, kind: 'none' }), REGIONS);
    assert.deepStrictEqual(changed.results.map((r) => [r.action, r.version]), REGIONS.map(() => ['published', 2]));
    assert.strictEqual(counter.count('PublishLayerVersion'), 4);
    assert.match(changed.results[0].detail, /v1 had other content/);
  });

  it('a failure in one Region leaves the others published; a retry publishes only that one', async () => {
    const dir = layerDir({ 'python/mod.py': 'X = 1\n' });
    const zip = await buildLayer({ source: dir, kind: 'none' });
    const { factory, counter } = motoFactory(REGIONS, proxy.endpoint);
    proxy.inject = (req) => (req.region === 'ap-southeast-2' ? { kind: 'error', status: 403, code: 'AccessDeniedException', message: 'injected: no access in this Region' } : undefined);

    const first = await publishLayer(factory, target('it-py'), zip, REGIONS);
    assert.deepStrictEqual(first.results.map((r) => r.action), ['published', 'published', 'failed', 'published']);
    assert.match(first.results[2].error ?? '', /Access denied in ap-southeast-2/);
    assert.deepStrictEqual(failedRegions(first), ['ap-southeast-2']);

    proxy.inject = undefined;
    counter.reset();
    const retry = await publishLayer(factory, target('it-py'), zip, failedRegions(first));
    assert.deepStrictEqual(retry.results.map((r) => [r.region, r.action, r.version]), [['ap-southeast-2', 'published', 1]]);
    assert.strictEqual(counter.count('PublishLayerVersion'), 1);
    assert.strictEqual(counter.count('ListLayerVersions'), 1, 'the retry re-checked the hash first');

    // And the whole set now re-runs as unchanged: nobody got a second version.
    const rerun = await publishLayer(factory, target('it-py'), zip, REGIONS);
    assert.deepStrictEqual(rerun.results.map((r) => r.detail), REGIONS.map(() => 'unchanged, v1'));
  });

  it('a publish whose answer was lost is found by the re-check, never published twice', async () => {
    const zip = await buildLayer({ source: layerDir({ 'bin/tool': '#!/bin/sh\necho hi\n' }), kind: 'none' });
    const { factory, counter } = motoFactory(REGIONS, proxy.endpoint);
    proxy.inject = (req) => (req.region === 'eu-west-1' && req.method === 'POST' && /\/layers\/it-lost\/versions$/.test(req.path) ? { kind: 'lose-response' } : undefined);
    const report = await publishLayer(factory, target('it-lost'), zip, REGIONS);
    assert.deepStrictEqual(report.results.map((r) => [r.action, r.version]), REGIONS.map(() => ['published', 1]));
    assert.strictEqual(counter.count('PublishLayerVersion', 'eu-west-1'), 1, 'no SDK retry of a non-idempotent publish');
    const list = await factory.client(LambdaClient, 'eu-west-1').send(new ListLayerVersionsCommand({ LayerName: 'it-lost' }));
    assert.strictEqual(list.LayerVersions?.length, 1);
  });

  it('grants permissions with deterministic statement ids and keeps them in step on re-runs', async () => {
    const zip = await buildLayer({ source: layerDir({ 'lib/libx.so': 'ELF' }), kind: 'none' });
    const { factory, counter } = motoFactory(REGIONS, proxy.endpoint);
    const grants = target('it-grants', { permissions: [{ kind: 'account', account: '210987654321' }, { kind: 'organization', organizationId: 'o-abcdefghij' }] });
    const first = await publishLayer(factory, grants, zip, REGIONS.slice(0, 2));
    assert.deepStrictEqual(first.results[0].grants.map((g) => [g.statementId, g.status]), [['opsdeck-account-210987654321', 'added'], ['opsdeck-org-o-abcdefghij', 'added']]);
    const policy = await factory.client(LambdaClient, 'us-east-1').send(new GetLayerVersionPolicyCommand({ LayerName: 'it-grants', VersionNumber: 1 }));
    assert.match(policy.Policy ?? '', /opsdeck-account-210987654321/);

    counter.reset();
    const again = await publishLayer(factory, grants, zip, REGIONS.slice(0, 2));
    assert.deepStrictEqual(again.results[0].grants.map((g) => g.status), ['already granted', 'already granted']);
    assert.deepStrictEqual(counter.byOperation(), { ListLayerVersions: 2, GetLayerVersion: 2, GetLayerVersionPolicy: 2 }, 'no AddLayerVersionPermission for grants that exist');
  });

  it('stages a zip over the direct-upload limit in that Region\'s S3 bucket, or stops clearly without one', async () => {
    const zip = await buildLayer({ source: layerDir({ 'nodejs/big.js': 'x'.repeat(5000) }), kind: 'none' });
    const { factory } = motoFactory(REGIONS, proxy.endpoint);
    await factory.client(S3Client, 'us-east-1').send(new CreateBucketCommand({ Bucket: 'opsdeck-stage-use1' }));
    const tiny = { codeSizeZipped: 100, codeSizeUnzipped: 262_144_000, source: 'GetAccountSettings' as const };
    const report = await publishLayer(factory, target('it-big', { s3Staging: { 'us-east-1': { bucket: 'opsdeck-stage-use1', prefix: 'layers/' } } }), zip, ['us-east-1', 'eu-west-1'], { limits: tiny });
    assert.deepStrictEqual(report.results.map((r) => [r.action, r.upload]), [['published', 's3'], ['failed', undefined]]);
    assert.match(report.results[1].error ?? '', /over the 100 B direct-upload limit, and no S3 staging bucket is configured for eu-west-1/);
    const got = await factory.client(LambdaClient, 'us-east-1').send(new GetLayerVersionCommand({ LayerName: 'it-big', VersionNumber: 1 }));
    assert.strictEqual(got.Content?.CodeSha256, zip.codeSha256, 'the S3-staged publish has the same CodeSha256');
  });

  it('status shows in sync, drifted and missing per Region', async () => {
    const { factory } = motoFactory(REGIONS, proxy.endpoint);
    const a = await buildLayer({ source: layerDir({ 'nodejs/a.js': 'a' }), kind: 'none' });
    const b = await buildLayer({ source: layerDir({ 'nodejs/a.js': 'b' }), kind: 'none' });
    await publishLayer(factory, target('it-drift'), a, REGIONS.slice(0, 3));
    await new Promise((r) => setTimeout(r, 1100)); // CreatedDate has millisecond precision; make "later" unambiguous
    await publishLayer(factory, target('it-drift'), b, ['ap-southeast-2']);
    const status = await layerStatus(factory, 'it-drift', REGIONS, { localSha: a.codeSha256 });
    assert.deepStrictEqual(status.drift.map((d) => [d.region, d.state]), [['us-east-1', 'in-sync'], ['eu-west-1', 'in-sync'], ['ap-southeast-2', 'drifted'], ['sa-east-1', 'missing']]);
    const byRegion = await layerStatus(factory, 'it-drift', REGIONS, { referenceRegion: 'us-east-1' });
    assert.strictEqual(byRegion.drift[1].badge, 'same as us-east-1 v1');
  });

  it('publishes from a parsed manifest with a Node.js production build (local file dependency, offline)', async function () {
    const root = layerDir({
      'dep/package.json': '{"name":"offline-dep","version":"1.0.0","main":"index.js"}',
      'dep/index.js': 'module.exports = 42;',
      'layer/package.json': '{"name":"my-layer","version":"1.0.0","dependencies":{"offline-dep":"file:../dep"},"devDependencies":{"not-installed":"9.9.9"}}',
    });
    const text = JSON.stringify({ name: 'it-node', source: './layer', build: 'nodejs', compatibleRuntimes: ['nodejs20.x'], regions: REGIONS.slice(0, 2) });
    const { manifest } = parseManifest(text);
    assert.ok(manifest);
    const one = await buildLayer({ source: path.join(root, 'layer'), kind: 'nodejs' });
    const two = await buildLayer({ source: path.join(root, 'layer'), kind: 'nodejs' });
    assert.strictEqual(one.codeSha256, two.codeSha256, 'two production installs give the same bytes');
    const { factory } = motoFactory(REGIONS, proxy.endpoint);
    const report = await publishLayer(factory, targetFromManifest(manifest), one, manifest.regions as string[]);
    assert.deepStrictEqual(report.results.map((r) => r.action), ['published', 'published']);
    assert.strictEqual(report.results[0].codeSha256, one.codeSha256);
  });
});
