import * as assert from 'assert';
import { LambdaClient, CreateEventSourceMappingCommand, GetEventSourceMappingCommand, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { startOverlay } from '../../../scripts/lib/overlay.mjs';
import type { Overlay } from '../../../scripts/lib/overlay.d.mts';
import { kafkaMappingsHandler, putKafkaMapping } from '../../../scripts/overlay/kafkaMappings.mjs';
import { createFunction, ensureLambdaRole, minutes, mskArn, putSeries, seed } from '../../../scripts/demo/seed-msk.mjs';
import { runCli } from '../../support/cli';
import { motoEndpoint, motoFactory, resetMoto, TEST_CREDENTIALS } from '../../support/aws';
import { requireTool } from '../../support/tools';
import { mskHealth, functionDashboard, listKafkaMappings } from '../../../src/msk/service';
import { allMappings } from '../../../src/msk/core/report';
import type { HealthReport, MappingHealth } from '../../../src/msk/core/types';

/**
 * MSK consumer health against moto. Metrics (PutMetricData, ListMetrics, GetMetricData), Lambda functions and
 * Secrets Manager secrets are real moto data. moto CANNOT create Kafka event source mappings: those are OVERLAY
 * data, answered by scripts/overlay/kafkaMappings.mjs in a proxy in front of moto (responses labelled
 * `x-opsdeck-overlay`); the SDK's own List/Create/GetEventSourceMapping calls go through it unchanged.
 */
const cli = (args: string[]) => runCli(args);

describe('msk health: metrics through moto, Kafka mappings through the overlay (moto lacks them)', function () {
  this.timeout(120_000);
  let overlay: Overlay;
  const state: Record<string, unknown> = {};
  const regions = ['us-east-1', 'us-west-2'];
  let report: HealthReport;
  const byFunction = (name: string): MappingHealth[] => allMappings(report).filter((m) => m.mapping.functionName === name);

  before(async function () {
    requireTool(this, 'openssl', ['openssl']);
    await resetMoto();
    overlay = await startOverlay({ upstream: motoEndpoint(), handlers: [kafkaMappingsHandler(state)] });
    await seed({ endpoint: overlay.endpoint, motoEndpoint: motoEndpoint(), regions, overlayState: state });
  });
  after(async () => overlay?.stop());

  it('judges the demo account: WARN, OK (seed before/after), STALLED, ERROR, DISABLED, in one GetMetricData per Region', async () => {
    const { factory, counter } = motoFactory(regions, overlay.endpoint);
    report = await mskHealth(factory, { regions, checkCertificates: true });
    const verdict = (fn: string): string => byFunction(fn).map((m) => m.verdict).join(',');
    assert.strictEqual(verdict('orders-consumer'), 'WARN');
    // The seed wrote 60 one-minute points ending at seed time; on a busy machine a minute may pass before this query.
    assert.match(byFunction('orders-consumer')[0].trend, /^lag 6,000 ↑ rising for (5[5-9]|60) min$/);
    assert.strictEqual(verdict('payments-consumer'), 'OK,OK', 'the seed article’s lag ~8 with a slow function is OK');
    assert.strictEqual(verdict('clickstream-enricher'), 'OK', 'lag ~2 after the fix is OK');
    assert.strictEqual(verdict('inventory-sync'), 'STALLED');
    assert.strictEqual(verdict('audit-writer'), 'ERROR');
    assert.strictEqual(byFunction('audit-writer')[0].problem, 'PROBLEM: Function call failed');
    assert.strictEqual(verdict('legacy-importer'), 'DISABLED');
    assert.strictEqual(verdict('notifications-fanout'), 'OK');
    assert.strictEqual(report.badCount, 3);
    // Exactly one GetMetricData per Region (well under 500 queries), one ListEventSourceMappings page each.
    assert.strictEqual(counter.count('GetMetricData', 'us-east-1'), 1);
    assert.strictEqual(counter.count('GetMetricData', 'us-west-2'), 1);
    assert.strictEqual(counter.count('ListEventSourceMappings'), 2);
    assert.strictEqual(counter.count('ListMetrics'), 2, 'OffsetLag dimensions discovered once per Region');
    assert.strictEqual(counter.count('GetSecretValue'), 1, 'only the mTLS secret is read');
    assert.ok(overlay.stats.overlay >= 2, 'the mappings came from the overlay');
  });

  it('discovers OffsetLag dimensions instead of assuming them (per-UUID for payments, FunctionName elsewhere)', () => {
    for (const m of byFunction('payments-consumer')) assert.match(m.lagSource, new RegExp(`EventSourceMappingUUID=${m.mapping.uuid}`));
    assert.match(byFunction('orders-consumer')[0].lagSource, /^OffsetLag \{FunctionName=orders-consumer\}/);
  });

  it('decodes the mapping fields and auth modes', () => {
    const inv = byFunction('inventory-sync')[0].mapping;
    assert.strictEqual(inv.kind, 'self-managed');
    assert.strictEqual(inv.auth.mode, 'SASL/PLAIN');
    assert.match(inv.auth.serverRootCaArn ?? '', /root-ca/);
    assert.deepStrictEqual(inv.bootstrapServers.length, 3);
    const orders = byFunction('orders-consumer')[0].mapping;
    assert.deepStrictEqual([orders.auth.mode, orders.clusterName, orders.topic, orders.consumerGroupId, orders.batchSize, orders.batchingWindowSeconds, orders.provisionedPollers?.max], ['IAM', 'orders-cluster', 'orders', 'orders-consumer-group', 500, 5, 3]);
    assert.deepStrictEqual(byFunction('payments-consumer').map((m) => m.mapping.auth.mode), ['SASL/SCRAM-512', 'SASL/SCRAM-512']);
    assert.strictEqual(byFunction('audit-writer')[0].mapping.auth.mode, 'mTLS');
  });

  it('reads the mTLS certificate expiry (20 days → warning) and keeps nothing of the private key', () => {
    const cert = byFunction('audit-writer')[0].certificate;
    assert.ok(cert && !cert.error, JSON.stringify(cert));
    assert.ok(cert.daysLeft === 19 || cert.daysLeft === 20, String(cert.daysLeft));
    assert.strictEqual(cert.expiringSoon, true);
    assert.doesNotMatch(JSON.stringify(report), /PRIVATE KEY|privateKey/);
  });

  it('dashboard: four charts of data in one GetMetricData, BytesInPerSec summed over the topic’s brokers', async () => {
    const { factory, counter } = motoFactory(regions, overlay.endpoint);
    const mappings = await listKafkaMappings(factory, 'us-east-1');
    const orders = mappings.filter((m) => m.functionName === 'orders-consumer');
    const data = await functionDashboard(factory, { region: 'us-east-1', functionName: 'orders-consumer', mappings: orders, rangeId: '1h' });
    assert.strictEqual(counter.count('GetMetricData'), 1);
    const last = (v: readonly (number | null)[]): number | null => [...v].reverse().find((x) => x !== null) ?? null;
    assert.strictEqual(last(data.lag[0].values), 6000);
    assert.ok((last(data.duration.values) ?? 0) > 2500);
    assert.strictEqual(last(data.invocations.values), 40);
    assert.strictEqual(data.bytesIn.length, 1);
    // 3 brokers at 0.9, 1.0 and 1.1 × the per-broker rate = 3 × the rate.
    assert.ok(Math.abs((last(data.bytesIn[0].values) ?? 0) - 3 * (42_000 + 59 * 900)) < 1, String(last(data.bytesIn[0].values)));
    assert.deepStrictEqual(data.verdicts.map((v) => v.verdict), ['WARN']);
  });

  it('paginates ListEventSourceMappings with Marker (250 overlay mappings → 3 pages of ≤100)', async () => {
    const region = 'eu-west-1';
    const endpoint = overlay.endpoint;
    await ensureLambdaRole(motoEndpoint());
    const lambda = new LambdaClient({ endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const arn = await createFunction(lambda, 'bulk-consumer');
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'bulk-consumer', EventSourceArn: mskArn(region, 'bulk'), Topics: ['t-0'], StartingPosition: 'LATEST' }));
    for (let i = 1; i < 250; i++) putKafkaMapping(state, region, { FunctionArn: arn, EventSourceArn: mskArn(region, 'bulk'), Topics: [`t-${i}`], StartingPosition: 'LATEST' });
    const cw = new CloudWatchClient({ endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await putSeries(cw, 'AWS/Lambda', 'OffsetLag', [{ Name: 'FunctionName', Value: 'bulk-consumer' }], minutes(10, (i) => i));
    const { factory, counter } = motoFactory([region], endpoint);
    const found = await listKafkaMappings(factory, region);
    assert.strictEqual(found.length, 250);
    assert.strictEqual(new Set(found.map((m) => m.topic)).size, 250);
    assert.strictEqual(counter.count('ListEventSourceMappings'), 3);
    lambda.destroy();
    cw.destroy();
  });

  it('overlay List merges moto’s own (SQS) mappings; the service keeps only Kafka ones', async () => {
    const region = 'ap-southeast-2';
    // SQS is only a prerequisite (no SQS client in the project): one JSON-protocol call to moto.
    const res = await fetch(`${motoEndpoint()}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.CreateQueue', authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${region}/sqs/aws4_request, SignedHeaders=host, Signature=0` },
      body: JSON.stringify({ QueueName: 'orders-dlq' }),
    });
    assert.ok(res.ok, await res.text());
    await ensureLambdaRole(motoEndpoint());
    const lambda = new LambdaClient({ endpoint: overlay.endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await createFunction(lambda, 'mixed-consumer');
    const sqs = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'mixed-consumer', EventSourceArn: `arn:aws:sqs:${region}:123456789012:orders-dlq` }));
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'mixed-consumer', EventSourceArn: mskArn(region, 'mixed'), Topics: ['mixed'], StartingPosition: 'LATEST' }));
    const listed = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'mixed-consumer' }));
    assert.deepStrictEqual(listed.EventSourceMappings?.map((m) => m.EventSourceArn?.split(':')[2]).sort(), ['kafka', 'sqs'], 'moto’s SQS mapping and the overlay’s Kafka mapping');
    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: sqs.UUID }));
    assert.strictEqual(got.UUID, sqs.UUID, 'a moto mapping is still answered by moto');
    const { factory } = motoFactory([region], overlay.endpoint);
    const kafka = await listKafkaMappings(factory, region);
    assert.deepStrictEqual(kafka.map((m) => m.topic), ['mixed']);
    lambda.destroy();
  });

  it('a Region that fails becomes an error entry; the others still report (fault injected by an overlay hook)', async () => {
    const hook = (req: { region?: string; service?: string }) =>
      req.region === 'eu-central-1' && req.service === 'lambda' ? { status: 403, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' }, body: Buffer.from('{"Message":"not authorized to perform lambda:ListEventSourceMappings"}') } : undefined;
    overlay.hooks.push(hook);
    try {
      const { factory } = motoFactory(['us-east-1', 'eu-central-1'], overlay.endpoint, { maxAttempts: 1 });
      const r = await mskHealth(factory, { regions: ['us-east-1', 'eu-central-1'] });
      assert.ok(allMappings(r).length >= 6);
      const bad = r.regions.find((x) => x.region === 'eu-central-1');
      assert.match(bad?.error ?? '', /denied|not authorized/i);
    } finally {
      overlay.hooks.splice(overlay.hooks.indexOf(hook), 1);
    }
  });

  it('CLI: `opsdeck msk health --json` prints only JSON and exits 3 (WARN, STALLED and ERROR present)', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey });
    delete process.env.AWS_PROFILE;
    try {
      const json = await cli(['msk', 'health', '--json', '--endpoint-url', overlay.endpoint, '--region', 'us-east-1', '--region', 'us-west-2']);
      assert.strictEqual(json.code, 3, json.stderr);
      const parsed = JSON.parse(json.stdout) as HealthReport;
      assert.strictEqual(parsed.badCount, 3);
      assert.deepStrictEqual(parsed.regions.map((r) => r.region), ['us-east-1', 'us-west-2']);
      const text = await cli(['msk', 'health', '--endpoint-url', overlay.endpoint, '--region', 'us-west-2']);
      assert.strictEqual(text.code, 0, text.stderr);
      assert.match(text.stdout, /OK\s+notifications \(MSK notify-cluster, Enabled, IAM\)\s+lag 0 → steady/);
      const usage = await cli(['msk', 'health', '--window', 'soon', '--region', 'us-east-1']);
      assert.strictEqual(usage.code, 2);
    } finally {
      process.env = saved;
    }
  });
});
