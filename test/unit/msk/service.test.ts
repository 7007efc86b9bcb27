import * as assert from 'assert';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand, type GetMetricDataCommandInput, type Metric } from '@aws-sdk/client-cloudwatch';
import { LambdaClient, ListEventSourceMappingsCommand, type EventSourceMappingConfiguration } from '@aws-sdk/client-lambda';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ClientFactory } from '../../../src/aws/clientFactory';
import { CallCounter } from '../../../src/aws/callCounter';
import { mskHealth } from '../../../src/msk/service';
import { QUERY_ID_PATTERN } from '../../../src/msk/core/queries';
import { allMappings } from '../../../src/msk/core/report';

const NOW = Date.UTC(2026, 10, 26, 8, 0, 30);
const factory = (counter = new CallCounter()): ClientFactory =>
  new ClientFactory({ settings: { regions: ['us-east-1'], maxAttempts: 1, requestTimeoutMs: 5000 }, credentials: async () => ({ accessKeyId: 'AKIATEST', secretAccessKey: 's' }), version: 'test', counter });

const esm = (i: number, over: Partial<EventSourceMappingConfiguration> = {}): EventSourceMappingConfiguration => ({
  UUID: `uuid-${i}`, FunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:fn-${i}`, EventSourceArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/c/x-1', Topics: [`topic-${i}`], State: 'Enabled', ...over,
});

/** A fake Lambda + CloudWatch with AWS's real limits: 100 mappings per page, 500 queries per GetMetricData, 500 metrics per ListMetrics page. */
function fakeAws(mappings: EventSourceMappingConfiguration[], extraEsm: EventSourceMappingConfiguration[] = [], lagOf: (fn: string) => number[] = () => []) {
  const lambda = mockClient(LambdaClient);
  const cw = mockClient(CloudWatchClient);
  const all = [...extraEsm, ...mappings];
  lambda.on(ListEventSourceMappingsCommand).callsFake((input: { Marker?: string; MaxItems?: number }) => {
    const start = Number(input.Marker ?? 0);
    const size = Math.min(100, input.MaxItems ?? 100);
    const next = start + size < all.length ? String(start + size) : undefined;
    return { EventSourceMappings: all.slice(start, start + size), NextMarker: next };
  });
  const metrics: Metric[] = mappings.map((m) => ({ Namespace: 'AWS/Lambda', MetricName: 'OffsetLag', Dimensions: [{ Name: 'FunctionName', Value: m.FunctionArn!.split(':').pop()! }] }));
  cw.on(ListMetricsCommand).callsFake((input: { NextToken?: string }) => {
    const start = Number(input.NextToken ?? 0);
    return { Metrics: metrics.slice(start, start + 500), NextToken: start + 500 < metrics.length ? String(start + 500) : undefined };
  });
  cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
    const queries = input.MetricDataQueries ?? [];
    if (queries.length > 500) throw Object.assign(new Error('Too many queries'), { name: 'ValidationError' });
    for (const q of queries) if (!QUERY_ID_PATTERN.test(q.Id ?? '')) throw Object.assign(new Error(`bad id ${q.Id}`), { name: 'ValidationError' });
    const start = input.StartTime!.getTime();
    return {
      MetricDataResults: queries.map((q) => {
        const stat = q.MetricStat!;
        const fn = stat.Metric!.Dimensions!.find((d) => d.Name === 'FunctionName')!.Value!;
        const values = stat.Metric!.MetricName === 'OffsetLag' ? lagOf(fn) : stat.Metric!.MetricName === 'Invocations' ? lagOf(fn).map(() => 5) : [];
        return { Id: q.Id, Timestamps: values.map((_, i) => new Date(start + i * 60_000)), Values: values };
      }),
    };
  });
  return { lambda, cw, restore: () => { lambda.restore(); cw.restore(); } };
}

/** Calls per operation as the mocks saw them (the factory's counter middleware does not run under the mock). */
const seen = (f: { lambda: { commandCalls: (c: typeof ListEventSourceMappingsCommand) => unknown[] }; cw: { commandCalls: (c: never) => unknown[] } }): Record<string, number> => {
  const out: Record<string, number> = {
    ListEventSourceMappings: f.lambda.commandCalls(ListEventSourceMappingsCommand).length,
    ListMetrics: f.cw.commandCalls(ListMetricsCommand as never).length,
    GetMetricData: f.cw.commandCalls(GetMetricDataCommand as never).length,
  };
  for (const k of Object.keys(out)) if (!out[k]) delete out[k];
  return out;
};

describe('msk service (aws-sdk-client-mock with AWS limits moto does not enforce)', function () {
  this.timeout(30_000);
  let fake: ReturnType<typeof fakeAws> | undefined;
  afterEach(() => fake?.restore());

  it('1,000 functions in one Region: 11 ListEventSourceMappings pages (1,020 mappings), 2 ListMetrics pages, exactly 8 GetMetricData calls', async () => {
    const mappings = Array.from({ length: 1000 }, (_, i) => esm(i));
    const sqs = Array.from({ length: 20 }, (_, i) => esm(2000 + i, { EventSourceArn: 'arn:aws:sqs:us-east-1:1:q' }));
    fake = fakeAws(mappings, sqs, (fn) => (fn === 'fn-7' ? Array.from({ length: 60 }, (_, i) => 200 + i * 10) : Array.from({ length: 60 }, () => 3)));
    const counter = new CallCounter();
    const report = await mskHealth(factory(counter), { regions: ['us-east-1'], now: NOW });
    assert.strictEqual(allMappings(report).length, 1000, 'SQS mappings dropped');
    assert.deepStrictEqual(seen(fake), { ListEventSourceMappings: 11, ListMetrics: 2, GetMetricData: 8 });
    const calls = fake.cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.MetricDataQueries!.length);
    assert.deepStrictEqual(calls, Array(8).fill(500));
    assert.strictEqual(report.badCount, 1);
    assert.strictEqual(allMappings(report).find((m) => m.verdict === 'WARN')?.mapping.functionName, 'fn-7');
    // vs the naive way: one GetMetricStatistics per metric per function.
    assert.strictEqual(1000 * 4, 4000);
  });

  it('ListMetrics is cached per factory: a second refresh sends no ListMetrics', async () => {
    fake = fakeAws([esm(1), esm(2)], [], () => [1, 2, 3]);
    const counter = new CallCounter();
    const f = factory(counter);
    await mskHealth(f, { regions: ['us-east-1'], now: NOW });
    await mskHealth(f, { regions: ['us-east-1'], now: NOW + 60_000 });
    assert.deepStrictEqual(seen(fake), { ListEventSourceMappings: 2, ListMetrics: 1, GetMetricData: 2 });
  });

  it('no Kafka mappings → no CloudWatch call at all', async () => {
    fake = fakeAws([], [esm(1, { EventSourceArn: 'arn:aws:sqs:us-east-1:1:q' })]);
    const counter = new CallCounter();
    const report = await mskHealth(factory(counter), { regions: ['us-east-1'], now: NOW });
    assert.deepStrictEqual(seen(fake), { ListEventSourceMappings: 1 });
    assert.deepStrictEqual(report.regions[0].functions, []);
  });

  it('the mTLS check is off by default and reads each secret once when on', async () => {
    const tls = { SourceAccessConfigurations: [{ Type: 'CLIENT_CERTIFICATE_TLS_AUTH' as const, URI: 'arn:aws:secretsmanager:us-east-1:1:secret:cert' }] };
    fake = fakeAws([esm(1, tls), esm(2, tls)]);
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ certificate: 'garbage', privateKey: '-----BEGIN PRIVATE KEY-----\nSECRETSECRET\n-----END PRIVATE KEY-----' }) });
    try {
      const f = factory();
      const off = await mskHealth(f, { regions: ['us-east-1'], now: NOW });
      assert.strictEqual(sm.commandCalls(GetSecretValueCommand).length, 0);
      assert.strictEqual(allMappings(off)[0].certificate, undefined);
      const on = await mskHealth(f, { regions: ['us-east-1'], now: NOW, checkCertificates: true });
      assert.strictEqual(sm.commandCalls(GetSecretValueCommand).length, 1, 'two mappings, one secret, one read');
      assert.strictEqual(allMappings(on)[0].certificate?.error, 'the "certificate" field holds no PEM certificate');
      assert.doesNotMatch(JSON.stringify(on), /SECRETSECRET|PRIVATE KEY/);
    } finally {
      sm.restore();
    }
  });
});
