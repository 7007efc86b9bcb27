import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LaunchLedger, MAX_FINISHED, newClientToken, outcomeUnknown, parseLedger, PendingLaunchError, requestFingerprint } from '../../../src/fleets/core/clientToken';
import { loadLedgerFile } from '../../../src/fleets/core/ledgerFile';
import type { FleetRequest } from '../../../src/fleets/core/types';
import { ARTICLE_FLEET } from './fixtures';

const req = JSON.parse(ARTICLE_FLEET) as FleetRequest;
const REGION = 'us-west-2';
const fp = requestFingerprint(REGION, req);
const at = { region: REGION, source: '/w/ec2-fleet.json' };

describe('fleets: ClientToken per launch intent, reused on retry and resume', () => {
  it('fingerprints the request, ignoring DryRun, ClientToken and key order', () => {
    const reordered = Object.fromEntries(Object.entries(req).reverse()) as FleetRequest;
    assert.strictEqual(requestFingerprint(REGION, { ...reordered, DryRun: true, ClientToken: 'x' }), fp);
    assert.notStrictEqual(requestFingerprint('us-east-1', req), fp);
    assert.notStrictEqual(requestFingerprint(REGION, { ...req, Type: 'request' }), fp);
  });

  it('tokens are random, at most 64 printable ASCII characters', () => {
    const tokens = Array.from({ length: 50 }, newClientToken);
    assert.strictEqual(new Set(tokens).size, 50);
    for (const t of tokens) assert.ok(t.length <= 64 && /^opsdeck-[0-9a-f-]{36}$/.test(t), t);
  });

  it('two deliberate launches of the same file get different tokens, even with an empty ledger on a second machine', () => {
    const machineA = new LaunchLedger();
    const first = machineA.begin(fp, at);
    machineA.finish(fp, first.token, 'created', 'fleet-1');
    const second = machineA.begin(fp, at);
    assert.notStrictEqual(second.token, first.token);
    // A fresh state dir (another machine, workspace or CI runner): nothing in common but the request.
    const machineB = new LaunchLedger();
    const third = machineB.begin(fp, at);
    assert.ok(![first.token, second.token].includes(third.token), 'a fresh ledger must not reproduce an earlier token');
  });

  it('the pending token survives a restart (the ledger through JSON) and a resume reuses it', () => {
    const before = new LaunchLedger();
    const first = before.begin(fp, at);
    const after = new LaunchLedger(JSON.parse(JSON.stringify(before.toJSON())));
    assert.strictEqual(after.pending(fp)?.token, first.token);
    const resumed = after.begin(fp, { ...at, intent: 'resume' });
    assert.deepStrictEqual(resumed, { token: first.token, resumed: true });
    assert.strictEqual(after.pending(fp)?.resumes, 1);
  });

  it('never silently reuses: without an intent, a pending launch is an error that names it', () => {
    const ledger = new LaunchLedger();
    const first = ledger.begin(fp, at);
    assert.throws(() => ledger.begin(fp, at), (err: Error) => err instanceof PendingLaunchError && err.name === 'LaunchPending' && err.message.includes(first.token));
  });

  it('a finished launch is never resumed: resume without a pending launch is refused', () => {
    const ledger = new LaunchLedger();
    const first = ledger.begin(fp, at);
    ledger.finish(fp, first.token, 'created', 'fleet-1');
    assert.throws(() => ledger.begin(fp, { ...at, intent: 'resume' }), /No pending launch/);
    assert.deepStrictEqual([ledger.lastFinished(fp)?.result, ledger.lastFinished(fp)?.fleetId], ['created', 'fleet-1']);
  });

  it('"new" while one is pending: a new token, the pending one recorded as abandoned', () => {
    const ledger = new LaunchLedger();
    const first = ledger.begin(fp, at);
    const second = ledger.begin(fp, { ...at, intent: 'new' });
    assert.notStrictEqual(second.token, first.token);
    assert.strictEqual(ledger.pending(fp)?.token, second.token);
    assert.deepStrictEqual([ledger.lastFinished(fp)?.token, ledger.lastFinished(fp)?.result], [first.token, 'abandoned']);
  });

  it('finish() of an old token does not clear a newer pending launch', () => {
    const ledger = new LaunchLedger();
    const first = ledger.begin(fp, at);
    const second = ledger.begin(fp, { ...at, intent: 'new' });
    ledger.finish(fp, first.token, 'created');
    assert.strictEqual(ledger.pending(fp)?.token, second.token);
  });

  it('a pending launch of the same file with other content is reported, and abandoned by a new launch', () => {
    const ledger = new LaunchLedger();
    const old = ledger.begin(fp, at);
    const edited = requestFingerprint(REGION, { ...req, Type: 'maintain' });
    assert.deepStrictEqual(ledger.pendingElsewhere(at.source, edited).map((p) => p.token), [old.token]);
    ledger.begin(edited, at);
    assert.strictEqual(ledger.pending(fp), undefined);
    assert.strictEqual(ledger.lastFinished(fp)?.result, 'abandoned');
  });

  it('reads the version-1 ledger: in-flight entries stay resumable with their token, settled ones are finished', () => {
    const v1 = { a: { fingerprint: 'a', launchNumber: 1, token: 'opsdeck-old-a', state: 'in-flight', at: '2026-01-01T00:00:00.000Z' }, b: { fingerprint: 'b', launchNumber: 2, token: 'opsdeck-old-b', state: 'settled', fleetId: 'fleet-b', at: '2026-01-02T00:00:00.000Z' } };
    const ledger = new LaunchLedger(v1);
    assert.deepStrictEqual(ledger.begin('a', { region: REGION, intent: 'resume' }), { token: 'opsdeck-old-a', resumed: true });
    assert.strictEqual(ledger.pending('b'), undefined);
    assert.strictEqual(ledger.lastFinished('b')?.fleetId, 'fleet-b');
    assert.notStrictEqual(ledger.begin('b', { region: REGION }).token, 'opsdeck-old-b');
  });

  it('garbage ledger data becomes an empty ledger; adopt() takes in unknown pending launches only', () => {
    for (const junk of [null, 3, 'x', [], { version: 2, pending: 5 }, { version: 2, pending: { a: { token: 1 } } }]) assert.deepStrictEqual(parseLedger(junk), { version: 2, pending: {}, finished: {} });
    const ledger = new LaunchLedger();
    const mine = ledger.begin('a', { region: REGION });
    assert.strictEqual(ledger.adopt({ a: { token: 't-a', state: 'in-flight' }, c: { token: 't-c', state: 'in-flight' }, d: { token: 't-d', state: 'settled' } }), 1);
    assert.strictEqual(ledger.pending('a')?.token, mine.token);
    assert.strictEqual(ledger.pending('c')?.token, 't-c');
  });

  it('keeps only the newest finished launches', () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const ledger = new LaunchLedger(undefined, { now: () => new Date((clock += 1000)) });
    for (let i = 0; i < MAX_FINISHED + 5; i++) ledger.finish(`f${i}`, ledger.begin(`f${i}`, { region: REGION }).token, 'created');
    const finished = Object.keys(ledger.toJSON().finished);
    assert.strictEqual(finished.length, MAX_FINISHED);
    assert.ok(!finished.includes('f0') && finished.includes(`f${MAX_FINISHED + 4}`));
  });

  describe('ledger file', () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-ledger-'))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('saves atomically (no temp file left, mode 0600) and merges with launches another process saved meanwhile', async () => {
      const file = path.join(dir, 'state', 'fleet-launches.json');
      const a = await loadLedgerFile(file);
      const b = await loadLedgerFile(file);
      const ta = a.ledger.begin('fp-a', { region: REGION });
      await a.save();
      const tb = b.ledger.begin('fp-b', { region: REGION });
      await b.save();
      const onDisk = parseLedger(JSON.parse(fs.readFileSync(file, 'utf8')));
      assert.deepStrictEqual([onDisk.pending['fp-a']?.token, onDisk.pending['fp-b']?.token], [ta.token, tb.token], 'neither process dropped the other\'s pending launch');
      assert.deepStrictEqual(fs.readdirSync(path.dirname(file)), ['fleet-launches.json']);
      if (process.platform !== 'win32') assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600);
      a.ledger.finish('fp-a', ta.token, 'created', 'fleet-a');
      await a.save();
      const after = parseLedger(JSON.parse(fs.readFileSync(file, 'utf8')));
      assert.deepStrictEqual(Object.keys(after.pending), ['fp-b']);
      assert.strictEqual(after.finished['fp-a']?.fleetId, 'fleet-a');
    });

    it('a corrupt ledger file is moved aside with a warning, not silently lost', async () => {
      const file = path.join(dir, 'fleet-launches.json');
      fs.writeFileSync(file, '{"version": 2, "pending": {');
      const loaded = await loadLedgerFile(file);
      assert.match(loaded.warning ?? '', /not valid JSON; it was moved to fleet-launches\.json\.corrupt-\d+/);
      assert.ok(fs.readdirSync(dir).some((n) => n.startsWith('fleet-launches.json.corrupt-')));
    });
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
