// Service paths moto cannot show: GetAccountSettings (moto lacks it), a conflicting StatementId (moto accepts
// duplicates), throttled publishes, the cancellation path. Real SDK clients with aws-sdk-client-mock.
import * as assert from 'assert';
import {
  AddLayerVersionPermissionCommand, GetAccountSettingsCommand, GetLayerVersionCommand, GetLayerVersionPolicyCommand,
  LambdaClient, ListLayerVersionsCommand, PublishLayerVersionCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { CallCounter } from '../../../src/aws/callCounter';
import { ClientFactory } from '../../../src/aws/clientFactory';
import { accountLimits, publishLayer, stagingKey, type LayerTarget } from '../../../src/layers/service';

const factory = () => new ClientFactory({
  settings: { regions: ['us-east-1'], maxAttempts: 1, requestTimeoutMs: 1000 },
  credentials: async () => ({ accessKeyId: 'x', secretAccessKey: 'y' }),
  version: 'test',
  counter: new CallCounter(),
});
const zip = { bytes: new Uint8Array([1, 2, 3]), codeSha256: 'A+/=' };
const target: LayerTarget = { name: 'l', compatibleRuntimes: [], compatibleArchitectures: [], permissions: [{ kind: 'account', account: '123456789012' }], s3Staging: {} };
const awsError = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status }, $fault: 'client' });

