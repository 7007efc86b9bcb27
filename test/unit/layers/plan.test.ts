import * as assert from 'assert';
import { permissionRequest, statementId, statementMatches, statementsOf, grantsOf } from '../../../src/layers/core/grants';
import { judgeDrift, pickReference, planPublish, type RegionObservation } from '../../../src/layers/core/plan';
import { failedRegions, renderDriftTable, renderResultMarkdown, renderResultTable, summarise, type PublishReport } from '../../../src/layers/core/results';

const A = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
const B = 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=';
const v = (version: number, codeSha256: string, createdDate = '2026-11-20T10:00:00.000+0000') => ({ version, codeSha256, arn: `arn:aws:lambda:r:1:layer:l:${version}`, createdDate });

describe('layers/core/plan: the publish plan', () => {
  const cases: Array<[string, RegionObservation, string, string, RegExp]> = [
    ['missing', { region: 'r' }, 'publish', 'missing', /not published here yet/],
    ['unchanged', { region: 'r', latest: v(12, A) }, 'skip', 'unchanged', /^unchanged, v12$/],
    ['changed (drift)', { region: 'r', latest: v(3, B) }, 'publish', 'changed', /v3 has other content \(BBBBBBBB ≠ AAAAAAAA\)/],
    ['check failed', { region: 'r', error: 'Access denied' }, 'fail', 'check-failed', /Access denied/],
  ];
  for (const [title, obs, action, reason, detail] of cases) {
    it(title, () => {
      const [p] = planPublish(A, [obs]);
      assert.strictEqual(p.action, action);
      assert.strictEqual(p.reason, reason);
      assert.match(p.detail, detail);
    });
  }
});

describe('layers/core/plan: drift', () => {
  const obs: RegionObservation[] = [
    { region: 'us-east-1', latest: v(12, A, '2026-11-20T10:00:00.000+0000') },
    { region: 'eu-west-1', latest: v(4, A, '2026-11-20T10:00:05.000+0000') },
    { region: 'ap-south-1', latest: v(2, B, '2026-11-01T10:00:00.000+0000') },
    { region: 'sa-east-1', latest: v(7, B, '2026-11-25T10:00:00.000+0000') },
    { region: 'ca-central-1' },
    { region: 'eu-north-1', error: 'Access denied' },
  ];
  it('judges in sync, behind, drifted, missing and unknown against a reference Region', () => {
    const drift = judgeDrift(obs, { sha: A, source: 'us-east-1', version: 12 });
    assert.deepStrictEqual(drift.map((d) => [d.region, d.state, d.badge]), [
      ['us-east-1', 'in-sync', 'reference'],
      ['eu-west-1', 'in-sync', 'same as us-east-1 v12'],
      ['ap-south-1', 'behind', 'behind: older content'],
      ['sa-east-1', 'drifted', 'drifted: other content published later'],
      ['ca-central-1', 'missing', 'missing'],
      ['eu-north-1', 'unknown', 'error'],
    ]);
  });
  it('against a local build nobody has yet, every Region with a version is behind', () => {
    const drift = judgeDrift(obs.slice(0, 4), { sha: 'CCC=', source: 'local build' });
    assert.deepStrictEqual(drift.map((d) => d.state), ['behind', 'behind', 'behind', 'behind']);
  });
  it('against a local build: same content says so', () => {
    assert.strictEqual(judgeDrift(obs.slice(0, 1), { sha: A, source: 'local build' })[0].badge, 'same as local build');
  });
  it('picks the most recently published Region as reference, or the one asked for', () => {
    assert.deepStrictEqual(pickReference(obs), { sha: B, source: 'sa-east-1', version: 7 });
    assert.deepStrictEqual(pickReference(obs, 'us-east-1'), { sha: A, source: 'us-east-1', version: 12 });
    assert.strictEqual(pickReference([{ region: 'x' }]), undefined);
  });
});

