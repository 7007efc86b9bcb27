import * as assert from 'assert';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { BatchClient } from '@aws-sdk/client-batch';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OutpostsClient } from '@aws-sdk/client-outposts';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CallCounter } from '../../src/aws/callCounter';
import { ClientFactory } from '../../src/aws/clientFactory';
import { discoverDevHosts } from '../../src/devhosts/service';
import { batchHealth } from '../../src/batch/service';
import { layerStatus, listVersions } from '../../src/layers/service';
import { mskHealth } from '../../src/msk/service';
import { describeFleets, loadFleetFacts } from '../../src/fleets/service';
import { renderSshConfig } from '../../src/devhosts/core/render';
import { resolveIdentities } from '../../src/devhosts/core/identities';
import { rejectionGuard } from './support/faulty';

/**
 * AWS answers with missing, null, wrongly typed or unexpected fields, and a paginator that never ends (the
 * same NextToken forever), fed to every feature's service through aws-sdk-client-mock (real clients, `send`
 * stubbed). Each must come back — a result without the broken items, or a per-Region error in words — and
 * never hang, throw a TypeError at the user or leave a rejection unhandled.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const REGION = 'us-east-1';
const CRASH = /Cannot read propert|is not a function|is not iterable|undefined is not|null is not|Cannot convert|toISOString|Invalid time value|Maximum call stack/;

const SHAPES: Array<[string, (command: string) => Any]> = [
  ['every field missing ({})', () => ({})],
  ['lists of empty objects', () => ({
    Hosts: [{}], Reservations: [{}, { Instances: [{}, { Tags: [{}] }] }], Images: [{}], jobQueues: [{}], computeEnvironments: [{}], jobSummaryList: [{}], jobs: [{}],
    LayerVersions: [{}], EventSourceMappings: [{}], Metrics: [{}], MetricDataResults: [{}], Fleets: [{}], InstanceTypes: [{}], LaunchTemplates: [{}], LaunchTemplateVersions: [{}], Subnets: [{}], Outposts: [{}], InstanceTypeItems: [{}], Assets: [{}],
  })],
  // Wrong JSON types cannot reach a service: the SDK's deserializers check them (expectString and friends).
  // What does come through: values AWS has not documented yet, empty strings, dates at the edges.
  ['unknown enum values, empty strings, edge dates', () => ({
    Hosts: [{ HostId: '', State: 'some-new-state', HostProperties: { InstanceType: 'mac9.metal' }, AllocationTime: new Date(0), Instances: [{ InstanceId: '' }] }],
    Reservations: [{ Instances: [{ InstanceId: 'i-0123456789abcdef0', State: { Name: 'hibernating' }, InstanceType: 'mac9.metal', LaunchTime: new Date(8.64e15), Tags: [{ Key: '', Value: '' }], PrivateIpAddress: '' }] }],
    jobQueues: [{ jobQueueArn: '', jobQueueName: '', state: 'PAUSED', status: 'NEW_STATUS', computeEnvironmentOrder: [{ order: -1, computeEnvironment: '' }] }],
    computeEnvironments: [{ computeEnvironmentArn: '', state: 'WEIRD', status: 'NEW', computeResources: { type: 'QUANTUM', maxvCpus: -5 } }],
    jobSummaryList: [{ jobId: '', jobName: '', createdAt: -1, status: 'TELEPORTING' }],
    LayerVersions: [{ Version: 0, LayerVersionArn: '', CreatedDate: 'not a date' }], Content: { CodeSha256: '' },
    EventSourceMappings: [{ UUID: '', EventSourceArn: 'arn:aws:kafka:::', FunctionArn: '', State: 'Melting', Topics: [] }],
    MetricDataResults: [{ Id: 'q0', Timestamps: [new Date(0)], Values: [Number.MAX_VALUE, -1] }], Metrics: [{ Dimensions: [] }],
    Fleets: [{ FleetId: '', FleetState: 'exploding', Type: 'new-type', Instances: [{ InstanceIds: [] }], CreateTime: new Date(0) }], Subnets: [{ SubnetId: '' }],
  })],
  ['unexpected extra fields', () => ({ Surprise: { nested: [1, 2, 3] }, $metadata: { httpStatusCode: 200 }, Hosts: [], Reservations: [], jobQueues: [], LayerVersions: [], EventSourceMappings: [], Fleets: [], __proto__: { polluted: true } })],
];

function factory(): ClientFactory {
  return new ClientFactory({ settings: { regions: [REGION], maxAttempts: 1, requestTimeoutMs: 2000 }, credentials: async () => ({ accessKeyId: 'AKIATESTOPSDECK00001', secretAccessKey: 'x'.repeat(40) }), version: 'test', counter: new CallCounter() });
}

const RUNS: Array<[string, (f: ClientFactory, signal?: AbortSignal) => Promise<unknown>]> = [
  ['devhosts discovery', (f, signal) => discoverDevHosts(f, { regions: [REGION], signal })],
  ['batch health', (f, signal) => batchHealth(f, { regions: [REGION], thresholds: { defaultMinutes: 15 }, now: Date.now() + 86_400_000, signal })],
  ['layers status', (f, signal) => layerStatus(f, 'layer', [REGION], { signal })],
  ['layers versions', (f, signal) => listVersions(f, 'layer', REGION, signal)],
  ['msk health', (f, signal) => mskHealth(f, { regions: [REGION], signal })],
  ['fleets list', (f, signal) => describeFleets(f, REGION, { signal })],
  ['fleets facts', (f, signal) => loadFleetFacts(f, REGION, { instanceTypes: ['m5.large'], launchTemplateIds: ['lt-1'], launchTemplateNames: [], versions: [], subnetIds: ['subnet-1'] } as Any, { outposts: true, signal })],
];

/** Every error string anywhere in a result (per-Region `error` fields). */
function errorsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => errorsIn(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'error' && typeof v === 'string') out.push(v);
      else errorsIn(v, out);
    }
  }
  return out;
}

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_r, reject) => { timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms: it hangs`)), ms); });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

describe('reliability: AWS responses with missing or unexpected fields, through every service', function () {
  this.timeout(60_000);
  const guard = rejectionGuard();
  let stubs: AwsStub<Any, Any, Any>[] = [];
  afterEach(() => {
    for (const s of stubs) s.restore();
    stubs = [];
    guard.assertNone();
  });
  after(() => guard.dispose());

  const mockAll = (answer: (command: string, input: Any) => Any): void => {
    stubs = [EC2Client, BatchClient, LambdaClient, CloudWatchClient, OutpostsClient, SecretsManagerClient].map((c) => {
      const s = mockClient(c as Any);
      // Answer on a later turn of the event loop, as the network does (a paginator that never ends must not
      // starve the timer that catches it).
      s.onAnyCommand().callsFake(async (input: Any, getClient: Any) => {
        await new Promise((r) => setImmediate(r));
        return answer(String(getClient?.constructor?.name ?? ''), input);
      });
      return s as AwsStub<Any, Any, Any>;
    });
  };

  for (const [shape, answer] of SHAPES) {
    for (const [name, run] of RUNS) {
      it(`${name}: ${shape} → a result or an error in words, no crash`, async () => {
        mockAll((cmd) => answer(cmd));
        const f = factory();
        let result: unknown;
        try {
          result = await within(10_000, run(f));
        } catch (err) {
          const e = err as Error;
          assert.ok(!(e instanceof TypeError) && !(e instanceof RangeError), `${name} threw ${e.name}: ${e.message}`);
          assert.doesNotMatch(e.message, CRASH, `${name}: ${e.message}`);
          return;
        } finally {
          f.dispose();
        }
        for (const msg of errorsIn(result)) assert.doesNotMatch(msg, CRASH, `${name} turned a crash into a Region error: ${msg}`);
      });
    }
  }

  for (const [name, run] of RUNS) {
    it(`${name}: a NextToken that never changes ends (error or result) instead of paging forever`, async () => {
      mockAll(() => ({ NextToken: 'again', nextToken: 'again', NextMarker: 'again', Hosts: [], Reservations: [], jobQueues: [], jobSummaryList: [], computeEnvironments: [], LayerVersions: [], EventSourceMappings: [], Metrics: [], MetricDataResults: [], Fleets: [], InstanceTypes: [], Outposts: [] }));
      const f = factory();
      const stop = new AbortController();
      try {
        await within(5_000, run(f, stop.signal)).catch((err: Error) => {
          if (/it hangs/.test(err.message)) throw err;
        });
      } finally {
        // A loop that is still paging stops at its next call: aborted signal, and (afterEach) no more stubs.
        stop.abort();
        f.dispose();
      }
    });
  }

  it('a discovered inventory with hostile fields still renders a safe config (the renderer is the last gate)', async () => {
    mockAll(() => SHAPES[2][1](''));
    const f = factory();
    const inv = await discoverDevHosts(f, { regions: [REGION] });
    f.dispose();
    const r = renderSshConfig(inv, { mode: 'bastion', identities: resolveIdentities(undefined).identities });
    assert.ok(r.text.startsWith('# Managed by AWS OpsDeck'));
  });

  it('the same item on two pages (eventual consistency between pages) is listed once', async () => {
    const host = { HostId: 'h-0123456789abcdef0', State: 'available', HostProperties: { InstanceType: 'mac2.metal' }, Instances: [{ InstanceId: 'i-0123456789abcdef0' }] };
    const instance = { InstanceId: 'i-0123456789abcdef0', InstanceType: 'mac2.metal', Placement: { HostId: host.HostId }, State: { Name: 'running' }, PrivateIpAddress: '10.0.0.1' };
    mockAll((_cmd, input) => (input?.NextToken ? { Hosts: [host], Reservations: [{ Instances: [instance] }] } : { Hosts: [host], Reservations: [{ Instances: [instance] }], NextToken: 'page-2' }));
    const f = factory();
    const inv = await within(10_000, discoverDevHosts(f, { regions: [REGION], skipBastions: true }));
    f.dispose();
    const r = inv.regions[0];
    assert.deepStrictEqual([r.hosts.length, r.instances.length], [1, 1], `hosts ${r.hosts.map((h) => h.hostId)}, instances ${r.instances.map((i) => i.instanceId)}`);
  });
});
