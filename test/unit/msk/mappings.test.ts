import * as assert from 'assert';
import type { EventSourceMappingConfiguration } from '@aws-sdk/client-lambda';
import { clusterNameFromArn, decodeAuth, kafkaKind, toKafkaMapping } from '../../../src/msk/core/mappings';

const MSK = 'arn:aws:kafka:us-east-1:123456789012:cluster/orders-cluster/6f1c2b9e-1';
const base: EventSourceMappingConfiguration = { UUID: 'u', FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:live', State: 'Enabled' };

describe('msk mapping decoding', () => {
  const kinds: Array<[string, EventSourceMappingConfiguration, string | undefined]> = [
    ['MSK by its kafka ARN', { ...base, EventSourceArn: MSK }, 'msk'],
    ['self-managed by bootstrap servers', { ...base, SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['b:9092'] } } }, 'self-managed'],
    ['SQS is not Kafka', { ...base, EventSourceArn: 'arn:aws:sqs:us-east-1:1:q' }, undefined],
    ['Kinesis is not Kafka', { ...base, EventSourceArn: 'arn:aws:kinesis:us-east-1:1:stream/s' }, undefined],
    ['MSK in another partition', { ...base, EventSourceArn: 'arn:aws-cn:kafka:cn-north-1:1:cluster/c/x' }, 'msk'],
  ];
  for (const [name, m, want] of kinds) it(name, () => assert.strictEqual(kafkaKind(m), want));

  const auth: Array<[string, 'msk' | 'self-managed', EventSourceMappingConfiguration['SourceAccessConfigurations'], string]> = [
    ['mTLS', 'msk', [{ Type: 'CLIENT_CERTIFICATE_TLS_AUTH', URI: 'arn:s:c' }], 'mTLS'],
    ['SCRAM 512', 'msk', [{ Type: 'SASL_SCRAM_512_AUTH', URI: 'arn:s:5' }], 'SASL/SCRAM-512'],
    ['SCRAM 256', 'self-managed', [{ Type: 'SASL_SCRAM_256_AUTH', URI: 'arn:s:2' }], 'SASL/SCRAM-256'],
    ['BASIC_AUTH is SASL/PLAIN', 'self-managed', [{ Type: 'BASIC_AUTH', URI: 'arn:s:b' }, { Type: 'VPC_SUBNET', URI: 'subnet:s-1' }], 'SASL/PLAIN'],
    ['MSK with no credential uses IAM', 'msk', [], 'IAM'],
    ['self-managed with only VPC settings is unauthenticated', 'self-managed', [{ Type: 'VPC_SECURITY_GROUP', URI: 'security_group:sg-1' }], 'none'],
  ];
  for (const [name, kind, configs, want] of auth) it(`auth: ${name}`, () => assert.strictEqual(decodeAuth(kind, configs).mode, want));

  it('keeps the server root CA, VPC settings and secret ARN', () => {
    const a = decodeAuth('self-managed', [{ Type: 'SERVER_ROOT_CA_CERTIFICATE', URI: 'arn:ca' }, { Type: 'SASL_SCRAM_512_AUTH', URI: 'arn:scram' }, { Type: 'VPC_SUBNET', URI: 'subnet:a' }, { Type: 'VPC_SECURITY_GROUP', URI: 'security_group:b' }]);
    assert.deepStrictEqual([a.serverRootCaArn, a.secretArn, a.vpcSubnets, a.vpcSecurityGroups], ['arn:ca', 'arn:scram', ['subnet:a'], ['security_group:b']]);
  });

  it('decodes every field the tree shows', () => {
    const m = toKafkaMapping({
      ...base, EventSourceArn: MSK, Topics: ['orders'], BatchSize: 500, MaximumBatchingWindowInSeconds: 5, StartingPosition: 'AT_TIMESTAMP',
      StartingPositionTimestamp: new Date(Date.UTC(2026, 0, 1)), ProvisionedPollerConfig: { MinimumPollers: 2, MaximumPollers: 9, PollerGroupName: 'g' },
      AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'grp' }, LastProcessingResult: 'PROBLEM: Function call failed', StateTransitionReason: 'USER_INITIATED',
    }, 'us-east-1')!;
    assert.deepStrictEqual(
      [m.functionName, m.clusterName, m.topic, m.batchSize, m.batchingWindowSeconds, m.startingPosition, m.startingPositionTimestamp, m.provisionedPollers, m.consumerGroupId, m.auth.mode, m.lastProcessingResult],
      ['orders', 'orders-cluster', 'orders', 500, 5, 'AT_TIMESTAMP', Date.UTC(2026, 0, 1), { min: 2, max: 9, group: 'g' }, 'grp', 'IAM', 'PROBLEM: Function call failed'],
    );
  });
  it('self-managed consumer group and bootstrap servers', () => {
    const m = toKafkaMapping({ ...base, SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['a:1', 'b:2'] } }, SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'sm' } }, 'eu-west-1')!;
    assert.deepStrictEqual([m.kind, m.bootstrapServers, m.consumerGroupId, m.clusterName, m.region], ['self-managed', ['a:1', 'b:2'], 'sm', undefined, 'eu-west-1']);
  });
  it('cluster names from ARNs', () => {
    assert.deepStrictEqual([clusterNameFromArn(MSK), clusterNameFromArn('arn:aws:kafka:r:1:cluster/x'), clusterNameFromArn('nope'), clusterNameFromArn(undefined)], ['orders-cluster', 'x', undefined, undefined]);
  });
});