describe('layers/service (aws-sdk-client-mock)', () => {
  // LambdaPublishClient extends LambdaClient, so mocking the prototype covers both.
  const lambda = mockClient(LambdaClient);
  afterEach(() => lambda.reset());

  it('reads limits from GetAccountSettings, and falls back to the documented quotas with a note', async () => {
    lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { CodeSizeZipped: 1000, CodeSizeUnzipped: 2000, TotalCodeSize: 3000 } });
    assert.deepStrictEqual(await accountLimits(factory(), 'us-east-1'), { codeSizeZipped: 1000, codeSizeUnzipped: 2000, totalCodeSize: 3000, source: 'GetAccountSettings' });
    lambda.on(GetAccountSettingsCommand).rejects(awsError('AccessDeniedException', 403));
    const fallback = await accountLimits(factory(), 'us-east-1');
    assert.strictEqual(fallback.source, 'documented defaults');
    assert.strictEqual(fallback.codeSizeZipped, 52_428_800);
    assert.match(fallback.note ?? '', /Access denied/);
  });

  it('treats an existing identical statement as granted, and a different one under our id as a failure', async () => {
    lambda.on(ListLayerVersionsCommand).resolves({ LayerVersions: [] });
    lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { CodeSizeZipped: 1000, CodeSizeUnzipped: 2000 } });
    lambda.on(PublishLayerVersionCommand).resolves({ Version: 1, LayerVersionArn: 'arn:l:1', Content: { CodeSha256: zip.codeSha256 } });
    lambda.on(AddLayerVersionPermissionCommand).rejects(awsError('ResourceConflictException', 409));
    const policy = (principal: string) => JSON.stringify({ Statement: [{ Sid: 'opsdeck-account-123456789012', Principal: { AWS: principal }, Action: 'lambda:GetLayerVersion' }] });
    lambda.on(GetLayerVersionPolicyCommand).resolves({ Policy: policy('arn:aws:iam::123456789012:root') });
    const ok = await publishLayer(factory(), target, zip, ['us-east-1']);
    assert.strictEqual(ok.results[0].action, 'published');
    assert.deepStrictEqual(ok.results[0].grants, [{ statementId: 'opsdeck-account-123456789012', status: 'already granted' }]);

    lambda.on(GetLayerVersionPolicyCommand).resolves({ Policy: policy('arn:aws:iam::999999999999:root') });
    const bad = await publishLayer(factory(), target, zip, ['us-east-1']);
    assert.strictEqual(bad.results[0].action, 'failed');
    assert.match(bad.results[0].error ?? '', /published v1, but a permission failed: statement opsdeck-account-123456789012 already exists on v1 with a different grant/);
  });

  it('retries a throttled publish (Lambda did nothing) but never a failed one', async () => {
    lambda.on(ListLayerVersionsCommand).resolves({ LayerVersions: [] });
    lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { CodeSizeZipped: 1000, CodeSizeUnzipped: 2000 } });
    lambda.on(PublishLayerVersionCommand)
      .rejectsOnce(awsError('TooManyRequestsException', 429))
      .resolves({ Version: 3, LayerVersionArn: 'arn:l:3', Content: { CodeSha256: zip.codeSha256 } });
    const r = await publishLayer(factory(), { ...target, permissions: [] }, zip, ['us-east-1']);
    assert.strictEqual(r.results[0].version, 3);
    assert.strictEqual(lambda.commandCalls(PublishLayerVersionCommand).length, 2);

    lambda.reset();
    lambda.on(ListLayerVersionsCommand).resolves({ LayerVersions: [] });
    lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { CodeSizeZipped: 1000, CodeSizeUnzipped: 2000 } });
    lambda.on(PublishLayerVersionCommand).rejects(awsError('InvalidParameterValueException', 400));
    const f = await publishLayer(factory(), { ...target, permissions: [] }, zip, ['us-east-1']);
    assert.strictEqual(f.results[0].action, 'failed');
    assert.match(f.results[0].error ?? '', /AWS rejected the request in us-east-1/);
    assert.strictEqual(lambda.commandCalls(PublishLayerVersionCommand).length, 1);
  });

  it('refuses a zip over the unzipped limit before publishing (the live limit, waited for when over a documented quota)', async () => {
    lambda.on(ListLayerVersionsCommand).resolves({ LayerVersions: [{ Version: 2 }] });
    lambda.on(GetLayerVersionCommand).resolves({ Version: 2, Content: { CodeSha256: 'other' } });
    lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { CodeSizeZipped: 52_428_800, CodeSizeUnzipped: 262_144_000 } });
    const r = await publishLayer(factory(), target, { ...zip, unzippedSize: 300_000_000 }, ['us-east-1']);
    assert.match(r.results[0].error ?? '', /Unzipped size 286\.1 MB is over Lambda's 250\.0 MB limit/);
    assert.strictEqual(lambda.commandCalls(PublishLayerVersionCommand).length, 0);
    // Over the documented quota, an account whose live limit is higher gets its publish.
    lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { CodeSizeZipped: 52_428_800, CodeSizeUnzipped: 400_000_000 } });
    lambda.on(PublishLayerVersionCommand).resolves({ Version: 3, LayerVersionArn: 'arn:l:3', Content: { CodeSha256: zip.codeSha256 } });
    const ok = await publishLayer(factory(), { ...target, permissions: [] }, { ...zip, unzippedSize: 300_000_000 }, ['us-east-1']);
    assert.strictEqual(ok.results[0].action, 'published');
  });

  it('starts the first publish without waiting for GetAccountSettings when the zip is within the documented quotas', async () => {
    const order: string[] = [];
    let answerLimits!: () => void;
    lambda.on(ListLayerVersionsCommand).callsFake(() => ({ LayerVersions: [] }));
    lambda.on(GetAccountSettingsCommand).callsFake(() => {
      order.push('GetAccountSettings sent');
      return new Promise((resolve) => {
        answerLimits = () => {
          order.push('GetAccountSettings answered');
          resolve({ AccountLimit: { CodeSizeZipped: 52_428_800, CodeSizeUnzipped: 262_144_000, TotalCodeSize: 1 } });
        };
      });
    });
    lambda.on(PublishLayerVersionCommand).callsFake(() => {
      order.push('PublishLayerVersion');
      answerLimits();
      return { Version: 1, LayerVersionArn: 'arn:l:1', Content: { CodeSha256: zip.codeSha256 } };
    });
    const r = await publishLayer(factory(), { ...target, permissions: [] }, { ...zip, unzippedSize: 3 }, ['us-east-1', 'eu-west-1']);
    assert.deepStrictEqual(r.results.map((x) => x.action), ['published', 'published']);
    assert.deepStrictEqual(order.slice(0, 3), ['GetAccountSettings sent', 'PublishLayerVersion', 'GetAccountSettings answered']);
    assert.strictEqual(lambda.commandCalls(GetAccountSettingsCommand).length, 1, 'read once per run');
    assert.deepStrictEqual({ source: r.limits.source, total: r.limits.totalCodeSize }, { source: 'GetAccountSettings', total: 1 }, 'the report carries the live values');
  });

  it('adds a version\'s grants side by side, retrying a conflict from the concurrent policy update', async () => {
    lambda.on(ListLayerVersionsCommand).resolves({ LayerVersions: [] });
    lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { CodeSizeZipped: 52_428_800, CodeSizeUnzipped: 262_144_000 } });
    lambda.on(PublishLayerVersionCommand).resolves({ Version: 1, LayerVersionArn: 'arn:l:1', Content: { CodeSha256: zip.codeSha256 } });
    let inFlight = 0;
    let peak = 0;
    const added: string[] = [];
    let conflicted = false;
    lambda.on(AddLayerVersionPermissionCommand).callsFake(async (input: { StatementId: string }) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      // The organization grant meets "another operation is in progress" once.
      if (input.StatementId.startsWith('opsdeck-org') && !conflicted) {
        conflicted = true;
        throw awsError('ResourceConflictException', 409);
      }
      added.push(input.StatementId);
      return {};
    });
    lambda.on(GetLayerVersionPolicyCommand).resolves({ Policy: JSON.stringify({ Statement: added.map((Sid) => ({ Sid, Principal: { AWS: 'arn:aws:iam::123456789012:root' } })) }) });
    const three: LayerTarget = { ...target, permissions: [{ kind: 'account', account: '123456789012' }, { kind: 'account', account: '210987654321' }, { kind: 'organization', organizationId: 'o-a1b2c3d4e5' }] };
    const r = await publishLayer(factory(), three, zip, ['us-east-1']);
    assert.strictEqual(r.results[0].action, 'published', r.results[0].error);
    assert.deepStrictEqual(r.results[0].grants.map((g) => g.status), ['added', 'added', 'added']);
    assert.strictEqual(peak, 3, 'the three grants were in flight together');
    assert.strictEqual(lambda.commandCalls(AddLayerVersionPermissionCommand).length, 4, 'the conflicted one was retried once');
  });

  it('marks Regions not started as cancelled when the signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await publishLayer(factory(), target, zip, ['us-east-1', 'eu-west-1'], { signal: controller.signal });
    assert.deepStrictEqual(r.results.map((x) => x.action), ['cancelled', 'cancelled']);
    assert.strictEqual(lambda.calls().length, 0);
  });

  it('names staged objects by content', () => {
    assert.strictEqual(stagingKey({ bucket: 'b', prefix: 'p/' }, 'l', Buffer.from('ab').toString('base64')), 'p/l/6162.zip');
  });
});
