import * as assert from 'assert';
import { toActionableError } from '../../../src/aws/errors';

const named = (name: string, message = name, extra: object = {}): Error => Object.assign(new Error(message), { name, ...extra });

describe('toActionableError', () => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['expired SSO token', named('CredentialsProviderError', "The SSO session token associated with profile=dev was not found or is invalid. To refresh this SSO session run 'aws sso login' with the corresponding profile."), 'ssoExpired', /aws sso login --profile dev/],
    ['missing credentials', named('CredentialsProviderError', 'Could not load credentials from any providers'), 'noCredentials', /No AWS credentials for profile "dev"/],
    ['EC2 access denied names the action', named('UnauthorizedOperation', 'You are not authorized to perform this operation.', { $metadata: { httpStatusCode: 403 } }), 'accessDenied', /ec2:DescribeHosts/],
    ['throttling after retries', named('ThrottlingException', 'Rate exceeded', { $metadata: { httpStatusCode: 400, attempts: 3 } }), 'throttled', /after 3 attempts/],
    ['EC2 RequestLimitExceeded', named('RequestLimitExceeded', 'Request limit exceeded.'), 'throttled', /throttling/],
    ['endpoint refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'endpointUnreachable', /Cannot reach the AWS endpoint http:\/\/127\.0\.0\.1:1/],
    ['nested network cause', Object.assign(new Error('fetch failed'), { cause: { code: 'ENOTFOUND' } }), 'endpointUnreachable', /ENOTFOUND/],
    ['abort is cancellation', named('AbortError', 'Request aborted'), 'cancelled', /Cancelled/],
    ['timeout', named('TimeoutError', 'Connection timed out after 30000 ms'), 'timeout', /did not answer in time/],
  ];
  for (const [title, err, kind, message] of cases) {
    it(title, () => {
      const out = toActionableError(err, { profile: 'dev', region: 'us-east-1', action: 'ec2:DescribeHosts', endpointUrl: 'http://127.0.0.1:1' });
      assert.strictEqual(out.kind, kind);
      assert.match(out.message, message);
    });
  }

  it('never repeats a secret from the raw message', () => {
    const out = toActionableError(new Error('bad key AKIAABCDEFGHIJKLMNOP in request'), {});
    assert.doesNotMatch(out.message, /AKIAABCDEFGHIJKLMNOP/);
  });

  it('offers the SSO login command as a remedy', () => {
    const out = toActionableError(named('Error', 'SSO Token refresh failed. Please log in using "aws sso login"'), { profile: 'corp' });
    assert.deepStrictEqual(out.remedy, { kind: 'ssoLogin', profile: 'corp', command: 'aws sso login --profile corp' });
  });
});
