import * as assert from 'assert';
import { placeholderDiagnostics, validateLaunchTemplateFile, launchTarget } from '../../../src/fleets/core/launchTemplateFile';
import { parseJsonDocument } from '../../../src/fleets/core/document';
import { renderLaunchMarkdown, renderLaunchText } from '../../../src/fleets/core/render';
import { explainLaunch } from '../../../src/fleets/core/results';
import { expandSnippet, FLEET_FILE_SNIPPET, LAUNCH_TEMPLATE_FILE_SNIPPET } from '../../../src/fleets/core/templates';
import { validateFleet } from '../../../src/fleets/core/validate';
import type { FleetRequest } from '../../../src/fleets/core/types';
import { ARTICLE_FLEET, ARTICLE_LT_DATA } from './fixtures';

const req = JSON.parse(ARTICLE_FLEET) as FleetRequest;
const lt = { LaunchTemplateSpecification: { LaunchTemplateId: 'lt-010654c96462292e8', Version: '1' } };
/** The article's CreateFleet response, as printed there. */
const ARTICLE_RESPONSE = {
  FleetId: 'fleet-dc630649-5d77-60b3-2c30-09808ef8aa90',
  Errors: [
    { LaunchTemplateAndOverrides: { ...lt, Overrides: { InstanceType: 'm6.2xlarge', WeightedCapacity: 1.0, Priority: 1.0 } }, Lifecycle: 'on-demand', ErrorCode: 'InvalidParameterValue', ErrorMessage: "The instance type 'm6.2xlarge' is not supported in Outpost 'arn:aws:outposts:us-west-2:111111111111:outpost/op-0000ffff0000fffff'." },
    { LaunchTemplateAndOverrides: { ...lt, Overrides: { InstanceType: 'c5.2xlarge', WeightedCapacity: 1.0, Priority: 2.0 } }, Lifecycle: 'on-demand', ErrorCode: 'InsufficientCapacityOnOutpost', ErrorMessage: 'There is not enough capacity on the Outpost to launch or start the instance.' },
  ],
  Instances: [
    { LaunchTemplateAndOverrides: { ...lt, Overrides: { InstanceType: 'm5.large', WeightedCapacity: 0.25, Priority: 3.0 } }, Lifecycle: 'on-demand', InstanceIds: ['i-03d6323c8a1df8008', 'i-0f62593c8d228dba5', 'i-0ae25baae1f621c15', 'i-0af7e688d0460a60a'], InstanceType: 'm5.large' },
  ],
};

describe('fleets: launch result explained per override', () => {
  it('explains the article\'s response: two errors with advice, 4 × m5.large launched', () => {
    const r = explainLaunch(req, ARTICLE_RESPONSE);
    assert.strictEqual(r.outcome, 'launched');
    assert.strictEqual(r.instanceCount, 4);
    assert.strictEqual(r.launchedUnits, 1);
    assert.deepStrictEqual(r.rows.map((x) => [x.instanceType, x.instanceIds.length, x.errors.map((e) => e.code).join()]), [
      ['m6.2xlarge', 0, 'InvalidParameterValue'],
      ['c5.2xlarge', 0, 'InsufficientCapacityOnOutpost'],
      ['m5.large', 4, ''],
      ['m5.2xlarge', 0, ''],
      ['r5.2xlarge', 0, ''],
    ]);
    assert.match(r.rows[0].errors[0].advice, /not configured for this instance type/);
    assert.match(r.rows[1].errors[0].advice, /no free slot/);
    assert.match(renderLaunchText(r), /m5\.large \(priority 3, weight 0\.25\): launched 4/);
  });

  it('an instant fleet with HTTP 200 and zero instances is a failure', () => {
    const r = explainLaunch(req, { FleetId: 'fleet-1', Instances: [], Errors: ARTICLE_RESPONSE.Errors });
    assert.strictEqual(r.outcome, 'failed');
    assert.match(r.summary, /No instances launched \(fleet fleet-1 exists but is empty\)/);
  });

  it('short of the target is partial', () => {
    const twoUnits = { ...req, TargetCapacitySpecification: { ...req.TargetCapacitySpecification, TotalTargetCapacity: 2 } };
    assert.strictEqual(explainLaunch(twoUnits, ARTICLE_RESPONSE).outcome, 'partial');
  });

  it('InsufficientInstanceCapacity gets its own advice', () => {
    const r = explainLaunch(req, { Errors: [{ LaunchTemplateAndOverrides: { Overrides: { InstanceType: 'm5.large', WeightedCapacity: 0.25, Priority: 3 } }, ErrorCode: 'InsufficientInstanceCapacity', ErrorMessage: 'x' }] });
    assert.match(r.rows.find((x) => x.instanceType === 'm5.large')!.errors[0].advice, /no capacity of this type in this Availability Zone/);
  });
});

