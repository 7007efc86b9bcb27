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

  it('refuses a zip over the unzipped limit before publishing', async () => {
    lambda.on(ListLayerVersionsCommand).resolves({ LayerVersions: [{ Version: 2 }] });
    lambda.on(GetLayerVersionCommand).resolves({ Version: 2, Content: { CodeSha256: 'other' } });
    lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { CodeSizeZipped: 1000, CodeSizeUnzipped: 2000 } });
    const r = await publishLayer(factory(), target, { ...zip, unzippedSize: 5000 }, ['us-east-1']);
    assert.match(r.results[0].error ?? '', /Unzipped size 4\.9 KB is over Lambda's 2\.0 KB limit/);
    assert.strictEqual(lambda.commandCalls(PublishLayerVersionCommand).length, 0);
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
