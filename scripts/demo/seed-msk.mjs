// Demo data for the MSK Consumers view: Kafka-triggered Lambda functions with an hour of CloudWatch metrics.
//   us-east-1  orders-consumer       MSK, IAM           lag rising 100 → 6,000 for 60 min          → WARN
//              payments-consumer     MSK, SASL/SCRAM    two topics; lag ~8 (slow function, 900 ms)  → OK
//                                                       OffsetLag published per EventSourceMappingUUID
//              clickstream-enricher  MSK, IAM           lag ~2 after the fix (90 ms)               → OK
//              inventory-sync        self-managed Kafka, SASL/PLAIN, VPC, custom root CA;
//                                                       lag 1,200, no invocations for 20 min        → STALLED
//              audit-writer          MSK, mutual TLS    PROBLEM: result, errors; client certificate
//                                                       expiring in 20 days                        → ERROR
//              legacy-importer       MSK, Disabled      lag growing while disabled                 → DISABLED
//   us-west-2  notifications-fanout  MSK, IAM           lag 0                                      → OK
// Functions, metrics and secrets are real moto data (Lambda, CloudWatch, Secrets Manager). The Kafka event source
// mappings are OVERLAY data: moto cannot create them, so scripts/overlay/kafkaMappings.mjs answers for them (the
// SDK's CreateEventSourceMapping goes through it); State and LastProcessingResult, which no API sets, are
// patched in the overlay's state.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateEventSourceMappingCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { zipSync } from 'fflate';
import { patchKafkaMapping } from '../overlay/kafkaMappings.mjs';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/opsdeck-msk-demo-lambda`;

/** IAM is only a prerequisite (no IAM client in the project): one Query API call to moto. */
export async function ensureLambdaRole(endpoint) {
  await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0' },
    body: new URLSearchParams({ Version: '2010-05-08', Action: 'CreateRole', RoleName: 'opsdeck-msk-demo-lambda', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }).toString(),
  });
  return ROLE;
}

const CODE = zipSync({ 'index.mjs': new TextEncoder().encode('export const handler = async (event) => ({ records: Object.values(event.records ?? {}).flat().length });\n') });

export async function createFunction(lambda, name) {
  const res = await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: CODE }, Timeout: 60 }));
  return res.FunctionArn;
}

export const mskArn = (region, cluster) => `arn:aws:kafka:${region}:${ACCOUNT}:cluster/${cluster}/6f1c2b9e-4d1a-4c3e-9f0a-${cluster.length.toString().padStart(12, '0')}-1`;

/** Values per minute ending at `now` (the newest datapoint in the current minute). */
export function minutes(count, fn, now = Date.now()) {
  return Array.from({ length: count }, (_, i) => ({ t: new Date(now - (count - 1 - i) * 60_000), v: fn(i) }));
}

/**
 * Writes datapoints. AWS takes 1,000 per PutMetricData call, but moto turns the request into form fields and its
 * HTTP layer refuses bodies of more than 1,000 fields (~50 datapoints with 3 dimensions), so chunks stay small.
 */
export async function putSeries(cw, namespace, metricName, dimensions, points, unit) {
  const data = points.filter((p) => p.v !== null && p.v !== undefined).map((p) => ({ MetricName: metricName, Dimensions: dimensions, Timestamp: p.t, Value: p.v, ...(unit ? { Unit: unit } : {}) }));
  const chunk = Math.max(1, Math.floor(300 / (4 + 2 * dimensions.length)));
  for (let i = 0; i < data.length; i += chunk) await cw.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(i, i + chunk) }));
}

/** A self-signed client certificate valid for `days`, as Lambda's mTLS secret JSON (needs the openssl CLI). */
export function clientCertificateSecret(days, cn = 'audit-writer.kafka-client') {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-msk-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', String(days), '-subj', `/CN=${cn}`], { stdio: 'ignore' });
    return JSON.stringify({ certificate: readFileSync(join(dir, 'cert.pem'), 'utf8'), privateKey: readFileSync(join(dir, 'key.pem'), 'utf8') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const wave = (i, level, amp) => Math.max(0, Math.round(level + amp * Math.sin(i / 2.3) + ((i * 7) % 3) - 1));

export async function seed({ endpoint, motoEndpoint = endpoint, regions, log = () => {}, overlayState }) {
  const home = regions[0] ?? 'us-east-1';
  const west = regions.find((r) => r !== home);
  await ensureLambdaRole(motoEndpoint);
  const clients = (region) => ({
    lambda: new LambdaClient({ endpoint, region, credentials }),
    cw: new CloudWatchClient({ endpoint, region, credentials }),
    sm: new SecretsManagerClient({ endpoint, region, credentials }),
  });
  const { lambda, cw, sm } = clients(home);
  const fnDims = (name) => [{ Name: 'FunctionName', Value: name }];
  const now = Date.now();
  const putFunctionMetrics = async (c, name, { lag, lagDims = fnDims(name), invocations, errors = () => 0, duration }) => {
    if (lag) await putSeries(c.cw, 'AWS/Lambda', 'OffsetLag', lagDims, minutes(60, lag, now), 'Count');
    await putSeries(c.cw, 'AWS/Lambda', 'Invocations', fnDims(name), minutes(60, invocations, now), 'Count');
    await putSeries(c.cw, 'AWS/Lambda', 'Errors', fnDims(name), minutes(60, errors, now), 'Count');
    await putSeries(c.cw, 'AWS/Lambda', 'Duration', fnDims(name), minutes(60, duration, now), 'Milliseconds');
  };
  const bytesIn = async (c, cluster, topic, perBroker) => {
    for (const broker of ['1', '2', '3']) {
      await putSeries(c.cw, 'AWS/Kafka', 'BytesInPerSec', [{ Name: 'Cluster Name', Value: cluster }, { Name: 'Broker ID', Value: broker }, { Name: 'Topic', Value: topic }], minutes(60, (i) => perBroker(i) * (0.8 + Number(broker) * 0.1), now), 'Bytes/Second');
    }
  };
  const mapping = async (l, input) => (await l.send(new CreateEventSourceMappingCommand({ StartingPosition: 'LATEST', BatchSize: 100, ...input }))).UUID;

  // orders-consumer: records arrive faster than it processes them → lag never decreases (WARN).
  await createFunction(lambda, 'orders-consumer');
  await mapping(lambda, { FunctionName: 'orders-consumer', EventSourceArn: mskArn(home, 'orders-cluster'), Topics: ['orders'], AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'orders-consumer-group' }, BatchSize: 500, MaximumBatchingWindowInSeconds: 5, ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 3 } });
  await putFunctionMetrics({ cw }, 'orders-consumer', { lag: (i) => 100 + i * 100, invocations: () => 40, duration: (i) => 2500 + i * 10 });
  await bytesIn({ cw }, 'orders-cluster', 'orders', (i) => 42_000 + i * 900);

  // payments-consumer: the seed article's "before" (lag about 8, slow function); two topics, per-UUID OffsetLag.
  await createFunction(lambda, 'payments-consumer');
  const secretScram = (await sm.send(new CreateSecretCommand({ Name: 'AmazonMSK_payments_scram', SecretString: JSON.stringify({ username: 'payments', password: 'demo-only' }) }))).ARN;
  for (const topic of ['payments', 'refunds']) {
    const uuid = await mapping(lambda, { FunctionName: 'payments-consumer', EventSourceArn: mskArn(home, 'payments-cluster'), Topics: [topic], StartingPosition: 'TRIM_HORIZON', SourceAccessConfigurations: [{ Type: 'SASL_SCRAM_512_AUTH', URI: secretScram }], AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: `payments-${topic}` } });
    await putSeries(cw, 'AWS/Lambda', 'OffsetLag', [{ Name: 'FunctionName', Value: 'payments-consumer' }, { Name: 'EventSourceMappingUUID', Value: uuid }], minutes(60, (i) => wave(i, topic === 'payments' ? 8 : 5, 3), now), 'Count');
    await bytesIn({ cw }, 'payments-cluster', topic, (i) => 9000 + 2000 * Math.sin(i / 5));
  }
  await putFunctionMetrics({ cw }, 'payments-consumer', { invocations: () => 60, duration: (i) => 900 + 40 * Math.sin(i) });

  // clickstream-enricher: the seed article's "after" (lag about 2, fast function).
  await createFunction(lambda, 'clickstream-enricher');
  await mapping(lambda, { FunctionName: 'clickstream-enricher', EventSourceArn: mskArn(home, 'web-cluster'), Topics: ['clickstream'], StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: new Date(now - 86_400_000), AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'clickstream-enricher' } });
  await putFunctionMetrics({ cw }, 'clickstream-enricher', { lag: (i) => wave(i, 2, 1.5), invocations: () => 120, duration: (i) => 90 + (i % 5) });
  await bytesIn({ cw }, 'web-cluster', 'clickstream', (i) => 120_000 + 8000 * Math.sin(i / 3));

  // inventory-sync: self-managed Kafka; lag sits at 1,200 and nothing has been invoked for 20 minutes (STALLED).
  await createFunction(lambda, 'inventory-sync');
  const secretPlain = (await sm.send(new CreateSecretCommand({ Name: 'kafka/inventory/plain', SecretString: JSON.stringify({ username: 'inventory', password: 'demo-only' }) }))).ARN;
  const secretCa = (await sm.send(new CreateSecretCommand({ Name: 'kafka/inventory/root-ca', SecretString: JSON.stringify({ certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' }) }))).ARN;
  await mapping(lambda, {
    FunctionName: 'inventory-sync', Topics: ['inventory-updates'], StartingPosition: 'TRIM_HORIZON',
    SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['kafka-1.corp.internal:9096', 'kafka-2.corp.internal:9096', 'kafka-3.corp.internal:9096'] } },
    SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'inventory-sync' },
    SourceAccessConfigurations: [{ Type: 'BASIC_AUTH', URI: secretPlain }, { Type: 'SERVER_ROOT_CA_CERTIFICATE', URI: secretCa }, { Type: 'VPC_SUBNET', URI: 'subnet:subnet-0a1b2c3d' }, { Type: 'VPC_SECURITY_GROUP', URI: 'security_group:sg-0a1b2c3d' }],
  });
  await putFunctionMetrics({ cw }, 'inventory-sync', { lag: (i) => (i < 40 ? 400 + i * 20 : 1200), invocations: (i) => (i < 40 ? 12 : 0), duration: (i) => (i < 40 ? 300 : null) });

  // audit-writer: mutual TLS whose client certificate expires in 20 days; Lambda reports a PROBLEM (ERROR).
  await createFunction(lambda, 'audit-writer');
  let certArn;
  try {
    certArn = (await sm.send(new CreateSecretCommand({ Name: 'AmazonMSK_audit_client_cert', SecretString: clientCertificateSecret(20) }))).ARN;
  } catch (err) {
    log(`msk: no openssl, the mTLS demo secret is skipped (${err.message})`);
  }
  const auditUuid = await mapping(lambda, { FunctionName: 'audit-writer', EventSourceArn: mskArn(home, 'audit-cluster'), Topics: ['audit-events'], ...(certArn ? { SourceAccessConfigurations: [{ Type: 'CLIENT_CERTIFICATE_TLS_AUTH', URI: certArn }] } : {}), AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'audit-writer' } });
  await putFunctionMetrics({ cw }, 'audit-writer', { lag: (i) => 50 + i * 3, invocations: () => 6, errors: (i) => (i > 30 ? 6 : 0), duration: () => 1200 });
  patchKafkaMapping(overlayState, auditUuid, { LastProcessingResult: 'PROBLEM: Function call failed' });

  // legacy-importer: disabled by a user while producers keep writing (DISABLED while lag grows).
  await createFunction(lambda, 'legacy-importer');
  const legacy = await mapping(lambda, { FunctionName: 'legacy-importer', EventSourceArn: mskArn(home, 'orders-cluster'), Topics: ['legacy-orders'], Enabled: false, AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'legacy-importer' } });
  patchKafkaMapping(overlayState, legacy, { StateTransitionReason: 'USER_INITIATED' });
  await putFunctionMetrics({ cw }, 'legacy-importer', { lag: (i) => 2000 + i * 35, invocations: () => 0, duration: () => null });

  if (west) {
    const w = clients(west);
    await createFunction(w.lambda, 'notifications-fanout');
    await mapping(w.lambda, { FunctionName: 'notifications-fanout', EventSourceArn: mskArn(west, 'notify-cluster'), Topics: ['notifications'], AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'notifications-fanout' } });
    await putFunctionMetrics(w, 'notifications-fanout', { lag: () => 0, invocations: (i) => 20 + (i % 4), duration: () => 45 });
    await bytesIn(w, 'notify-cluster', 'notifications', () => 3000);
  }
  log(`msk: 7 Kafka-triggered functions (mappings are overlay data), 60 min of OffsetLag/Duration/Errors/Invocations/BytesInPerSec in ${home}${west ? ` and ${west}` : ''}`);
  return { 'opsdeck.msk.checkCertificates': Boolean(certArn) };
}