describe('layers/core/grants', () => {
  it('derives stable statement ids and requests', () => {
    assert.strictEqual(statementId({ kind: 'account', account: '123456789012' }), 'opsdeck-account-123456789012');
    assert.deepStrictEqual(permissionRequest({ kind: 'organization', organizationId: 'o-abcdefghij' }), { statementId: 'opsdeck-org-o-abcdefghij', action: 'lambda:GetLayerVersion', principal: '*', organizationId: 'o-abcdefghij' });
    assert.deepStrictEqual(permissionRequest({ kind: 'public' }), { statementId: 'opsdeck-public', action: 'lambda:GetLayerVersion', principal: '*' });
    assert.match(statementId({ kind: 'organization', organizationId: 'o-abcdefghij' }), /^[a-zA-Z0-9-_]{1,100}$/);
  });
  it('recognises an identical existing grant in a policy, in the shapes Lambda writes', () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [
      { Sid: 'opsdeck-account-123456789012', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'lambda:GetLayerVersion' },
      { Sid: 'opsdeck-org-o-abcdefghij', Effect: 'Allow', Principal: '*', Action: 'lambda:GetLayerVersion', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } } },
    ] });
    const s = statementsOf(policy);
    assert.ok(statementMatches(s.get('opsdeck-account-123456789012'), permissionRequest({ kind: 'account', account: '123456789012' })));
    assert.ok(statementMatches(s.get('opsdeck-org-o-abcdefghij'), permissionRequest({ kind: 'organization', organizationId: 'o-abcdefghij' })));
    assert.ok(!statementMatches(s.get('opsdeck-org-o-abcdefghij'), permissionRequest({ kind: 'public' })));
    assert.ok(!statementMatches(undefined, permissionRequest({ kind: 'public' })));
    assert.deepStrictEqual(grantsOf(policy), ['account 123456789012', 'organization o-abcdefghij']);
    assert.deepStrictEqual(grantsOf('not json'), []);
  });
});

describe('layers/core/results', () => {
  const report: PublishReport = {
    layerName: 'utils', codeSha256: A, zipBytes: 2048, wallMs: 1234, concurrency: 8,
    limits: { codeSizeZipped: 52_428_800, codeSizeUnzipped: 262_144_000, source: 'documented defaults' },
    results: [
      { region: 'us-east-1', action: 'published', detail: 'first version here', version: 1, arn: 'arn:1', grants: [{ statementId: 's', status: 'added' }], ms: 300 },
      { region: 'eu-west-1', action: 'skipped', detail: 'unchanged, v4', version: 4, arn: 'arn:4', grants: [], ms: 200 },
      { region: 'ap-south-1', action: 'failed', detail: 'failed', grants: [], ms: 100, error: 'Access denied | no' },
    ],
  };
  it('summarises and lists failed Regions', () => {
    assert.strictEqual(summarise(report), '1 published, 1 unchanged, 1 failed');
    assert.deepStrictEqual(failedRegions(report), ['ap-south-1']);
  });
  it('renders a terminal table and a markdown table with escaped cells', () => {
    const t = renderResultTable(report);
    assert.match(t, /^Region\s+Action\s+Version\s+Time\s+ARN \/ error$/m);
    assert.match(t, /eu-west-1\s+unchanged\s+v4/);
    const m = renderResultMarkdown(report, new Date(0));
    assert.match(m, /\| ap-south-1 \| failed \|  \|  \| 0\.10 s \|  \| Access denied \\\| no \|/);
    assert.match(m, /Retry Failed Layer Regions/);
  });
  it('renders the drift table', () => {
    const t = renderDriftTable('utils', judgeDrift([{ region: 'us-east-1', latest: v(1, A) }, { region: 'eu-west-1' }], { sha: A, source: 'us-east-1', version: 1 }));
    assert.match(t, /eu-west-1\s+—\s+—\s+missing/);
  });
});
