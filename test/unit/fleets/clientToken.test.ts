import * as assert from 'assert';
import { clientTokenFor, LaunchLedger, outcomeUnknown, requestFingerprint } from '../../../src/fleets/core/clientToken';
import type { FleetRequest } from '../../../src/fleets/core/types';
import { ARTICLE_FLEET } from './fixtures';

const req = JSON.parse(ARTICLE_FLEET) as FleetRequest;

describe('fleets: ClientToken per launch, reused on retry', () => {
  it('fingerprints the request, ignoring DryRun, ClientToken and key order', () => {
    const a = requestFingerprint('us-west-2', req);
    const reordered = Object.fromEntries(Object.entries(req).reverse()) as FleetRequest;
    assert.strictEqual(requestFingerprint('us-west-2', { ...reordered, DryRun: true, ClientToken: 'x' }), a);
    assert.notStrictEqual(requestFingerprint('us-east-1', req), a);
    assert.notStrictEqual(requestFingerprint('us-west-2', { ...req, Type: 'request' }), a);
  });

  it('tokens are at most 64 ASCII characters and differ per launch number', () => {
    const t1 = clientTokenFor('f', 1);
    assert.ok(t1.length <= 64 && /^[\x21-\x7e]+$/.test(t1));
    assert.notStrictEqual(clientTokenFor('f', 2), t1);
  });

  it('a retry while the first launch is in flight (response lost) reuses its token', () => {
    const ledger = new LaunchLedger();
    const fp = requestFingerprint('us-west-2', req);
    const first = ledger.begin(fp);
    assert.strictEqual(first.retry, false);
    const retry = ledger.begin(fp);
    assert.deepStrictEqual(retry, { token: first.token, retry: true, launchNumber: 1 });
  });

  it('survives a restart (persisted ledger): the retry still reuses the token', () => {
    const fp = requestFingerprint('us-west-2', req);
    const before = new LaunchLedger();
    const first = before.begin(fp);
    const after = new LaunchLedger(JSON.parse(JSON.stringify(before.toJSON())));
    assert.strictEqual(after.begin(fp).token, first.token);
  });

  it('a deliberate relaunch after a settled launch gets a new token', () => {
    const ledger = new LaunchLedger();
    const fp = requestFingerprint('us-west-2', req);
    const first = ledger.begin(fp);
    ledger.settle(fp, 'fleet-1');
    const second = ledger.begin(fp);
    assert.strictEqual(second.retry, false);
    assert.notStrictEqual(second.token, first.token);
    assert.strictEqual(second.launchNumber, 2);
  });

  it('an explicit relaunch while one is in flight also gets a new token', () => {
    const ledger = new LaunchLedger();
    const first = ledger.begin('fp');
    assert.notStrictEqual(ledger.begin('fp', { relaunch: true }).token, first.token);
  });

  const unknown: [string, unknown, boolean][] = [
    ['HTTP 503', { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }, true],
    ['HTTP 400', { name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } }, false],
    ['timeout', { name: 'TimeoutError', message: 'timed out' }, true],
    ['socket reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
    ['no error', undefined, false],
  ];
  for (const [name, err, want] of unknown) {
    it(`outcome unknown after ${name}: ${want}`, () => assert.strictEqual(outcomeUnknown(err), want));
  }
});
