import * as assert from 'assert';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { getCallerIdentity } from '../../../src/aws/identity';
import { listAccountRegions } from '../../../src/aws/regions';
import { toActionableError } from '../../../src/aws/errors';
import { ClientFactory } from '../../../src/aws/clientFactory';
import { motoFactory } from '../../support/aws';

describe('AWS connection layer against moto (real SDK clients over HTTP)', () => {
  it('resolves the caller identity through STS with one call', async () => {
    const { factory, counter } = motoFactory(['us-east-1']);
    const id = await getCallerIdentity(factory, 'us-east-1');
    assert.match(id.account, /^\d{12}$/);
    assert.deepStrictEqual(counter.byOperation(), { GetCallerIdentity: 1 });
  });

  it('lists every Region with opt-in status in one DescribeRegions call', async () => {
    const { factory, counter } = motoFactory(['us-east-1']);
    const out = await listAccountRegions(factory, 'us-east-1');
    assert.strictEqual(out.offline, false);
    assert.ok(out.regions.some((r) => r.name === 'eu-west-1'));
    assert.strictEqual(counter.count('DescribeRegions'), 1);
  });

  it('caches one client per service and Region', () => {
    const { factory } = motoFactory(['us-east-1']);
    assert.strictEqual(factory.client(EC2Client, 'us-east-1'), factory.client(EC2Client, 'us-east-1'));
    assert.notStrictEqual(factory.client(EC2Client, 'us-east-1'), factory.client(EC2Client, 'eu-west-1'));
  });

  it('sends the opsdeck user agent', async () => {
    const { factory } = motoFactory(['us-east-1']);
    const client = factory.client(EC2Client, 'us-east-1');
    let ua = '';
    client.middlewareStack.add((next) => async (args) => {
      const req = (args as { request: { headers: Record<string, string> } }).request;
      ua = req.headers['user-agent'] ?? req.headers['x-amz-user-agent'] ?? '';
      return next(args);
    }, { step: 'finalizeRequest', name: 'captureUa' });
    await client.send(new DescribeRegionsCommand({}));
    assert.match(ua, /opsdeck\/test/);
  });

  it('aborts a call when the signal fires', async () => {
    const { factory } = motoFactory(['us-east-1']);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(factory.client(EC2Client, 'us-east-1').send(new DescribeRegionsCommand({}), { abortSignal: controller.signal }), (e: Error) => toActionableError(e).kind === 'cancelled');
  });

  it('reports an unreachable endpoint clearly and quickly', async () => {
    const factory = new ClientFactory({
      settings: { regions: ['us-east-1'], endpointUrl: 'http://127.0.0.1:9', maxAttempts: 1, requestTimeoutMs: 2000 },
      credentials: async () => ({ accessKeyId: 'x', secretAccessKey: 'y' }),
      version: 'test',
    });
    const started = Date.now();
    await assert.rejects(getCallerIdentity(factory, 'us-east-1'), (e: Error) => {
      const a = toActionableError(e, { endpointUrl: 'http://127.0.0.1:9' });
      return a.kind === 'endpointUnreachable' && /127\.0\.0\.1:9/.test(a.message);
    });
    assert.ok(Date.now() - started < 10_000);
  });
});
