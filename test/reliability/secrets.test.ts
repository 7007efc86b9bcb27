import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EC2Client, DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { ClientFactory } from '../../src/aws/clientFactory';
import { toActionableError } from '../../src/aws/errors';
import { redactSecrets } from '../../src/aws/redact';
import { Logger } from '../../src/shell/log';
import { motoEndpoint } from '../support/aws';
import { runCli } from './support/cli';
import { leaks, SENTINEL } from './support/sentinels';
import { startFaulty, type FaultyAws } from './support/faulty';
import type { OverlayRequest } from '../../scripts/lib/overlay.mjs';

/**
 * Sentinel access keys, a session token and a PEM private key, planted in the environment, in ~/.aws files
 * (through AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE) and in AWS error messages, must never appear in
 * the log channel, in CLI output (the built dist/cli.js, stdout and stderr) or in this suite's own output.
 */
const COMMANDS = [['whoami'], ['hosts'], ['batch', 'health'], ['layers', 'status', 'sentinel-layer'], ['whoami', '--json']];

/** An overlay handler that answers every call with an AWS error whose message quotes the secrets back. */
function echoingErrors(req: OverlayRequest) {
  const text = `The security token included in the request is invalid: ${SENTINEL.sessionToken} for ${SENTINEL.accessKeyId} (secret ${SENTINEL.secretAccessKey}) ${SENTINEL.privateKey.replace(/\n/g, ' ')}`;
  if (req.service === 'ec2' || req.headers['content-type']?.includes('x-www-form-urlencoded')) {
    return { status: 403, headers: { 'content-type': 'text/xml' }, body: Buffer.from(`<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>${text}</Message></Error><RequestId>1</RequestId></ErrorResponse>`.replace('<ErrorResponse>', req.service === 'ec2' ? '<Response><Errors>' : '<ErrorResponse>').replace('</ErrorResponse>', req.service === 'ec2' ? '</Errors></Response>' : '</ErrorResponse>').replace('<RequestId>1</RequestId></Response>', '</Errors><RequestID>1</RequestID></Response>')) };
  }
  return { status: 403, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'UnrecognizedClientException' }, body: Buffer.from(JSON.stringify({ message: text })) };
}

