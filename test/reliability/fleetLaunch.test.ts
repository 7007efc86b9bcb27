import * as assert from 'assert';
import { CreateLaunchTemplateCommand, CreateSubnetCommand, CreateVpcCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { LaunchLedger } from '../../src/fleets/core/clientToken';
import type { FleetRequest } from '../../src/fleets/core/types';
import { launchFleet } from '../../src/fleets/service';
import { motoFactory, resetMoto } from '../support/aws';
import { rejectionGuard, startFaulty, type FaultyAws } from './support/faulty';

/**
 * Fleet launch where the CreateFleet response is lost (moto creates the fleet, the answer never arrives), is
 * slow past the timeout, is reset, or is a 500: every attempt — the SDK's own retries, launchFleet's retries
 * and the user's "Launch" again after "outcome unknown", even after a restart (the ledger went through JSON) —
 * must carry the same ClientToken, read here from the request bodies the fault hook saw. EC2 returns the same
 * fleet for a repeated token; moto does not dedupe tokens, so the bodies are the evidence, not the fleet count.
 */
const REGION = 'us-east-1';

describe('reliability: fleet launch whose CreateFleet response is lost', function () {
  this.timeout(120_000);
  const guard = rejectionGuard();
  let request: FleetRequest;
  let aws: FaultyAws | undefined;

  before(async () => {
    await resetMoto();
    const { factory } = motoFactory([REGION]);
    const ec2 = factory.client(EC2Client, REGION);
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.70.0.0/16' }));
    const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: '10.70.1.0/24', AvailabilityZone: `${REGION}a` }))).Subnet!.SubnetId!;
    const ami = (await ec2.send(new DescribeImagesCommand({ MaxResults: 5 }))).Images![0].ImageId!;
    const lt = await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'rel-lt', LaunchTemplateData: { ImageId: ami } }));
    factory.dispose();
    request = {
      Type: 'instant',
      LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: lt.LaunchTemplate!.LaunchTemplateId!, Version: '1' }, Overrides: [{ InstanceType: 'm5.large', SubnetId: subnetId }] }],
      TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: 'on-demand' },
    } as unknown as FleetRequest;
  });
  afterEach(async () => {
    await aws?.stop();
    aws = undefined;
    guard.assertNone();
  });
  after(() => guard.dispose());

  const tokens = (a: FaultyAws): string[] => a.hook.requests.filter((r) => r.operation === 'CreateFleet').map((r) => new URLSearchParams(r.body!.toString()).get('ClientToken') ?? '(none)');

  for (const kind of ['lost', 'slow', 'reset', '500'] as const) {
    it(`${kind} on the first two attempts: the SDK and launchFleet retry with one ClientToken, and the launch succeeds`, async () => {
      aws = await startFaulty({ seed: 21, rules: [{ kind, rate: 1, limit: 2, service: 'ec2', operation: 'CreateFleet', delayMs: 2000 }] });
      const { factory } = aws.factory([REGION], { maxAttempts: 2, requestTimeoutMs: 1000 });
      const ledger = new LaunchLedger();
      const r = await launchFleet(factory, REGION, request, { ledger });
      const seen = tokens(aws);
      assert.strictEqual(seen.length, 3, `two failed attempts + one that worked: ${seen.join(', ')}`);
      assert.deepStrictEqual(new Set(seen), new Set([r.token]), 'one token for every attempt');
      assert.match(r.token, /^opsdeck-[0-9a-f]{48}$/);
      assert.ok(r.response.FleetId, 'the fleet id came back');
      assert.strictEqual(ledger.pending(Object.keys(ledger.toJSON())[0]), undefined, 'settled');
      factory.dispose();
    });
  }

  it('lost every time: "outcome unknown"; after a restart the user\'s retry reuses the token; a deliberate relaunch gets a new one', async () => {
    aws = await startFaulty({ seed: 22, rules: [{ kind: 'lost', rate: 1, service: 'ec2', operation: 'CreateFleet' }] });
    const { factory } = aws.factory([REGION], { maxAttempts: 2 });
    const ledger = new LaunchLedger();
    await assert.rejects(launchFleet(factory, REGION, request, { ledger, attempts: 2 }), (err: Error) => err.name === 'LaunchOutcomeUnknown' && /same ClientToken/.test(err.message));
    const first = tokens(aws);
    assert.strictEqual(first.length, 4, '2 launchFleet attempts × 2 SDK attempts');
    assert.strictEqual(new Set(first).size, 1);

    // The editor restarts: the ledger is read back from its JSON; the outage is over; the user presses Launch.
    const restored = new LaunchLedger(JSON.parse(JSON.stringify(ledger.toJSON())));
    aws.hook.enabled = false;
    const retry = await launchFleet(factory, REGION, request, { ledger: restored });
    assert.strictEqual(retry.retriedEarlierLaunch, true);
    assert.strictEqual(retry.token, first[0], 'the retry carries the token of the launch whose answer was lost');
    assert.strictEqual(tokens(aws).at(-1), first[0], 'and that is what went over the wire');

    // Settled now: launching the same file again is a deliberate new launch, with a new token.
    const again = await launchFleet(factory, REGION, request, { ledger: restored });
    assert.notStrictEqual(again.token, first[0]);
    assert.strictEqual(again.retriedEarlierLaunch, false);
    factory.dispose();
  });

  it('throttled (RequestLimitExceeded, HTTP 503) past the SDK\'s attempts: launchFleet retries with the same token', async () => {
    aws = await startFaulty({ seed: 23, rules: [{ kind: 'throttle', rate: 1, limit: 2, service: 'ec2', operation: 'CreateFleet' }] });
    // SDK retries off (throttles would otherwise get 10 SDK attempts, src/aws/retryPolicy.ts): every retry here is launchFleet's own.
    const { factory } = aws.factory([REGION], { maxAttempts: 1 });
    const r = await launchFleet(factory, REGION, request, { ledger: new LaunchLedger(), saveLedger: async () => undefined });
    const seen = tokens(aws);
    assert.strictEqual(seen.length, 3, '2 throttled + 1 accepted');
    assert.strictEqual(r.attempts, 3, 'launchFleet sent it three times');
    assert.deepStrictEqual(new Set(seen), new Set([r.token]));
    factory.dispose();
  });
});
