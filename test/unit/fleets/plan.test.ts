import * as assert from 'assert';
import { fleetTypeOf, type FleetType } from '../../../src/fleets/core/commitment';
import { instancesFor, planFleet } from '../../../src/fleets/core/plan';
import { renderPlanMarkdown, renderPlanText } from '../../../src/fleets/core/render';
import type { FleetRequest } from '../../../src/fleets/core/types';
import { ARTICLE_FLEET, articleFacts, articleObject } from './fixtures';

const article = (): FleetRequest => JSON.parse(ARTICLE_FLEET) as FleetRequest;
const summary = (req: FleetRequest, facts = articleFacts()): string[] => {
  const plan = planFleet(req, facts);
  return plan.expected.map((e) => `${e.instances}x${plan.rows[e.row].instanceType}`);
};

describe('fleets: capacity plan', () => {
  const table: [number, number, number][] = [
    [1, 1, 1], [1, 0.25, 4], [1, 0.5, 2], [1, 2, 1], [2, 2, 1], [3, 2, 2], [10, 0.3, 34], [0.3, 0.1, 3], [5, 4, 2], [7, 1, 7],
  ];
  for (const [target, weight, n] of table) {
    it(`ceil(${target} ÷ ${weight}) = ${n} instances (at least one)`, () => assert.strictEqual(instancesFor(target, weight), n));
  }

  it('plans the article\'s file to 4 × m5.large once m6.2xlarge and c5.2xlarge are ruled out', () => {
    const plan = planFleet(article(), articleFacts());
    assert.deepStrictEqual(plan.rows.map((r) => [r.instanceType, r.priority, r.instances, r.status]), [
      ['m6.2xlarge', 1, 1, 'unknown-type'],
      ['c5.2xlarge', 2, 1, 'no-capacity'],
      ['m5.large', 3, 4, 'fits'],
      ['m5.2xlarge', 4, 1, 'fits'],
      ['r5.2xlarge', 5, 1, 'not-configured'],
    ]);
    assert.deepStrictEqual(summary(article()), ['4xm5.large']);
    const m5 = plan.rows[2];
    assert.strictEqual(m5.vcpus! * m5.instances, 8);
    assert.strictEqual(m5.memoryMiB! * m5.instances, 32768);
    assert.strictEqual(plan.assumed, false);
    assert.strictEqual(plan.unfilled, 0);
    assert.strictEqual(plan.maxInstances, 4);
  });

  it('rules m6.2xlarge out by the Outpost configuration alone (no DescribeInstanceTypes facts)', () => {
    const plan = planFleet(article(), articleFacts(undefined, false));
    assert.strictEqual(plan.rows[0].status, 'not-configured');
  });

  it('with free c5.2xlarge the preferred-but-one override fills it', () => {
    assert.deepStrictEqual(summary(article(), articleFacts({ 'c5.2xlarge': 1, 'm5.large': 8 })), ['1xc5.2xlarge']);
  });

  it('single instance type: skips m5.large with only 3 free and takes m5.2xlarge', () => {
    assert.deepStrictEqual(summary(article(), articleFacts({ 'c5.2xlarge': 0, 'm5.large': 3, 'm5.2xlarge': 1 })), ['1xm5.2xlarge']);
  });

  it('mixed types when SingleInstanceType is off: 3 × m5.large then 1 × m5.2xlarge', () => {
    const o = articleObject() as FleetRequest;
    const req = { ...o, OnDemandOptions: { ...o.OnDemandOptions, SingleInstanceType: false }, TargetCapacitySpecification: { ...o.TargetCapacitySpecification, TotalTargetCapacity: 2, OnDemandTargetCapacity: 2 } };
    assert.deepStrictEqual(summary(req, articleFacts({ 'c5.2xlarge': 0, 'm5.large': 3, 'm5.2xlarge': 5 })), ['3xm5.large', '2xm5.2xlarge']);
  });

  it('reports unfilled capacity when nothing fits', () => {
    const plan = planFleet(article(), articleFacts({ 'c5.2xlarge': 0, 'm5.large': 0, 'm5.2xlarge': 0 }));
    assert.deepStrictEqual(plan.expected, []);
    assert.strictEqual(plan.unfilled, 1);
  });

  it('without capacity facts, assumes the first launchable override (and says so)', () => {
    const plan = planFleet(article(), {});
    assert.deepStrictEqual(plan.expected, [{ row: 0, instances: 1 }]);
    assert.strictEqual(plan.assumed, true);
  });

  it('orders by Priority, overrides without one last; lowest-price keeps the file order', () => {
    const o = articleObject() as FleetRequest;
    const overrides = [{ InstanceType: 'm5.2xlarge' }, { InstanceType: 'm5.large', Priority: 9 }, { InstanceType: 'c5.2xlarge', Priority: 0 }];
    const req = { ...o, LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: 'lt-1', Version: '1' }, Overrides: overrides }] };
    assert.deepStrictEqual(planFleet(req).rows.map((r) => r.instanceType), ['c5.2xlarge', 'm5.large', 'm5.2xlarge']);
    const lowest = { ...req, OnDemandOptions: { AllocationStrategy: 'lowest-price' } };
    assert.deepStrictEqual(planFleet(lowest).rows.map((r) => r.instanceType), ['m5.2xlarge', 'm5.large', 'c5.2xlarge']);
  });

  it('renders the plan as Markdown and text, marking the expected override', () => {
    const plan = planFleet(article(), articleFacts());
    const md = renderPlanMarkdown(plan, 'ec2-fleet.json');
    assert.match(md, /\| 3 \| `m5.large` \| 3 \| 0.25 \| 4 \| 8 \| 32 \| 8 \| fits \*\*← expected\*\* \|/);
    assert.match(md, /Expected: 4 × m5.large\./);
    assert.match(renderPlanText(plan, 'f'), /m5\.large\s+3\s+0\.25\s+4\s+8\s+32\s+8\s+fits <- expected/);
  });

  it('the most instances counts overrides with no free capacity now (capacity is a snapshot), not unlaunchable ones', () => {
    const o = articleObject() as FleetRequest;
    // c5.2xlarge has no free slot now but could launch later at weight 0.1: 10 instances; r5 is not configured.
    const overrides = [{ InstanceType: 'm5.2xlarge', WeightedCapacity: 1, Priority: 1 }, { InstanceType: 'c5.2xlarge', WeightedCapacity: 0.1, Priority: 2 }, { InstanceType: 'r5.2xlarge', WeightedCapacity: 0.05, Priority: 3 }];
    const req = { ...o, LaunchTemplateConfigs: [{ ...o.LaunchTemplateConfigs![0], Overrides: overrides }] };
    const plan = planFleet(req, articleFacts({ 'c5.2xlarge': 0, 'm5.large': 8, 'm5.2xlarge': 1 }));
    assert.deepStrictEqual(plan.rows.map((r) => [r.instanceType, r.instances, r.status]), [['m5.2xlarge', 1, 'fits'], ['c5.2xlarge', 10, 'no-capacity'], ['r5.2xlarge', 20, 'not-configured']]);
    assert.strictEqual(plan.maxInstances, 10);
    assert.strictEqual(plan.maxVcpus, 80);
  });
});