describe('reliability: secrets never reach logs, CLI output or test output', function () {
  this.timeout(180_000);
  let dir: string;
  let echo: FaultyAws;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-rel-secrets-'));
    fs.writeFileSync(path.join(dir, 'credentials'), `[sentinel]\naws_access_key_id = ${SENTINEL.accessKeyId}\naws_secret_access_key = ${SENTINEL.secretAccessKey}\naws_session_token = ${SENTINEL.sessionToken}\n`, { mode: 0o600 });
    // credential_process that prints the secrets inside broken JSON: the SDK's error must not carry them out.
    const proc = path.join(dir, 'creds.sh');
    fs.writeFileSync(proc, `#!/bin/sh\necho '{"Version": 1, "AccessKeyId": "${SENTINEL.accessKeyId}", "SecretAccessKey": "${SENTINEL.secretAccessKey}", "SessionToken": "${SENTINEL.sessionToken}"'\n`, { mode: 0o700 });
    fs.writeFileSync(path.join(dir, 'config'), `[profile sentinel]\nregion = us-east-1\n\n[profile broken-process]\nregion = us-east-1\ncredential_process = ${proc}\n`, { mode: 0o600 });
    echo = await startFaulty({ seed: 1, rules: [], handlers: [{ name: 'echo-secrets', handle: echoingErrors }] });
  });
  after(() => echo?.stop());

  const files = () => ({ AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), HOME: dir });
  const envKeys = { AWS_ACCESS_KEY_ID: SENTINEL.accessKeyId, AWS_SECRET_ACCESS_KEY: SENTINEL.secretAccessKey, AWS_SESSION_TOKEN: SENTINEL.sessionToken };

  const scenarios: Array<[string, () => Record<string, string>, () => string[]]> = [
    ['keys in the environment, moto answering', () => ({ ...envKeys, ...files() }), () => ['--endpoint-url', motoEndpoint(), '--region', 'us-east-1']],
    ['keys in ~/.aws/credentials (--profile), moto answering', files, () => ['--profile', 'sentinel', '--endpoint-url', motoEndpoint(), '--region', 'us-east-1']],
    ['keys in the environment, AWS errors that quote them back', () => ({ ...envKeys, ...files() }), () => ['--endpoint-url', echo.overlay.endpoint, '--region', 'us-east-1']],
    ['keys in ~/.aws, AWS errors that quote them back', files, () => ['--profile', 'sentinel', '--endpoint-url', echo.overlay.endpoint, '--region', 'us-east-1']],
    ['credential_process printing them in broken JSON', files, () => ['--profile', 'broken-process', '--endpoint-url', motoEndpoint(), '--region', 'us-east-1']],
    ['keys in the environment, endpoint down', () => ({ ...envKeys, ...files() }), () => ['--endpoint-url', 'http://127.0.0.1:9', '--region', 'us-east-1']],
  ];

  for (const [name, env, flags] of scenarios) {
    it(`CLI (${name}): no sentinel on stdout or stderr of any command`, async () => {
      const found: string[] = [];
      for (const cmd of COMMANDS) {
        const r = await runCli([...cmd, ...flags()], env(), 60_000);
        const leaked = leaks(r.stdout + r.stderr);
        if (leaked.length) found.push(`opsdeck ${cmd.join(' ')} (exit ${r.code}) printed the ${leaked.join(', ')}`);
      }
      assert.deepStrictEqual(found, []);
    });
  }

  it('the log channel: every line written through Logger (and ClientFactory.onCall errors) is redacted', async () => {
    const lines: string[] = [];
    const channel = Object.fromEntries(['trace', 'debug', 'info', 'warn', 'error'].map((level) => [level, (m: string) => lines.push(m)])) as never;
    const log = new Logger(channel, 'test');
    // What the extension does with a failed call: the factory reports it, the session logs it.
    const factory = new ClientFactory({
      settings: { regions: ['us-east-1'], endpointUrl: echo.overlay.endpoint, maxAttempts: 1, requestTimeoutMs: 5000 },
      credentials: async () => ({ accessKeyId: SENTINEL.accessKeyId, secretAccessKey: SENTINEL.secretAccessKey, sessionToken: SENTINEL.sessionToken }),
      version: 'test',
      onCall: (c) => { if (c.error) log.error(`${c.service}.${c.operation} failed in ${c.region}`, c.error); },
    });
    const err = await factory.client(EC2Client, 'us-east-1').send(new DescribeRegionsCommand({})).catch((e: unknown) => e);
    factory.dispose();
    log.error('DescribeRegions', err);
    log.info(`actionable: ${toActionableError(err).message}`);
    log.warn(`settings dump: aws_secret_access_key=${SENTINEL.secretAccessKey} aws_session_token=${SENTINEL.sessionToken}`);
    log.info(`key file: ${SENTINEL.privateKey}`);
    log.info(`sso: {"accessToken":"${SENTINEL.ssoAccessToken}"}`);
    assert.ok(lines.length >= 6);
    assert.deepStrictEqual(lines.map((l, i) => [i, leaks(l)]).filter(([, l]) => (l as string[]).length), []);
  });

  it('toActionableError never returns a sentinel, even when AWS quotes it back bare', () => {
    const bare = new Error(`Invalid token ${SENTINEL.sessionToken} for key ${SENTINEL.accessKeyId} secret ${SENTINEL.secretAccessKey}`);
    assert.deepStrictEqual(leaks(toActionableError(bare).message), []);
    assert.deepStrictEqual(leaks(redactSecrets(`${SENTINEL.privateKey}\n${SENTINEL.accessKeyId}`)), []);
  });

  it('redaction leaves ordinary ids alone: SHA-1s, CodeSha256 values, ARNs, instance ids, layer names', () => {
    const ordinary = [
      'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      'Rd3qN4ekQ5Lq0ZHhHrk4dKLmIgZC0vW0vZl0sN9u7nE=',
      'arn:aws:lambda:us-east-1:123456789012:layer:my-layer:3',
      'i-0123456789abcdef0 h-0123456789abcdef0 fleet-8c2d9f2e-1234-4a5b-9c8d-0123456789ab',
      'opsdeck-3f2a9c1b7d4e5f60718293a4b5c6d7e8f90123456789abcd',
    ];
    for (const text of ordinary) assert.strictEqual(redactSecrets(text), text);
  });
});
