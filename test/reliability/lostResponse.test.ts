import * as assert from 'assert';
import { createHash } from 'crypto';
import { LambdaClient, ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import { publishLayer, type LayerTarget } from '../../src/layers/service';
import { resetMoto } from '../support/aws';
import { rejectionGuard, startFaulty, type FaultyAws } from './support/faulty';

/**
 * "Request accepted, response lost": moto acts on the request, then the connection is dropped (or the answer
 * arrives after the client gave up). A non-idempotent call retried blindly would act twice. For each billable
 * or versioned action the retry must either carry an idempotency token or look before it acts again.
 */
const REGIONS = ['us-east-1', 'eu-west-1'];
const PUBLISH = /^\/2018-10-31\/layers\/[^/]+\/versions$/;
const target = (name: string): LayerTarget => ({ name, compatibleRuntimes: ['python3.12'], compatibleArchitectures: ['arm64'], permissions: [], s3Staging: {} });
const zipOf = (text: string) => {
  const bytes = Buffer.from(`zip:${text}`);
  return { bytes, codeSha256: createHash('sha256').update(bytes).digest('base64') };
};

describe('reliability: layer publish whose PublishLayerVersion response is lost', function () {
  this.timeout(120_000);
  const guard = rejectionGuard();
  let aws: FaultyAws | undefined;
  before(() => resetMoto());
  afterEach(async () => {
    await aws?.stop();
    aws = undefined;
    guard.assertNone();
  });
  after(() => guard.dispose());

  async function versions(a: FaultyAws, name: string, region: string): Promise<number[]> {
    const enabled = a.hook.enabled;
    a.hook.enabled = false;
    const { factory } = a.factory([region]);
    const out = await factory.client(LambdaClient, region).send(new ListLayerVersionsCommand({ LayerName: name }));
    factory.dispose();
    a.hook.enabled = enabled;
    return (out.LayerVersions ?? []).map((v) => v.Version!);
  }
  const publishCalls = (a: FaultyAws, region: string) => a.hook.requests.filter((r) => r.service === 'lambda' && r.region === region && r.method === 'POST' && PUBLISH.test(r.path));

  for (const kind of ['lost', 'slow', 'reset'] as const) {
    it(`${kind}: the run re-checks the hash, reports the version that exists, and a re-run publishes nothing`, async () => {
      const name = `lost-${kind}`;
      aws = await startFaulty({ seed: 11, rules: [{ kind, rate: 1, limit: 1, service: 'lambda', region: 'eu-west-1', method: 'POST', path: PUBLISH, delayMs: 2500 }] });
      const { factory } = aws.factory(REGIONS, { requestTimeoutMs: 1000 });
      const zip = zipOf(name);
      const first = await publishLayer(factory, target(name), zip, REGIONS);
      const eu = first.results.find((r) => r.region === 'eu-west-1')!;
      assert.strictEqual(aws.hook.stats.byKind[kind], 1, 'the fault was injected');
      assert.strictEqual(publishCalls(aws, 'eu-west-1').length, 1, 'PublishLayerVersion was sent once: no blind retry');
      if (kind === 'reset') {
        // Dropped before moto saw it: nothing exists, the run says it failed, and the re-run publishes v1 once.
        assert.strictEqual(eu.action, 'failed');
        assert.deepStrictEqual(await versions(aws, name, 'eu-west-1'), []);
      } else {
        assert.deepStrictEqual([eu.action, eu.version, eu.codeSha256], ['published', 1, zip.codeSha256], eu.error);
      }
      const again = await publishLayer(factory, target(name), zip, REGIONS);
      assert.deepStrictEqual(again.results.map((r) => r.action), kind === 'reset' ? ['skipped', 'published'] : ['skipped', 'skipped']);
      for (const region of REGIONS) assert.deepStrictEqual(await versions(aws, name, region), [1], `${region}: exactly one version`);
      factory.dispose();
    });
  }

  it('lost, and the re-check fails too: the run reports a failure; the user\'s retry re-checks the hash and publishes no duplicate', async () => {
    const name = 'lost-twice';
    let lost = false;
    aws = await startFaulty({
      seed: 12,
      rules: [
        { kind: 'lost', rate: 1, limit: 1, service: 'lambda', region: 'eu-west-1', method: 'POST', path: PUBLISH, match: () => (lost = true) },
        // After the lost publish, every read in eu-west-1 fails for this run (503s beyond the SDK's retries).
        { kind: '503', rate: 1, service: 'lambda', region: 'eu-west-1', method: 'GET', match: () => lost },
      ],
    });
    const { factory } = aws.factory(REGIONS, { maxAttempts: 2 });
    const zip = zipOf(name);
    const first = await publishLayer(factory, target(name), zip, REGIONS);
    const eu = first.results.find((r) => r.region === 'eu-west-1')!;
    assert.strictEqual(eu.action, 'failed', 'it cannot know, so it must not claim success');
    assert.ok(eu.error && eu.error.length < 400, eu.error);
    aws.hook.enabled = false; // the outage is over; the user presses Retry
    const retry = await publishLayer(factory, target(name), zip, REGIONS);
    assert.deepStrictEqual(retry.results.map((r) => [r.region, r.action, r.version]), [['us-east-1', 'skipped', 1], ['eu-west-1', 'skipped', 1]]);
    assert.strictEqual(publishCalls(aws, 'eu-west-1').length, 1, 'the retry found v1 by its hash and did not publish again');
    assert.deepStrictEqual(await versions(aws, name, 'eu-west-1'), [1]);
    factory.dispose();
  });
});