describe('fleets: what a launch commits to, per Type', () => {
  const withType = (type: string | undefined, extra: Partial<FleetRequest> = {}): FleetRequest => {
    const { Type: _t, ...rest } = article();
    return { ...rest, ...(type ? { Type: type } : {}), ...extra };
  };
  // [Type in the file, fleetTypeOf, headline, billing]
  const TABLE: [string | undefined, FleetType, RegExp, RegExp][] = [
    ['instant', 'instant', /^instant fleet: one attempt now for 1 capacity unit\(s\); it creates at most 4 instance\(s\) \(8 vCPUs\) now and never replaces them\.$/, /bill until you terminate them/],
    ['maintain', 'maintain', /^maintain fleet: keeps 1 capacity unit\(s\) running \(up to 4 instance\(s\) \(8 vCPUs\) at a time\) until you delete the fleet; EC2 launches asynchronously and replaces every instance that stops or fails\.$/, /^It bills until you delete the fleet: terminating its instances is not enough/],
    [undefined, 'maintain', /^maintain \(no Type in the file: EC2's default\) fleet: keeps 1 capacity unit\(s\) running/, /bills until you delete the fleet/],
    ['request', 'request', /^request fleet: a one-time request for 1 capacity unit\(s\) \(up to 4 instance\(s\) \(8 vCPUs\)\), fulfilled asynchronously; instances that stop are not replaced\.$/, /bill until you terminate them/],
  ];
  for (const [type, fleetType, headline, billing] of TABLE) {
    it(`Type ${type ?? '(absent)'}: ${fleetType}`, () => {
      const req = withType(type);
      assert.strictEqual(fleetTypeOf(req), fleetType);
      const plan = planFleet(req, articleFacts());
      assert.deepStrictEqual([plan.commitment.type, plan.commitment.typeDefaulted], [fleetType, type === undefined]);
      assert.match(plan.commitment.headline, headline);
      assert.match(plan.commitment.billing, billing);
      // The plan says it too, in both renderings.
      assert.ok(renderPlanMarkdown(plan, 'f').includes(plan.commitment.headline));
      assert.ok(renderPlanText(plan, 'f').includes(plan.commitment.billing));
    });
  }

  it('names the unit when the target is in vCPUs or MiB', () => {
    const req = withType('maintain', { TargetCapacitySpecification: { TotalTargetCapacity: 16, DefaultTargetCapacityType: 'on-demand', TargetCapacityUnitType: 'vcpu' } });
    assert.match(planFleet(req, articleFacts()).commitment.headline, /keeps 16 vcpu running/);
  });
});
