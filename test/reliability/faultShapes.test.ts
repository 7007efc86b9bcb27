import * as assert from 'assert';
import { BatchClient, DescribeJobQueuesCommand } from '@aws-sdk/client-batch';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { KafkaClient, ListClustersV2Command } from '@aws-sdk/client-kafka';
import { LambdaClient, ListLayersCommand } from '@aws-sdk/client-lambda';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { toActionableError } from '../../src/aws/errors';
import { motoFactory } from '../support/aws';
import { startFaulty, type FaultyAws } from './support/faulty';

/**
 * The injected faults must look like AWS's own, or the test proves nothing about the SDK's retry logic: each
 * protocol's throttle, parsed by the real SDK client, must come out as that service's throttling error, be
 * classed as throttling by the SDK ($retryable.throttling or a 429/known code) and by OpsDeck's error mapper.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = any;
const CASES: Array<{ protocol: string; ctor: AnyCommand; command: () => AnyCommand; code: string }> = [
  { protocol: 'EC2 query XML', ctor: EC2Client, command: () => new DescribeRegionsCommand({}), code: 'RequestLimitExceeded' },
  { protocol: 'awsQuery XML (STS)', ctor: STSClient, command: () => new GetCallerIdentityCommand({}), code: 'Throttling' },
  { protocol: 'REST-JSON x-amzn-ErrorType (Lambda)', ctor: LambdaClient, command: () => new ListLayersCommand({}), code: 'TooManyRequestsException' },
  { protocol: 'REST-JSON x-amzn-ErrorType (Batch)', ctor: BatchClient, command: () => new DescribeJobQueuesCommand({}), code: 'TooManyRequestsException' },
  { protocol: 'REST-JSON x-amzn-ErrorType (Kafka)', ctor: KafkaClient, command: () => new ListClustersV2Command({}), code: 'TooManyRequestsException' },
  { protocol: 'JSON 1.1 __type (Secrets Manager)', ctor: SecretsManagerClient, command: () => new ListSecretsCommand({}), code: 'ThrottlingException' },
  { protocol: 'JSON 1.0 __type (CloudWatch)', ctor: CloudWatchClient, command: () => new ListMetricsCommand({}), code: 'ThrottlingException' },
  { protocol: 'REST-XML (S3)', ctor: S3Client, command: () => new ListBucketsCommand({}), code: 'SlowDown' },
];

describe('reliability: injected faults have each protocol\'s real shape (parsed by the real SDK)', () => {
  let aws: FaultyAws;
  before(async () => {
    // moto builds its EC2 backend on the first call (seconds under load): warm it so timeouts mean faults.
    const { factory } = motoFactory(['us-east-1']);
    await factory.client(EC2Client, 'us-east-1').send(new DescribeRegionsCommand({}));
    factory.dispose();
    aws = await startFaulty({ seed: 1, rules: [{ kind: 'throttle', rate: 1 }] });
  });
  after(() => aws.stop());

  for (const c of CASES) {
    it(`${c.protocol}: throttle → ${c.code}, retryable as throttling, "throttled" for OpsDeck`, async () => {
      const { factory } = aws.factory(['us-east-1'], { maxAttempts: 1 });
      const before = aws.hook.stats.byKind.throttle;
      const err = await (factory.client(c.ctor, 'us-east-1') as AnyCommand).send(c.command()).then(() => undefined, (e: unknown) => e);
      factory.dispose();
      assert.ok(err, 'the call must fail');
      const e = err as { name: string; $retryable?: { throttling?: boolean }; $metadata?: { httpStatusCode?: number } };
      assert.strictEqual(e.name, c.code);
      assert.strictEqual(aws.hook.stats.byKind.throttle, before + 1);
      const sdkThrottle = e.$retryable?.throttling === true || e.$metadata?.httpStatusCode === 429 || ['RequestLimitExceeded', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'SlowDown'].includes(e.name);
      assert.ok(sdkThrottle, `the SDK must see ${c.code} as throttling`);
      assert.strictEqual(toActionableError(err, { region: 'us-east-1' }).kind, 'throttled');
    });
  }

  it('the same throttle is retried away by the SDK when attempts remain (rate 0.5, default settings: 10 attempts for throttling)', async () => {
    aws.hook.enabled = false;
    const local = await startFaulty({ seed: 7, rules: [{ kind: 'throttle', rate: 0.5 }] });
    try {
      const { factory, counter } = local.factory(['us-east-1']);
      const out = await factory.client(EC2Client, 'us-east-1').send(new DescribeRegionsCommand({}));
      assert.ok((out.Regions ?? []).length > 5);
      assert.strictEqual(counter.all.length, 1, 'one logical call');
      assert.ok(local.hook.stats.injected >= 1, 'seed 7 throttles the first attempt');
      assert.strictEqual(local.hook.requests.at(-1)?.fault, undefined, 'the last attempt went through');
      factory.dispose();
    } finally {
      await local.stop();
      aws.hook.enabled = true;
    }
  });

  for (const kind of ['500', '503', 'reset', 'truncated', 'lost'] as const) {
    it(`${kind}: the SDK retries it (maxAttempts 2, fault on the first attempt only)`, async () => {
      const local = await startFaulty({ seed: 3, rules: [{ kind, rate: 1, limit: 1 }] });
      try {
        const { factory } = local.factory(['us-east-1'], { maxAttempts: 2 });
        const out = await factory.client(EC2Client, 'us-east-1').send(new DescribeRegionsCommand({}));
        assert.ok((out.Regions ?? []).length > 5);
        assert.deepStrictEqual(local.hook.requests.map((r) => r.fault ?? 'ok'), [kind, 'ok']);
        factory.dispose();
      } finally {
        await local.stop();
      }
    });
  }

  it('slow (beyond the client timeout): the attempt times out and the retry succeeds', async () => {
    const local = await startFaulty({ seed: 3, rules: [{ kind: 'slow', rate: 1, limit: 1, delayMs: 1500 }] });
    try {
      const { factory } = local.factory(['us-east-1'], { maxAttempts: 2, requestTimeoutMs: 500 });
      const t0 = Date.now();
      const out = await factory.client(EC2Client, 'us-east-1').send(new DescribeRegionsCommand({}));
      assert.ok((out.Regions ?? []).length > 5);
      assert.ok(Date.now() - t0 < 1500, 'did not wait for the slow answer');
      factory.dispose();
    } finally {
      await local.stop();
    }
  });
});
