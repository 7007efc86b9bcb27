import * as assert from 'assert';
import { MAX_NESTING_DEPTH, positionAt } from '../../../src/fleets/core/document';
import { validateLaunchTemplateFile } from '../../../src/fleets/core/launchTemplateFile';
import { validateFleet } from '../../../src/fleets/core/validate';
import type { FleetDiagnostic, FleetFacts } from '../../../src/fleets/core/types';
import { ARTICLE_FLEET, articleFacts, articleObject, offsetOf, pretty } from './fixtures';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ov = (o: Obj, i: number): Obj => o.LaunchTemplateConfigs[0].Overrides[i];

interface Case {
  readonly name: string;
  readonly code: string;
  readonly severity: FleetDiagnostic['severity'];
  readonly edit?: (o: Obj) => void;
  readonly text?: string;
  readonly facts?: FleetFacts;
  /** The exact text the diagnostic must cover: `token` inside the `nth` occurrence of `anchor`. */
  readonly anchor: string;
  readonly token?: string;
  readonly nth?: number;
  readonly message?: RegExp;
  readonly count?: number;
}

/** Every rule, each breaking the article's file in one way (compact JSON, like the article's). */
const CASES: Case[] = [
  { name: 'prioritized without Priority on an override', code: 'priority-missing', severity: 'error', edit: (o) => delete ov(o, 1).Priority, anchor: '{"InstanceType":"c5.2xlarge","WeightedCapacity":1}' },
  { name: 'duplicate priorities', code: 'priority-duplicate', severity: 'warning', edit: (o) => (ov(o, 2).Priority = 2), anchor: '"Priority":2', token: '2', nth: 1, message: /used twice\. EC2 accepts equal priorities but does not say which of them it tries first/ },
  { name: 'negative priority', code: 'priority-negative', severity: 'error', edit: (o) => (ov(o, 0).Priority = -1), anchor: '"Priority":-1', token: '-1' },
  { name: 'fractional priority', code: 'priority-fraction', severity: 'warning', edit: (o) => (ov(o, 0).Priority = 1.5), anchor: '"Priority":1.5', token: '1.5' },
  { name: 'Priority with lowest-price is ignored', code: 'priority-ignored', severity: 'info', edit: (o) => (o.OnDemandOptions.AllocationStrategy = 'lowest-price'), anchor: '"Priority"', nth: 4, count: 5 },
  { name: 'WeightedCapacity 0', code: 'weight-not-positive', severity: 'error', edit: (o) => (ov(o, 2).WeightedCapacity = 0), anchor: '"WeightedCapacity":0,', token: '0' },
  { name: 'WeightedCapacity negative', code: 'weight-not-positive', severity: 'error', edit: (o) => (ov(o, 2).WeightedCapacity = -0.25), anchor: '"WeightedCapacity":-0.25', token: '-0.25' },
  { name: 'on-demand + spot above the total', code: 'capacity-sum', severity: 'error', edit: (o) => Object.assign(o.TargetCapacitySpecification, { OnDemandTargetCapacity: 2, SpotTargetCapacity: 1 }), anchor: '"TotalTargetCapacity":1', token: '1', message: /= 3 is more than TotalTargetCapacity 1/ },
  { name: 'remainder without DefaultTargetCapacityType', code: 'capacity-default-missing', severity: 'error', edit: (o) => { o.TargetCapacitySpecification.TotalTargetCapacity = 2; delete o.TargetCapacitySpecification.DefaultTargetCapacityType; }, anchor: '"TotalTargetCapacity":2', token: '2' },
  { name: 'all Spot, so the on-demand default applies to nothing', code: 'capacity-default-unused', severity: 'info', edit: (o) => Object.assign(o.TargetCapacitySpecification, { OnDemandTargetCapacity: 0, SpotTargetCapacity: 1 }), anchor: '"DefaultTargetCapacityType":"on-demand"', token: '"on-demand"' },
  { name: 'zero total', code: 'capacity-not-positive', severity: 'error', edit: (o) => (o.TargetCapacitySpecification.TotalTargetCapacity = 0), anchor: '"TotalTargetCapacity":0', token: '0' },
  { name: 'total over the fleet quota', code: 'capacity-over-quota', severity: 'error', edit: (o) => (o.TargetCapacitySpecification.TotalTargetCapacity = 10001), anchor: '10001' },
  { name: 'negative on-demand capacity', code: 'capacity-negative', severity: 'error', edit: (o) => (o.TargetCapacitySpecification.OnDemandTargetCapacity = -1), anchor: '-1' },
  { name: 'MinTargetCapacity without SingleInstanceType or SingleAvailabilityZone', code: 'min-target-needs-single', severity: 'error', edit: (o) => { delete o.OnDemandOptions.SingleInstanceType; o.OnDemandOptions.SingleAvailabilityZone = false; }, anchor: '"MinTargetCapacity":1', token: '1' },
  { name: 'MinTargetCapacity on a maintain fleet', code: 'min-target-not-instant', severity: 'error', edit: (o) => (o.Type = 'maintain'), anchor: '"MinTargetCapacity":1', token: '1' },
  { name: 'MinTargetCapacity above the total', code: 'min-target-exceeds-total', severity: 'error', edit: (o) => (o.OnDemandOptions.MinTargetCapacity = 2), anchor: '"MinTargetCapacity":2', token: '2' },
  { name: 'MinTargetCapacity above 1000', code: 'min-target-over-limit', severity: 'error', edit: (o) => { Object.assign(o.TargetCapacitySpecification, { TotalTargetCapacity: 2000, OnDemandTargetCapacity: 2000 }); o.OnDemandOptions.MinTargetCapacity = 1001; }, anchor: '1001' },
  { name: 'a type EC2 Fleet refuses (mac1.metal)', code: 'type-refused', severity: 'error', edit: (o) => (ov(o, 1).InstanceType = 'mac1.metal'), anchor: '"mac1.metal"', message: /Dedicated Host/ },
  { name: 'an unknown instance type (DescribeInstanceTypes facts)', code: 'type-unknown', severity: 'warning', facts: articleFacts(), anchor: '"m6.2xlarge"', message: /Did you mean "m6i.2xlarge"/ },
  { name: 'a type the Outpost is not configured for', code: 'type-not-on-outpost', severity: 'warning', facts: articleFacts(), anchor: '"r5.2xlarge"', message: /op-0000ffff0000fffff is not configured for r5.2xlarge/ },
  { name: 'no override can launch at all', code: 'no-launchable-override', severity: 'error', facts: articleFacts(), edit: (o) => (o.LaunchTemplateConfigs[0].Overrides = [{ InstanceType: 'm6.2xlarge', Priority: 1 }, { InstanceType: 'r5.2xlarge', Priority: 2 }]), anchor: '"LaunchTemplateConfigs"' },
  { name: 'a launch template that does not exist', code: 'launch-template-not-found', severity: 'error', facts: { ...articleFacts(), launchTemplates: new Map([['lt-010654c96462292e8', null]]) }, anchor: '"lt-010654c96462292e8"' },
  { name: 'a launch template version that does not exist', code: 'launch-template-version-not-found', severity: 'error', facts: articleFacts(), edit: (o) => (o.LaunchTemplateConfigs[0].LaunchTemplateSpecification.Version = '3'), anchor: '"3"' },
  { name: 'launch template without Version', code: 'launch-template-version-missing', severity: 'error', edit: (o) => delete o.LaunchTemplateConfigs[0].LaunchTemplateSpecification.Version, anchor: '{"LaunchTemplateId"', token: '{' },
  { name: 'launch template Version not a number/$Latest/$Default', code: 'launch-template-version-invalid', severity: 'error', edit: (o) => (o.LaunchTemplateConfigs[0].LaunchTemplateSpecification.Version = 'latest'), anchor: '"latest"' },
  { name: 'launch template with neither id nor name', code: 'launch-template-spec-missing', severity: 'error', edit: (o) => delete o.LaunchTemplateConfigs[0].LaunchTemplateSpecification.LaunchTemplateId, anchor: '{"Version"', token: '{' },
  { name: 'launch template with both id and name', code: 'launch-template-id-and-name', severity: 'error', edit: (o) => (o.LaunchTemplateConfigs[0].LaunchTemplateSpecification.LaunchTemplateName = 'x'), anchor: '"LaunchTemplateName"' },
  { name: 'no launch template configs', code: 'launch-template-configs-missing', severity: 'error', edit: (o) => (o.LaunchTemplateConfigs = []), anchor: '[]' },
  { name: 'no TargetCapacitySpecification', code: 'target-capacity-missing', severity: 'error', edit: (o) => delete o.TargetCapacitySpecification, anchor: '{', nth: 0 },
  { name: 'no Type (maintain by default)', code: 'type-default-maintain', severity: 'warning', edit: (o) => delete o.Type, anchor: '{', nth: 0 },
  { name: 'a fixed ClientToken in the file', code: 'client-token-in-file', severity: 'warning', edit: (o) => (o.ClientToken = 'abc'), anchor: '"abc"' },
  { name: 'DryRun in the file', code: 'dry-run-in-file', severity: 'info', edit: (o) => (o.DryRun = true), anchor: '"DryRun":true', token: 'true' },
  { name: 'InstanceType and InstanceRequirements together', code: 'type-and-requirements', severity: 'error', edit: (o) => (ov(o, 0).InstanceRequirements = { VCpuCount: { Min: 8 } }), anchor: '"InstanceRequirements"' },
  { name: 'override without a type, template without one', code: 'type-missing', severity: 'error', facts: articleFacts(), edit: (o) => (o.LaunchTemplateConfigs[0].Overrides = [{ WeightedCapacity: 1, Priority: 1 }]), anchor: '{"WeightedCapacity":1,"Priority":1}' },
  { name: 'Spot capacity on an Outpost subnet', code: 'spot-on-outpost', severity: 'error', facts: articleFacts(), edit: (o) => Object.assign(o.TargetCapacitySpecification, { TotalTargetCapacity: 2, OnDemandTargetCapacity: 1, SpotTargetCapacity: 1 }), anchor: '"SpotTargetCapacity":1', token: '1' },
  { name: 'known Outpost capacity cannot fill the target', code: 'capacity-unfillable', severity: 'warning', facts: articleFacts({ 'c5.2xlarge': 0, 'm5.large': 2, 'm5.2xlarge': 0 }), anchor: '"TotalTargetCapacity":1', token: '1' },
  { name: 'an unknown key (typo)', code: 'unknown-key', severity: 'error', edit: (o) => { ov(o, 0).Prority = ov(o, 0).Priority; delete ov(o, 0).Priority; }, anchor: '"Prority"', message: /Did you mean "Priority"/ },
  { name: 'an enum value that does not exist', code: 'bad-enum', severity: 'error', edit: (o) => (o.Type = 'instnat'), anchor: '"instnat"' },
  { name: 'a JSON type the CLI refuses', code: 'wrong-type', severity: 'error', edit: (o) => (o.OnDemandOptions.SingleInstanceType = 'true'), anchor: '"SingleInstanceType":"true"', token: '"true"' },
  { name: 'a decimal where the CLI wants an integer', code: 'wrong-type', severity: 'error', text: ARTICLE_FLEET.replace('"TotalTargetCapacity": 1,', '"TotalTargetCapacity": 1.0,'), anchor: '"TotalTargetCapacity": 1.0', token: '1.0' },
  { name: 'a trailing comma', code: 'json-syntax', severity: 'error', text: ARTICLE_FLEET.replace('"Type": "instant" }', '"Type": "instant", }'), anchor: '"instant", }', token: '}' },
  { name: 'a comment', code: 'json-syntax', severity: 'error', text: `// my fleet\n${ARTICLE_FLEET}`, anchor: '// my fleet', message: /Comments are not JSON/ },
  { name: 'a duplicate key', code: 'duplicate-key', severity: 'error', text: ARTICLE_FLEET.replace('"Type": "instant"', '"Type": "instant", "Type": "maintain"'), anchor: '"Type"', nth: 1 },
  { name: 'not an object', code: 'not-an-object', severity: 'error', text: '[1, 2]', anchor: '[1, 2]' },
];

