// Service paths moto cannot show: EC2's CreateFleet answers with Errors and zero instances on HTTP 200, a
// launch whose response is lost (timeout) retried with the same ClientToken, DryRun refusals, DeleteFleets in
// batches of 25, a missing launch template, a shared Outpost whose ListAssets is denied. aws-sdk-client-mock.
import * as assert from 'assert';
import { CreateFleetCommand, DeleteFleetsCommand, DescribeLaunchTemplatesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetOutpostInstanceTypesCommand, ListAssetsCommand, ListOutpostsCommand, OutpostsClient } from '@aws-sdk/client-outposts';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { CallCounter } from '../../../src/aws/callCounter';
import { ClientFactory } from '../../../src/aws/clientFactory';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LaunchLedger } from '../../../src/fleets/core/clientToken';
import { loadLedgerFile } from '../../../src/fleets/core/ledgerFile';
import type { FleetRequest } from '../../../src/fleets/core/types';
import { deleteFleets, dryRunFleet, launchFleet, listOutposts, lookupLaunchTemplates } from '../../../src/fleets/service';
import { ARTICLE_FLEET } from './fixtures';

const factory = () => new ClientFactory({
  settings: { regions: ['us-west-2'], maxAttempts: 1, requestTimeoutMs: 1000 },
  credentials: async () => ({ accessKeyId: 'x', secretAccessKey: 'y' }),
  version: 'test',
  counter: new CallCounter(),
});
const awsError = (name: string, status?: number) => Object.assign(new Error(name), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });
const request = JSON.parse(ARTICLE_FLEET) as FleetRequest;

