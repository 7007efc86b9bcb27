import * as assert from 'assert';
import { redactSecrets } from '../../../src/aws/redact';

describe('redactSecrets', () => {
  const cases: Array<[string, string, string]> = [
    ['access key id', 'key AKIAIOSFODNN7EXAMPLE used', 'AKIAIOSFODNN7EXAMPLE'],
    ['temporary key id', 'ASIAQWERTYUIOPASDFGH', 'ASIAQWERTYUIOPASDFGH'],
    ['secret key in ini form', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['session token in JSON', '{"sessionToken":"IQoJb3JpZ2luX2VjEHoaCXVzLWVhc3QtMSJHMEUCIQ"}', 'IQoJb3JpZ2luX2VjEHoaCXVzLWVhc3QtMSJHMEUCIQ'],
    ['private key', 'x -----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END RSA PRIVATE KEY----- y', 'MIIabc'],
    ['authorization header', 'Authorization: AWS4-HMAC-SHA256 Credential=abc/20260101', 'AWS4-HMAC-SHA256'],
  ];
  for (const [title, input, secret] of cases) {
    it(`removes a ${title}`, () => assert.ok(!redactSecrets(input).includes(secret), redactSecrets(input)));
  }
  it('removes explicitly named secrets', () => assert.strictEqual(redactSecrets('token=supersecretvalue!', ['supersecretvalue!']), 'token=[REDACTED]'));
  it('keeps ordinary text', () => assert.strictEqual(redactSecrets('DescribeHosts us-east-1 200 ms'), 'DescribeHosts us-east-1 200 ms'));
});