describe('fleets: launch result per fleet Type (EC2 returns Instances only for instant fleets)', () => {
  const { Type: _t, ...untyped } = req;
  const withType = (type: string | undefined): FleetRequest => (type ? { ...untyped, Type: type } : untyped);
  const instances = ARTICLE_RESPONSE.Instances;
  const errors = ARTICLE_RESPONSE.Errors;
  const ASYNC = /^fleet fleet-9 created; EC2 launches its instances asynchronously — watch it in the Outposts Fleets view\./;
  // [Type in the file, response, fleetType, outcome, summary] (exit codes: cliLaunch.test.ts)
  const TABLE: [string | undefined, object, string, string, RegExp][] = [
    ['instant', { FleetId: 'fleet-9', Instances: instances, Errors: errors }, 'instant', 'launched', /^4 instance\(s\) launched, 1 of 1/],
    ['instant', { FleetId: 'fleet-9', Instances: [], Errors: errors }, 'instant', 'failed', /^No instances launched \(fleet fleet-9 exists but is empty\): 2 override error/],
    ['instant', { FleetId: 'fleet-9' }, 'instant', 'failed', /^No instances launched/],
    ['maintain', { FleetId: 'fleet-9' }, 'maintain', 'submitted', ASYNC],
    ['maintain', { FleetId: 'fleet-9', Errors: errors }, 'maintain', 'submitted', /created; EC2 launches its instances asynchronously.* EC2 reported 2 override error\(s\)\.$/],
    ['request', { FleetId: 'fleet-9' }, 'request', 'submitted', ASYNC],
    ['request', { FleetId: 'fleet-9', Errors: errors }, 'request', 'submitted', /EC2 reported 2 override error/],
    [undefined, { FleetId: 'fleet-9' }, 'maintain', 'submitted', ASYNC],
    [undefined, { Errors: errors }, 'maintain', 'failed', /^No fleet was created \(no FleetId in the answer\): 2 override error/],
    ['maintain', {}, 'maintain', 'failed', /^No fleet was created/],
  ];
  for (const [type, response, fleetType, outcome, summary] of TABLE) {
    const keys = Object.entries(response).map(([k, v]) => (Array.isArray(v) ? `${k}[${v.length}]` : k)).join(', ') || 'empty answer';
    it(`Type ${type ?? '(absent)'}, ${keys} → ${outcome}`, () => {
      const r = explainLaunch(withType(type), response);
      assert.deepStrictEqual([r.fleetType, r.outcome], [fleetType, outcome]);
      assert.match(r.summary, summary);
      // Errors are reported per override whatever the Type.
      const reported = r.rows.flatMap((x) => x.errors.map((e) => e.code));
      assert.deepStrictEqual(reported, 'Errors' in response ? ['InvalidParameterValue', 'InsufficientCapacityOnOutpost'] : []);
    });
  }

  it('renders a submitted fleet as created, not failed, with its errors and advice', () => {
    const r = explainLaunch(withType('maintain'), { FleetId: 'fleet-9', Errors: errors });
    const md = renderLaunchMarkdown(r);
    assert.match(md, /^# Fleet launch: fleet created, instances launching asynchronously/);
    assert.doesNotMatch(md, /FAILED/);
    assert.match(md, /InsufficientCapacityOnOutpost.*\n.*no free slot/);
    assert.match(renderLaunchText(r), /m5\.large \(priority 3, weight 0\.25\): asynchronous/);
  });
});

describe('fleets: launch template file', () => {
  it('the article\'s launch template data plus a name is a valid file once placeholders are replaced', () => {
    const text = JSON.stringify({ LaunchTemplateName: 'outpost-lt', LaunchTemplateData: JSON.parse(ARTICLE_LT_DATA) });
    const withPlaceholders = validateLaunchTemplateFile(text);
    assert.strictEqual(withPlaceholders.diagnostics.filter((d) => d.code === 'placeholder').length, 5);
    const real = text.replace('<YOUR-AMI>', 'ami-12345678').replace('<YOUR-OUTPOST-SUBNET>', 'subnet-1').replace('<YOUR-OUTPOST-AZ>', 'us-west-2a').replace('<YOUR-TAG-KEY>', 'k').replace('<YOUR-TAG-VALUE>', 'v');
    const ok = validateLaunchTemplateFile(real);
    assert.deepStrictEqual(ok.diagnostics, []);
    assert.deepStrictEqual(launchTarget(ok.file!.LaunchTemplateData), { subnetId: 'subnet-1', availabilityZone: 'us-west-2a', instanceType: undefined });
  });

  it('flags a missing name, a bad name, data at the top level', () => {
    const codes = (t: string): string[] => validateLaunchTemplateFile(t).diagnostics.map((d) => d.code);
    assert.deepStrictEqual(codes('{"LaunchTemplateData": {}}'), ['launch-template-name-missing']);
    assert.deepStrictEqual(codes('{"LaunchTemplateName": "a b", "LaunchTemplateData": {}}'), ['launch-template-name-invalid']);
    assert.deepStrictEqual(codes('{"LaunchTemplateName": "abc", "ImageId": "ami-1"}'), ['unknown-key', 'launch-template-data-missing']);
  });

  it('placeholder ranges are the string values', () => {
    const t = '{"a": "<YOUR-AMI>"}';
    const [d] = placeholderDiagnostics(parseJsonDocument(t));
    assert.strictEqual(t.slice(d.offset, d.offset + d.length), '"<YOUR-AMI>"');
  });

  it('the new-file templates are valid once expanded (fleet) / flag their placeholders (launch template)', () => {
    const fleet = validateFleet(expandSnippet(FLEET_FILE_SNIPPET));
    assert.deepStrictEqual(fleet.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.ok(validateLaunchTemplateFile(expandSnippet(LAUNCH_TEMPLATE_FILE_SNIPPET)).diagnostics.every((d) => d.code === 'placeholder'));
  });
});
