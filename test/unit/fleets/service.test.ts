// Service paths moto cannot show: EC2's CreateFleet answers with Errors and zero instances on HTTP 200, a
// launch whose response is lost (timeout) retried with the same ClientToken, DryRun refusals, DeleteFleets in
// batches of 25, a missing launch template, a shared Outpost whose ListAssets is denied. aws-sdk-client-mock.
import * as assert from 'assert';
import { CreateFleetCommand, DeleteFleetsCommand, DescribeLaunchTemplatesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetOutpostInstanceTypesCommand, ListAssetsCommand, ListOutpostsCommand, OutpostsClient } from '@aws-sdk/client-outposts';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { CallCounter } from '../../../src/aws/callCounter';
import { ClientFactory } from '../../../src/aws/clientFactory';
import { LaunchLedger } from '../../../src/fleets/core/clientToken';
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
    const r = await launchFleet(factory(), 'us-west-2', request, { ledger: new LaunchLedger() });
    assert.strictEqual(r.report.outcome, 'failed');
    assert.deepStrictEqual(r.report.rows.find((x) => x.instanceType === 'c5.2xlarge')!.errors.map((e) => e.code), ['InsufficientCapacityOnOutpost']);
    const sent = ec2.commandCalls(CreateFleetCommand)[0].args[0].input;
    assert.strictEqual(sent.DryRun, false);
    assert.match(sent.ClientToken!, /^opsdeck-[0-9a-f]{48}$/);
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
    assert.match(saved[0], /in-flight/, 'the ledger is saved before the call');
    const again = await launchFleet(factory(), 'us-west-2', request, { ledger });
    assert.notStrictEqual(again.token, r.token);
  });

  it('an outcome still unknown after every attempt keeps the token for the next launch (a retry)', async () => {
    ec2.on(CreateFleetCommand).rejects(awsError('ServiceUnavailable', 503));
    const ledger = new LaunchLedger();
    await assert.rejects(launchFleet(factory(), 'us-west-2', request, { ledger, attempts: 2 }), /outcome is unknown/);
    const first = ec2.commandCalls(CreateFleetCommand)[0].args[0].input.ClientToken;
    ec2.reset();
    ec2.on(CreateFleetCommand).resolves({ FleetId: 'fleet-3', Instances: [{ InstanceIds: ['i-9'], InstanceType: 'c5.2xlarge' }] });
    const r = await launchFleet(factory(), 'us-west-2', request, { ledger });
    assert.strictEqual(r.token, first);
    assert.strictEqual(r.retriedEarlierLaunch, true);
  });

  it('a definite refusal (HTTP 400) settles the launch: the next one is new', async () => {
    ec2.on(CreateFleetCommand).rejects(awsError('InvalidParameterValue', 400));
    const ledger = new LaunchLedger();
    await assert.rejects(launchFleet(factory(), 'us-west-2', request, { ledger }), /InvalidParameterValue/);
    assert.strictEqual(ec2.commandCalls(CreateFleetCommand).length, 1);
    assert.strictEqual(Object.values(ledger.toJSON())[0].state, 'settled');
  });

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