describe('fleets/service (aws-sdk-client-mock)', () => {
  // Mocks are created when this suite runs and restored after it: another file mocks EC2Client too.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let ec2: AwsStub<any, any, any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let outposts: AwsStub<any, any, any>;
  before(() => {
    ec2 = mockClient(EC2Client);
    outposts = mockClient(OutpostsClient);
  });
  after(() => {
    ec2.restore();
    outposts.restore();
  });
  afterEach(() => {
    ec2.reset();
    outposts.reset();
  });

  it('an instant fleet with HTTP 200, zero instances and Errors is reported as failed, per override', async () => {
    ec2.on(CreateFleetCommand).resolves({ FleetId: 'fleet-1', Instances: [], Errors: [{ LaunchTemplateAndOverrides: { Overrides: { InstanceType: 'c5.2xlarge', WeightedCapacity: 1, Priority: 2 } }, ErrorCode: 'InsufficientCapacityOnOutpost', ErrorMessage: 'no capacity' }] });
    const r = await launchFleet(factory(), 'us-west-2', request, { ledger: new LaunchLedger(), saveLedger: () => {} });
    assert.strictEqual(r.report.outcome, 'failed');
    assert.deepStrictEqual(r.report.rows.find((x) => x.instanceType === 'c5.2xlarge')!.errors.map((e) => e.code), ['InsufficientCapacityOnOutpost']);
    const sent = ec2.commandCalls(CreateFleetCommand)[0].args[0].input;
    assert.strictEqual(sent.DryRun, false);
    assert.match(sent.ClientToken!, /^opsdeck-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('a timed-out launch is retried with the same ClientToken; a relaunch after success gets a new one', async () => {
    ec2.on(CreateFleetCommand).rejectsOnce(awsError('TimeoutError')).resolves({ FleetId: 'fleet-2', Instances: [{ InstanceIds: ['i-1', 'i-2', 'i-3', 'i-4'], InstanceType: 'm5.large', LaunchTemplateAndOverrides: { Overrides: { InstanceType: 'm5.large', WeightedCapacity: 0.25, Priority: 3 } } }] });
    const ledger = new LaunchLedger();
    const saved: string[] = [];
    const r = await launchFleet(factory(), 'us-west-2', request, { ledger, saveLedger: () => { saved.push(JSON.stringify(ledger.toJSON())); } });
    const tokens = ec2.commandCalls(CreateFleetCommand).map((c) => c.args[0].input.ClientToken);
    assert.deepStrictEqual(tokens, [r.token, r.token]);
    assert.strictEqual(r.attempts, 2);
    assert.strictEqual(r.report.outcome, 'launched');
    assert.ok(saved[0].includes(r.token) && JSON.parse(saved[0]).pending, 'the token is saved as pending before the call');
    assert.deepStrictEqual(Object.keys(JSON.parse(saved[0]).pending).length, 1);
    assert.deepStrictEqual(JSON.parse(saved.at(-1)!).pending, {}, 'finished once the answer arrived');
    const again = await launchFleet(factory(), 'us-west-2', request, { ledger, saveLedger: () => {} });
    assert.notStrictEqual(again.token, r.token);
  });

  it('an outcome still unknown after every attempt stays pending: a plain launch refuses, "resume" reuses the token', async () => {
    ec2.on(CreateFleetCommand).rejects(awsError('ServiceUnavailable', 503));
    const ledger = new LaunchLedger();
    await assert.rejects(launchFleet(factory(), 'us-west-2', request, { ledger, saveLedger: () => {}, attempts: 2 }), /outcome is unknown.*same ClientToken/);
    const first = ec2.commandCalls(CreateFleetCommand)[0].args[0].input.ClientToken;
    ec2.reset();
    ec2.on(CreateFleetCommand).resolves({ FleetId: 'fleet-3', Instances: [{ InstanceIds: ['i-9'], InstanceType: 'c5.2xlarge' }] });
    await assert.rejects(launchFleet(factory(), 'us-west-2', request, { ledger, saveLedger: () => {} }), (err: Error) => err.name === 'LaunchPending');
    assert.strictEqual(ec2.commandCalls(CreateFleetCommand).length, 0, 'nothing sent without a decision');
    const r = await launchFleet(factory(), 'us-west-2', request, { ledger, saveLedger: () => {}, intent: 'resume' });
    assert.strictEqual(r.token, first);
    assert.strictEqual(r.resumed, true);
  });

  it('a crash between send and result: the next process finds the pending token in the ledger file and resumes with it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-fleet-crash-'));
    const file = path.join(dir, 'fleet-launches.json');
    try {
      let sent!: () => void;
      const reached = new Promise<void>((resolve) => (sent = resolve));
      // Process 1: CreateFleet goes out and never answers; the process "dies" there (its promise is dropped).
      ec2.on(CreateFleetCommand).callsFake(() => {
        sent();
        return new Promise(() => {});
      });
      const one = await loadLedgerFile(file);
      void launchFleet(factory(), 'us-west-2', request, { ledger: one.ledger, saveLedger: one.save, source: '/w/ec2-fleet.json' });
      await reached;
      const firstToken = ec2.commandCalls(CreateFleetCommand)[0].args[0].input.ClientToken!;
      // Process 2: a fresh load of the same state folder.
      ec2.reset();
      ec2.on(CreateFleetCommand).resolves({ FleetId: 'fleet-crash', Instances: [{ InstanceIds: ['i-1', 'i-2', 'i-3', 'i-4'], InstanceType: 'm5.large' }] });
      const two = await loadLedgerFile(file);
      const r = await launchFleet(factory(), 'us-west-2', request, { ledger: two.ledger, saveLedger: two.save, intent: 'resume' });
      assert.strictEqual(r.token, firstToken);
      assert.strictEqual(ec2.commandCalls(CreateFleetCommand)[0].args[0].input.ClientToken, firstToken);
      const onDisk = JSON.parse(fs.readFileSync(file, 'utf8')) as { pending: object; finished: Record<string, { token: string; fleetId: string }> };
      assert.deepStrictEqual(onDisk.pending, {});
      assert.deepStrictEqual(Object.values(onDisk.finished).map((f) => [f.token, f.fleetId]), [[firstToken, 'fleet-crash']]);
      // The next deliberate launch (third process) gets a new token.
      const three = await loadLedgerFile(file);
      const next = await launchFleet(factory(), 'us-west-2', request, { ledger: three.ledger, saveLedger: three.save });
      assert.notStrictEqual(next.token, firstToken);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('nothing is sent when the launch cannot be recorded first', async () => {
    ec2.on(CreateFleetCommand).resolves({ FleetId: 'fleet-x' });
    await assert.rejects(launchFleet(factory(), 'us-west-2', request, { ledger: new LaunchLedger(), saveLedger: () => { throw new Error('EROFS: read-only file system'); } }), (err: Error) => err.name === 'LedgerUnwritable' && /Nothing was launched.*EROFS/.test(err.message));
    assert.strictEqual(ec2.commandCalls(CreateFleetCommand).length, 0);
  });

  it('a definite refusal (HTTP 400) finishes the launch: the next one is new', async () => {
    ec2.on(CreateFleetCommand).rejects(awsError('InvalidParameterValue', 400));
    const ledger = new LaunchLedger();
    await assert.rejects(launchFleet(factory(), 'us-west-2', request, { ledger, saveLedger: () => {} }), /InvalidParameterValue/);
    assert.strictEqual(ec2.commandCalls(CreateFleetCommand).length, 1);
    assert.deepStrictEqual(ledger.toJSON().pending, {});
    assert.strictEqual(Object.values(ledger.toJSON().finished)[0].result, 'refused');
  });

  const asyncTypes: [string | undefined, string][] = [['maintain', 'maintain'], ['request', 'request'], [undefined, 'maintain (no Type: EC2\'s default)']];
  for (const [type, label] of asyncTypes) {
    it(`a ${label} fleet answers with a FleetId and no Instances: submitted, not failed`, async () => {
      ec2.on(CreateFleetCommand).resolves({ FleetId: 'fleet-async' });
      const { Type: _t, ...rest } = request;
      const r = await launchFleet(factory(), 'us-west-2', { ...rest, ...(type ? { Type: type } : {}) }, { ledger: new LaunchLedger(), saveLedger: () => {} });
      assert.deepStrictEqual([r.report.fleetType, r.report.outcome], [type ?? 'maintain', 'submitted']);
      assert.match(r.report.summary, /^fleet fleet-async created; EC2 launches its instances asynchronously — watch it in the Outposts Fleets view\.$/);
    });
  }

  it('dry run: DryRunOperation is success, UnauthorizedOperation is the reason', async () => {
    ec2.on(CreateFleetCommand).rejectsOnce(awsError('DryRunOperation', 412)).rejectsOnce(Object.assign(awsError('UnauthorizedOperation', 403), { message: 'not allowed' }));
    assert.deepStrictEqual(await dryRunFleet(factory(), 'us-west-2', request), { ok: true, code: 'DryRunOperation', message: 'Would succeed: the request is valid and you have permission.' });
    const no = await dryRunFleet(factory(), 'us-west-2', request);
    assert.deepStrictEqual([no.ok, no.code, no.message], [false, 'UnauthorizedOperation', 'not allowed']);
    assert.ok(ec2.commandCalls(CreateFleetCommand).every((c) => c.args[0].input.DryRun === true));
  });

  it('deletes 27 fleets in two DeleteFleets calls (25 + 2), always terminating instances', async () => {
    ec2.on(DeleteFleetsCommand).callsFake((input: { FleetIds: string[] }) => ({ SuccessfulFleetDeletions: input.FleetIds.map((id) => ({ FleetId: id, CurrentFleetState: 'deleted_terminating' })) }));
    const ids = Array.from({ length: 27 }, (_, i) => `fleet-${i}`);
    const r = await deleteFleets(factory(), 'us-west-2', ids);
    const calls = ec2.commandCalls(DeleteFleetsCommand).map((c) => c.args[0].input);
    assert.deepStrictEqual(calls.map((c) => [c.FleetIds!.length, c.TerminateInstances]), [[25, true], [2, true]]);
    assert.strictEqual(r.deleted.length, 27);
  });

  it('a launch template that does not exist maps to null (one lookup per id, so one missing id fails nothing else)', async () => {
    ec2.on(DescribeLaunchTemplatesCommand).rejects(awsError('InvalidLaunchTemplateId.NotFound', 400));
    const r = await lookupLaunchTemplates(factory(), 'us-west-2', { launchTemplateIds: ['lt-0abc'], launchTemplateNames: [], versions: {} });
    assert.deepStrictEqual([...r], [['lt-0abc', null]]);
  });

  it('a shared Outpost (ListAssets denied) keeps its configured types and leaves capacity unknown', async () => {
    outposts.on(ListOutpostsCommand).resolves({ Outposts: [{ OutpostId: 'op-1', OutpostArn: 'arn:aws:outposts:us-west-2:1:outpost/op-1' }] });
    outposts.on(GetOutpostInstanceTypesCommand).resolves({ InstanceTypes: [{ InstanceType: 'm5.large', VCPUs: 2 }] });
    outposts.on(ListAssetsCommand).rejects(awsError('AccessDeniedException', 403));
    const [o] = await listOutposts(factory(), 'us-west-2');
    assert.deepStrictEqual([...o.configuredTypes!], [['m5.large', 2]]);
    assert.strictEqual(o.available, undefined);
  });
});