describe('fleets: validator rules (exact ranges)', () => {
  it('accepts the article\'s ec2-fleet.json unchanged, with no facts', () => {
    assert.deepStrictEqual(validateFleet(ARTICLE_FLEET).diagnostics, []);
  });

  it('with the article\'s facts, only warns about m6.2xlarge (unknown) and r5.2xlarge (not on the Outpost)', () => {
    const d = validateFleet(ARTICLE_FLEET, articleFacts()).diagnostics;
    assert.deepStrictEqual(d.map((x) => [x.code, x.severity, ARTICLE_FLEET.slice(x.offset, x.offset + x.length)]), [
      ['type-unknown', 'warning', '"m6.2xlarge"'],
      ['type-not-on-outpost', 'warning', '"r5.2xlarge"'],
    ]);
  });

  for (const c of CASES) {
    it(`${c.code}: ${c.name}`, () => {
      let text = c.text;
      if (!text) {
        const o = articleObject();
        c.edit?.(o);
        text = JSON.stringify(o);
      }
      const { diagnostics } = validateFleet(text, c.facts ?? {});
      const hits = diagnostics.filter((d) => d.code === c.code);
      assert.ok(hits.length, `expected ${c.code}, got ${JSON.stringify(diagnostics.map((d) => d.code))}`);
      if (c.count !== undefined) assert.strictEqual(hits.length, c.count);
      const anchorAt = offsetOf(text, c.anchor, c.nth ?? 0);
      const token = c.token ?? c.anchor;
      const want = anchorAt + c.anchor.indexOf(token);
      const hit = hits.find((h) => h.offset === want) ?? hits[0];
      assert.strictEqual(text.slice(hit.offset, hit.offset + hit.length), token, `range of ${c.code}`);
      assert.strictEqual(hit.offset, want, `offset of ${c.code}`);
      assert.strictEqual(hit.severity, c.severity);
      if (c.message) assert.match(hit.message, c.message);
    });
  }

  it('reports line:col on a pretty-printed file (WeightedCapacity 0 on the third override)', () => {
    const o = articleObject();
    ov(o, 2).WeightedCapacity = 0;
    const text = pretty(o);
    const d = validateFleet(text).diagnostics.find((x) => x.code === 'weight-not-positive')!;
    assert.deepStrictEqual(positionAt(text, d.offset), { line: 33, column: 31 });
    assert.strictEqual(d.length, 1);
  });

  it('priority-missing names where "prioritized" was set (related range)', () => {
    const o = articleObject();
    delete ov(o, 4).Priority;
    const text = JSON.stringify(o);
    const d = validateFleet(text).diagnostics.find((x) => x.code === 'priority-missing')!;
    assert.strictEqual(text.slice(d.related!.offset, d.related!.offset + d.related!.length), '"prioritized"');
  });

  it('structural checks can be left to the JSON schema (editor), semantic ones stay', () => {
    const o = articleObject();
    o.Type = 'instnat';
    ov(o, 2).WeightedCapacity = 0;
    const codes = validateFleet(JSON.stringify(o), {}, { structural: false }).diagnostics.map((d) => d.code);
    assert.ok(!codes.includes('bad-enum'));
    assert.ok(codes.includes('weight-not-positive'));
  });

  it('says "not an object" even when structure is left to the schema (the editor): nothing else could be checked', () => {
    for (const text of ['[1, 2]', '"fleet"', 'null']) {
      const codes = validateFleet(text, {}, { structural: false }).diagnostics.map((d) => d.code);
      assert.deepStrictEqual(codes, ['not-an-object'], text);
    }
  });

  it('rules needing AWS facts stay silent until the facts are there', () => {
    const o = articleObject();
    ov(o, 0).InstanceType = 'zz9.nonsense';
    const codes = validateFleet(JSON.stringify(o), {}).diagnostics.map((d) => d.code);
    assert.ok(!codes.includes('type-unknown') && !codes.includes('launch-template-not-found'));
  });
});

