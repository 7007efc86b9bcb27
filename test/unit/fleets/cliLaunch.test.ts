// `opsdeck fleet launch` in-process against aws-sdk-client-mock: exit codes per fleet Type, and what happens to a
// pending launch (resume with the same ClientToken, or a deliberate new one), read from the CreateFleet calls.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CreateFleetCommand, EC2Client, type CreateFleetInstance } from '@aws-sdk/client-ec2';
import { OutpostsClient } from '@aws-sdk/client-outposts';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { runCli } from '../../support/cli';
import { articleObject } from './fixtures';

const awsError = (name: string, status?: number) => Object.assign(new Error(name), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });
const M5 = { LaunchTemplateAndOverrides: { Overrides: { InstanceType: 'm5.large', WeightedCapacity: 0.25, Priority: 3 } }, InstanceIds: ['i-1', 'i-2', 'i-3', 'i-4'], InstanceType: 'm5.large' } as CreateFleetInstance;
const ERR = { LaunchTemplateAndOverrides: { Overrides: { InstanceType: 'c5.2xlarge', WeightedCapacity: 1, Priority: 2 } }, ErrorCode: 'InsufficientCapacityOnOutpost', ErrorMessage: 'no capacity' };

describe('fleets: CLI launch (aws-sdk-client-mock)', function () {
  this.timeout(30_000);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let ec2: AwsStub<any, any, any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let outposts: AwsStub<any, any, any>;
  let dir: string;
  const saved = { ...process.env };
  const ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'OPSDECK_STATE_DIR'];

  before(() => {
    ec2 = mockClient(EC2Client);
    outposts = mockClient(OutpostsClient);
  });
  after(() => {
    ec2.restore();
    outposts.restore();
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-fleet-cli-launch-'));
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIATESTOPSDECK00001', AWS_SECRET_ACCESS_KEY: 'x', OPSDECK_STATE_DIR: path.join(dir, 'state') });
    // The facts lookups fail (a warning: the offline checks still run); each test answers CreateFleet.
    ec2.reset();
    outposts.reset();
    ec2.onAnyCommand().rejects(awsError('UnauthorizedOperation', 403));
    outposts.onAnyCommand().rejects(awsError('AccessDeniedException', 403));
  });
  afterEach(() => {
    for (const k of ENV) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const fleetFile = (type: string | undefined): string => {
    const o = articleObject() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (type !== 'instant') delete o.OnDemandOptions.MinTargetCapacity; // instant-only
    if (type) o.Type = type;
    else delete o.Type;
    const file = path.join(dir, `${type ?? 'untyped'}.fleet.json`);
    fs.writeFileSync(file, JSON.stringify(o, null, 2));
    return file;
  };
  const launch = (file: string, ...flags: string[]) => runCli(['fleet', 'launch', file, '--region', 'us-west-2', ...flags]);
  const tokens = (): string[] => ec2.commandCalls(CreateFleetCommand).map((c) => c.args[0].input.ClientToken as string);
  const ledger = () => JSON.parse(fs.readFileSync(path.join(dir, 'state', 'fleet-launches.json'), 'utf8')) as { pending: Record<string, { token: string }>; finished: Record<string, { token: string; result: string }> };

  // [Type in the file, CreateFleet answer, exit code, what stdout says]
  const TABLE: [string | undefined, object, number, RegExp][] = [
    ['instant', { FleetId: 'fleet-1', Instances: [M5], Errors: [ERR] }, 0, /^4 instance\(s\) launched/m],
    ['instant', { FleetId: 'fleet-1', Instances: [], Errors: [ERR] }, 1, /^No instances launched \(fleet fleet-1 exists but is empty\)/m],
    ['maintain', { FleetId: 'fleet-1' }, 0, /^fleet fleet-1 created; EC2 launches its instances asynchronously — watch it in the Outposts Fleets view\.$/m],
    ['request', { FleetId: 'fleet-1', Errors: [ERR] }, 0, /^fleet fleet-1 created; .* EC2 reported 1 override error\(s\)\.\n[\s\S]*InsufficientCapacityOnOutpost/m],
    [undefined, { FleetId: 'fleet-1' }, 0, /^fleet fleet-1 created; EC2 launches its instances asynchronously/m],
  ];
  for (const [type, answer, code, out] of TABLE) {
    it(`Type ${type ?? '(absent: maintain)'} answered ${JSON.stringify(Object.keys(answer))}: exit ${code}`, async () => {
      ec2.on(CreateFleetCommand).resolves(answer);
      const r = await launch(fleetFile(type), '--yes');
      assert.strictEqual(r.code, code, r.stderr);
      assert.match(r.stdout, out);
      const json = await launch(fleetFile(type), '--yes', '--json');
      assert.strictEqual(json.code, code);
      assert.strictEqual((JSON.parse(json.stdout) as { report: { fleetType: string } }).report.fleetType, type ?? 'maintain');
    });
  }

  it('a launch whose answer never arrives stays pending; without --yes or a choice nothing is sent; --yes resumes it with the same token', async () => {
    const file = fleetFile('instant');
    ec2.on(CreateFleetCommand).rejects(awsError('TimeoutError'));
    const lost = await launch(file, '--yes');
    assert.strictEqual(lost.code, 1);
    assert.match(lost.stderr, /outcome is unknown.*stays pending/);
    const first = tokens();
    assert.strictEqual(first.length, 3, 'three attempts');
    assert.strictEqual(new Set(first).size, 1, 'one token for every attempt');
    assert.deepStrictEqual(Object.values(ledger().pending).map((p) => p.token), [first[0]]);

    ec2.on(CreateFleetCommand).resolves({ FleetId: 'fleet-1', Instances: [M5] });
    const asked = await launch(file); // not a terminal: it cannot ask
    assert.strictEqual(asked.code, 2);
    assert.match(asked.stderr, /Pass --resume to resume the pending launch, or --new to launch a new fleet/);
    assert.strictEqual(tokens().length, 3, 'nothing sent');

    const resumed = await launch(file, '--yes');
    assert.strictEqual(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`Resuming it with its ClientToken ${first[0]}`));
    assert.strictEqual(tokens().at(-1), first[0], 'the resume carried the pending token');
    assert.deepStrictEqual(ledger().pending, {});

    // Finished: the next deliberate launch is new, and --resume has nothing to resume.
    const again = await launch(file, '--yes');
    assert.strictEqual(again.code, 0);
    assert.notStrictEqual(tokens().at(-1), first[0]);
    const nothing = await launch(file, '--yes', '--resume');
    assert.strictEqual(nothing.code, 2);
    assert.match(nothing.stderr, /No pending launch of .* to resume/);
  });

  it('--new while a launch is pending: a new token, and the pending one is no longer offered', async () => {
    const file = fleetFile('instant');
    ec2.on(CreateFleetCommand).rejects(awsError('ServiceUnavailable', 503));
    assert.strictEqual((await launch(file, '--yes')).code, 1);
    const pending = tokens()[0];
    ec2.on(CreateFleetCommand).resolves({ FleetId: 'fleet-2', Instances: [M5] });
    const r = await launch(file, '--yes', '--new', '--json');
    assert.strictEqual(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { clientToken: string; resumed: boolean };
    assert.notStrictEqual(out.clientToken, pending);
    assert.strictEqual(out.resumed, false);
    assert.deepStrictEqual(ledger().pending, {});
    assert.deepStrictEqual(Object.values(ledger().finished).map((f) => [f.token, f.result]), [[out.clientToken, 'created']]);
  });

  it('--resume and --new together are a usage error', async () => {
    const r = await launch(fleetFile('instant'), '--yes', '--resume', '--new');
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /--resume or --new, not both/);
    assert.strictEqual(tokens().length, 0);
  });
});
