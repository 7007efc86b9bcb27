import type { EventSourceMappingConfiguration, SourceAccessConfiguration } from '@aws-sdk/client-lambda';
import type { AuthInfo, KafkaKind, KafkaMapping } from './types';

/**
 * Decoding Lambda's event source mappings into the Kafka model: which ones are Kafka (MSK by its
 * `arn:aws:kafka:` source ARN, self-managed by its KAFKA_BOOTSTRAP_SERVERS endpoints), the cluster, and the auth
 * mode from SourceAccessConfigurations.
 */

export function kafkaKind(m: EventSourceMappingConfiguration): KafkaKind | undefined {
  if (m.EventSourceArn?.startsWith('arn:aws:kafka:') || /^arn:aws[a-z-]*:kafka:/.test(m.EventSourceArn ?? '')) return 'msk';
  if (m.SelfManagedEventSource?.Endpoints?.KAFKA_BOOTSTRAP_SERVERS?.length) return 'self-managed';
  return undefined;
}

/** `arn:aws:kafka:us-east-1:123:cluster/orders/abcd-1` → "orders" (the AWS/Kafka `Cluster Name` dimension). */
export function clusterNameFromArn(arn: string | undefined): string | undefined {
  const m = /:cluster\/([^/]+)\//.exec(arn ?? '') ?? /:cluster\/([^/]+)$/.exec(arn ?? '');
  return m?.[1];
}

/** `arn:aws:lambda:us-east-1:123:function:orders-consumer[:alias]` → "orders-consumer". */
export function functionNameFromArn(arn: string): string {
  const m = /:function:([^:]+)/.exec(arn);
  return m ? m[1] : arn;
}

const AUTH_LABELS: Record<string, [AuthInfo['mode'], string]> = {
  CLIENT_CERTIFICATE_TLS_AUTH: ['mTLS', 'mutual TLS (CLIENT_CERTIFICATE_TLS_AUTH)'],
  SASL_SCRAM_512_AUTH: ['SASL/SCRAM-512', 'SASL/SCRAM-512 (SASL_SCRAM_512_AUTH)'],
  SASL_SCRAM_256_AUTH: ['SASL/SCRAM-256', 'SASL/SCRAM-256 (SASL_SCRAM_256_AUTH)'],
  BASIC_AUTH: ['SASL/PLAIN', 'SASL/PLAIN (BASIC_AUTH)'],
};

/**
 * The auth mode. A credential type in SourceAccessConfigurations wins; with none, an MSK mapping uses IAM (Lambda's
 * execution role) and a self-managed one connects unauthenticated.
 */
export function decodeAuth(kind: KafkaKind, configs: readonly SourceAccessConfiguration[] | undefined): AuthInfo {
  const list = configs ?? [];
  const uriOf = (type: string): string | undefined => list.find((c) => c.Type === type)?.URI;
  const vpcSubnets = list.filter((c) => c.Type === 'VPC_SUBNET').map((c) => c.URI ?? '').filter(Boolean);
  const vpcSecurityGroups = list.filter((c) => c.Type === 'VPC_SECURITY_GROUP').map((c) => c.URI ?? '').filter(Boolean);
  const serverRootCaArn = uriOf('SERVER_ROOT_CA_CERTIFICATE');
  const base = { vpcSubnets, vpcSecurityGroups, ...(serverRootCaArn ? { serverRootCaArn } : {}) };
  for (const type of Object.keys(AUTH_LABELS)) {
    const uri = uriOf(type);
    if (uri !== undefined || list.some((c) => c.Type === type)) {
      const [mode, label] = AUTH_LABELS[type];
      return { mode, label, ...(uri ? { secretArn: uri } : {}), ...base };
    }
  }
  if (kind === 'msk') return { mode: 'IAM', label: 'IAM (execution role)', ...base };
  return { mode: 'none', label: serverRootCaArn ? 'none (TLS with a custom root CA)' : 'none', ...base };
}

const toEpochMs = (d: Date | number | string | undefined): number | undefined => {
  if (d === undefined) return undefined;
  const n = d instanceof Date ? d.getTime() : typeof d === 'number' ? (d < 1e11 ? d * 1000 : d) : Date.parse(d);
  return Number.isFinite(n) ? n : undefined;
};

/** The Kafka model of one mapping, or undefined when it is not a Kafka mapping (SQS, Kinesis, DynamoDB, MQ…). */
export function toKafkaMapping(m: EventSourceMappingConfiguration, region: string): KafkaMapping | undefined {
  const kind = kafkaKind(m);
  if (!kind || !m.UUID || !m.FunctionArn) return undefined;
  const group = kind === 'msk' ? m.AmazonManagedKafkaEventSourceConfig?.ConsumerGroupId : m.SelfManagedKafkaEventSourceConfig?.ConsumerGroupId;
  const pollers = m.ProvisionedPollerConfig;
  return {
    uuid: m.UUID,
    ...(m.EventSourceMappingArn ? { arn: m.EventSourceMappingArn } : {}),
    region,
    functionArn: m.FunctionArn,
    functionName: functionNameFromArn(m.FunctionArn),
    kind,
    state: m.State ?? 'Unknown',
    ...(m.StateTransitionReason ? { stateTransitionReason: m.StateTransitionReason } : {}),
    ...(m.Topics?.[0] ? { topic: m.Topics[0] } : {}),
    ...(kind === 'msk' ? { clusterArn: m.EventSourceArn, clusterName: clusterNameFromArn(m.EventSourceArn) } : {}),
    bootstrapServers: m.SelfManagedEventSource?.Endpoints?.KAFKA_BOOTSTRAP_SERVERS ?? [],
    ...(group ? { consumerGroupId: group } : {}),
    ...(m.BatchSize !== undefined ? { batchSize: m.BatchSize } : {}),
    ...(m.MaximumBatchingWindowInSeconds !== undefined ? { batchingWindowSeconds: m.MaximumBatchingWindowInSeconds } : {}),
    ...(m.StartingPosition ? { startingPosition: m.StartingPosition } : {}),
    ...(m.StartingPositionTimestamp ? { startingPositionTimestamp: toEpochMs(m.StartingPositionTimestamp) } : {}),
    ...(pollers ? { provisionedPollers: { min: pollers.MinimumPollers, max: pollers.MaximumPollers, ...(pollers.PollerGroupName ? { group: pollers.PollerGroupName } : {}) } } : {}),
    auth: decodeAuth(kind, m.SourceAccessConfigurations),
    ...(m.LastProcessingResult ? { lastProcessingResult: m.LastProcessingResult } : {}),
    ...(m.LastModified ? { lastModified: toEpochMs(m.LastModified) } : {}),
  };
}

/** "Default (0.5 s)" when Lambda's Kafka default applies, "5 s" otherwise. */
export function batchingWindowText(seconds: number | undefined): string {
  return seconds === undefined ? 'default (500 ms)' : `${seconds} s`;
}

export function pollersText(p: KafkaMapping['provisionedPollers']): string {
  if (!p) return 'on-demand (not provisioned)';
  return `${p.min ?? 1}–${p.max ?? 200}${p.group ? ` (group ${p.group})` : ''}`;
}