describe('fleets: json-too-deep (JSON nested deeper than the AWS CLI can read)', () => {
  // `depth` levels of arrays inside the value of `key`, in an otherwise ordinary object (1 level for the object).
  const nested = (key: string, depth: number): string => `{"${key}": ${'['.repeat(depth)}${']'.repeat(depth)}}`;
  const deepest = (text: string): number => text.indexOf('['.repeat(MAX_NESTING_DEPTH)) + MAX_NESTING_DEPTH - 1;

  const files: [string, (text: string) => { diagnostics: FleetDiagnostic[] }][] = [
    ['fleet file', (t) => validateFleet(t)],
    ['launch template file', (t) => validateLaunchTemplateFile(t)],
  ];
  for (const [kind, validate] of files) {
    it(`${kind}: one level past the limit is one error on the first bracket too deep, and nothing else`, () => {
      const text = nested(kind === 'fleet file' ? 'LaunchTemplateConfigs' : 'LaunchTemplateData', MAX_NESTING_DEPTH);
      const { diagnostics } = validate(text);
      assert.deepStrictEqual(diagnostics.map((d) => [d.code, d.severity, d.offset, d.length]), [['json-too-deep', 'error', deepest(text), 1]]);
      assert.strictEqual(text[diagnostics[0].offset], '[');
      assert.match(diagnostics[0].message, new RegExp(`nested more than ${MAX_NESTING_DEPTH} levels deep: the AWS CLI cannot read it`));
    });

    it(`${kind}: exactly at the limit is read normally (no json-too-deep)`, () => {
      const text = nested('Whatever', MAX_NESTING_DEPTH - 1);
      assert.ok(!validate(text).diagnostics.some((d) => d.code === 'json-too-deep'));
    });

    it(`${kind}: 20,000 levels is refused with the diagnostic, not a stack overflow`, () => {
      const text = `${'{"a":'.repeat(10_000)}${'['.repeat(10_000)}`;
      const { diagnostics } = validate(text);
      assert.deepStrictEqual(diagnostics.map((d) => d.code), ['json-too-deep']);
      assert.strictEqual(diagnostics[0].offset, MAX_NESTING_DEPTH * '{"a":'.length);
    });

    it(`${kind}: brackets inside strings do not count`, () => {
      const text = `{"Name": "${'['.repeat(MAX_NESTING_DEPTH * 2)}"}`;
      assert.ok(!validate(text).diagnostics.some((d) => d.code === 'json-too-deep'));
    });
  }
});
