import type { KafkaMapping } from '../../../src/msk/core/types';

/** A Kafka mapping with every required field; override what a test is about. */
export function mapping(over: Partial<KafkaMapping> = {}): KafkaMapping {
  return {
    uuid: 'u-1', region: 'us-east-1', functionArn: 'arn:aws:lambda:us-east-1:1:function:f', functionName: 'f', kind: 'msk', state: 'Enabled',
    topic: 't', clusterArn: 'arn:aws:kafka:us-east-1:1:cluster/c/x', clusterName: 'c', bootstrapServers: [],
    auth: { mode: 'IAM', label: 'IAM', vpcSubnets: [], vpcSecurityGroups: [] }, ...over,
  };
}
