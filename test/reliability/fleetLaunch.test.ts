import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CreateLaunchTemplateCommand, CreateSubnetCommand, CreateVpcCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { LaunchLedger, parseLedger } from '../../src/fleets/core/clientToken';
import { loadLedgerFile } from '../../src/fleets/core/ledgerFile';
import type { FleetRequest } from '../../src/fleets/core/types';
import { launchFleet } from '../../src/fleets/service';
import { motoFactory, resetMoto, TEST_CREDENTIALS } from '../support/aws';
import { ensureCli, ROOT, runCli } from './support/cli';
import { rejectionGuard, startFaulty, type FaultyAws } from './support/faulty';

/**
 * Fleet launch where the CreateFleet response is lost (moto creates the fleet, the answer never arrives), is
 * slow past the timeout, is reset, or is a 500: every attempt — the SDK's own retries, launchFleet's retries
 * and the user's resume after "outcome unknown", even after a restart (the ledger reloaded from its file) or
 * after the CLI process was killed between sending and the answer — must carry the same ClientToken, read here
 * from the request bodies the fault hook saw; a deliberate new launch must carry a new one. EC2 returns the same
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
      const r = await launchFleet(factory, REGION, request, { ledger, saveLedger: () => {} });
      const seen = tokens(aws);
      assert.strictEqual(seen.length, 3, `two failed attempts + one that worked: ${seen.join(', ')}`);
      assert.deepStrictEqual(new Set(seen), new Set([r.token]), 'one token for every attempt');
      assert.match(r.token, /^opsdeck-[0-9a-f-]{36}$/);
      assert.ok(r.response.FleetId, 'the fleet id came back');
      assert.deepStrictEqual(ledger.toJSON().pending, {}, 'finished');
      factory.dispose();
    });
  }

  it('lost every time: "outcome unknown"; after a restart the user\'s resume reuses the token; the next deliberate launch gets a new one', async () => {
    aws = await startFaulty({ seed: 22, rules: [{ kind: 'lost', rate: 1, service: 'ec2', operation: 'CreateFleet' }] });
    const { factory } = aws.factory([REGION], { maxAttempts: 2 });
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-rel-ledger-'));
    const file = path.join(stateDir, 'fleet-launches.json');
    try {
      const one = await loadLedgerFile(file);
      await assert.rejects(launchFleet(factory, REGION, request, { ledger: one.ledger, saveLedger: one.save, attempts: 2 }), (err: Error) => err.name === 'LaunchOutcomeUnknown' && /same ClientToken/.test(err.message));
      const first = tokens(aws);
      assert.strictEqual(first.length, 4, '2 launchFleet attempts × 2 SDK attempts');
      assert.strictEqual(new Set(first).size, 1);

      // The editor restarts: the ledger is read back from its file; the outage is over. A plain launch refuses
      // to guess; the user chooses to resume.
      const two = await loadLedgerFile(file);
      aws.hook.enabled = false;
      await assert.rejects(launchFleet(factory, REGION, request, { ledger: two.ledger, saveLedger: two.save }), (err: Error) => err.name === 'LaunchPending');
      const retry = await launchFleet(factory, REGION, request, { ledger: two.ledger, saveLedger: two.save, intent: 'resume' });
      assert.strictEqual(retry.resumed, true);
      assert.strictEqual(retry.token, first[0], 'the resume carries the token of the launch whose answer was lost');
      assert.strictEqual(tokens(aws).at(-1), first[0], 'and that is what went over the wire');

      // Finished now: launching the same file again is a deliberate new launch, with a new token.
      const again = await launchFleet(factory, REGION, request, { ledger: two.ledger, saveLedger: two.save });
      assert.notStrictEqual(again.token, first[0]);
      assert.strictEqual(again.resumed, false);
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
      factory.dispose();
    }
  });

  it('the CLI killed (SIGKILL) between sending CreateFleet and the answer: the next run resumes with the pending token', async () => {
    aws = await startFaulty({ seed: 24, rules: [{ kind: 'slow', rate: 1, limit: 1, service: 'ec2', operation: 'CreateFleet', delayMs: 3000 }] });
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-rel-crash-'));
    const fleetFile = path.join(work, 'crash.fleet.json');
    fs.writeFileSync(fleetFile, JSON.stringify(request, null, 2));
    const env = { AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, OPSDECK_STATE_DIR: path.join(work, 'state'), HOME: work };
    const args = ['fleet', 'launch', fleetFile, '--yes', '--json', '--region', REGION, '--endpoint-url', aws.overlay.endpoint];
    try {
      const child = spawn(process.execPath, [ensureCli(), ...args], { cwd: ROOT, env: { PATH: process.env.PATH, AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env }, stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      for (let i = 0; i < 2400 && !tokens(aws).length; i++) await new Promise((r) => setTimeout(r, 25)); // up to 60 s on a loaded machine
      assert.strictEqual(tokens(aws).length, 1, 'CreateFleet was sent');
      child.kill('SIGKILL'); // moto has the request; the answer is held back: the process dies before it arrives
      assert.strictEqual(await exited, 'SIGKILL');
      const sent = tokens(aws)[0];
      const onDisk = parseLedger(JSON.parse(fs.readFileSync(path.join(work, 'state', 'fleet-launches.json'), 'utf8')));
      assert.deepStrictEqual(Object.values(onDisk.pending).map((p) => p.token), [sent], 'recorded as pending before it was sent');
      assert.deepStrictEqual(fs.readdirSync(path.join(work, 'state')), ['fleet-launches.json'], 'no half-written ledger left');

      const resumed = await runCli(args, env);
      assert.strictEqual(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stderr, /is pending .* Resuming it with its ClientToken/);
      assert.deepStrictEqual(tokens(aws), [sent, sent], 'the resume carried the same token');
      const out = JSON.parse(resumed.stdout) as { clientToken: string; resumed: boolean; report: { outcome: string } };
      assert.deepStrictEqual([out.clientToken, out.resumed, out.report.outcome], [sent, true, 'launched']);

      const next = await runCli(args, env);
      assert.strictEqual(next.code, 0, next.stderr);
      assert.notStrictEqual(tokens(aws).at(-1), sent, 'a later deliberate launch gets a new token');
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
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
