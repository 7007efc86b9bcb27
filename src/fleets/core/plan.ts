import { launchCommitment, type LaunchCommitment } from './commitment';
import { refusedByFleet, resolveOverrides } from './overrides';
import type { FleetFacts, FleetRequest } from './types';

/**
 * The capacity plan of a fleet file, before anything is launched: the overrides in the order EC2 Fleet tries
 * them, how many instances each would need on its own (ceil(target ÷ weight), at least one), their vCPUs and
 * memory, and — where the Outpost's free capacity is known — which override is expected to fill the target.
 */
export type RowStatus = 'refused' | 'unknown-type' | 'not-configured' | 'no-capacity' | 'fits' | 'partial' | 'capacity-unknown' | 'no-type';

export interface PlanRow {
  readonly configIndex: number;
  readonly overrideIndex?: number;
  readonly instanceType?: string;
  readonly priority?: number;
  readonly weight: number;
  /** Instances this override alone needs for the whole target. */
  readonly instances: number;
  readonly vcpus?: number;
  readonly memoryMiB?: number;
  readonly outpostId?: string;
  /** Free slots of this type on the Outpost, when known. */
  readonly available?: number;
  readonly status: RowStatus;
  readonly note: string;
}

export interface FilledRow {
  readonly row: number;
  readonly instances: number;
}

export interface FleetPlan {
  readonly target: number;
  readonly unit: string;
  readonly strategy: string;
  readonly orderedBy: 'priority' | 'price' | 'file';
  readonly singleInstanceType: boolean;
  readonly rows: readonly PlanRow[];
  /** Expected fill, in order; `assumed` when it relies on capacity OpsDeck could not see. */
  readonly expected: readonly FilledRow[];
  readonly assumed: boolean;
  /** Units still missing after the expected fill (0 when the plan fills the target). */
  readonly unfilled: number;
  /**
   * The most instances the fleet holds at one time: ceil(target ÷ smallest weight) over every override EC2 may
   * use (free capacity is a snapshot, so overrides with none now still count). What that means depends on the
   * Type (see commitment.ts): an instant fleet's total, a maintain fleet's size at any one time.
   */
  readonly maxInstances: number;
  readonly maxVcpus?: number;
  /** What launching commits to, per Type (what the confirmation states). */
  readonly commitment: LaunchCommitment;
}

const EPSILON = 1e-9;

/** ceil(target ÷ weight), at least 1; a weight above the target still launches one instance. */
export function instancesFor(target: number, weight: number): number {
  if (!(weight > 0) || !(target > 0)) return 0;
  return Math.max(1, Math.ceil(target / weight - EPSILON));
}

export function planFleet(request: FleetRequest, facts: FleetFacts = {}): FleetPlan {
  const tcs = request.TargetCapacitySpecification ?? {};
  const target = num(tcs.TotalTargetCapacity) ?? 0;
  const unit = typeof tcs.TargetCapacityUnitType === 'string' ? tcs.TargetCapacityUnitType : 'units';
  const spotOnly = tcs.DefaultTargetCapacityType === 'spot' && !(num(tcs.OnDemandTargetCapacity) ?? 0);
  const options = spotOnly ? request.SpotOptions : request.OnDemandOptions;
  const strategy = typeof options?.AllocationStrategy === 'string' ? options.AllocationStrategy : spotOnly ? 'price-capacity-optimized' : 'lowest-price';
  const prioritized = /prioritized/.test(strategy);
  const singleInstanceType = options?.SingleInstanceType === true;

  const rows = resolveOverrides(request, facts).map((r, fileOrder) => {
    const type = r.instanceType;
    const typeFacts = type ? facts.instanceTypes?.get(type) ?? undefined : undefined;
    const explicit = num(r.override.WeightedCapacity);
    const weight = explicit ?? (unit === 'vcpu' ? typeFacts?.vcpus : unit === 'memory-mib' ? typeFacts?.memoryMiB : undefined) ?? 1;
    const base = { configIndex: r.configIndex, overrideIndex: r.overrideIndex, instanceType: type, priority: num(r.override.Priority), weight, instances: instancesFor(target, weight), vcpus: typeFacts?.vcpus ?? r.outpost?.configuredTypes?.get(type ?? ''), memoryMiB: typeFacts?.memoryMiB, outpostId: r.outpost?.outpostId };
    const available = type ? r.outpost?.available?.get(type) : undefined;
    let status: RowStatus;
    let note: string;
    if (!type) [status, note] = ['no-type', 'No InstanceType here or in the launch template (InstanceRequirements are not planned).'];
    else if (refusedByFleet(type)) [status, note] = ['refused', 'EC2 Fleet refuses this type.'];
    else if (facts.instanceTypes?.get(type) === null) [status, note] = ['unknown-type', 'Not an instance type in this Region (DescribeInstanceTypes).'];
    else if (r.outpost?.configuredTypes && !r.outpost.configuredTypes.has(type)) [status, note] = ['not-configured', `Outpost ${r.outpost.outpostId} is not configured for it (expect InvalidParameterValue).`];
    else if (available === undefined) [status, note] = ['capacity-unknown', r.outpost ? `Configured on ${r.outpost.outpostId}; free capacity unknown.` : 'Capacity not known before launch.'];
    else if (available <= 0) [status, note] = ['no-capacity', `No free ${type} on ${r.outpost?.outpostId} (expect InsufficientCapacityOnOutpost).`];
    else if (available >= base.instances) [status, note] = ['fits', `${available} free on ${r.outpost?.outpostId}.`];
    else [status, note] = ['partial', `Only ${available} free on ${r.outpost?.outpostId}; ${base.instances} needed alone.`];
    return { row: { ...base, available, status, note } as PlanRow, fileOrder };
  });

  // EC2 Fleet tries prioritized overrides lowest number first; no Priority means lowest priority. Otherwise the
  // order is by price, which OpsDeck does not know: keep the file's order and say so.
  const ordered = prioritized
    ? [...rows].sort((a, b) => (a.row.priority ?? Number.POSITIVE_INFINITY) - (b.row.priority ?? Number.POSITIVE_INFINITY) || a.fileOrder - b.fileOrder)
    : rows;
  const planRows = ordered.map((r) => r.row);

  const expected: FilledRow[] = [];
  let remaining = target;
  let assumed = false;
  planRows.forEach((row, i) => {
    if (remaining <= EPSILON) return;
    if (!['fits', 'partial', 'capacity-unknown'].includes(row.status)) return;
    const need = instancesFor(remaining, row.weight);
    if (row.status === 'capacity-unknown') {
      if (singleInstanceType && expected.length) return;
      expected.push({ row: i, instances: need });
      remaining = 0;
      assumed = true;
      return;
    }
    const free = row.available ?? 0;
    if (singleInstanceType) {
      if (expected.length || free < need) return;
      expected.push({ row: i, instances: need });
      remaining = 0;
      return;
    }
    const take = Math.min(free, need);
    expected.push({ row: i, instances: take });
    remaining -= take * row.weight;
  });

  // Any mix of overrides stops once the target is met, so no fill has more instances than the smallest-weight
  // override alone. Refused, unknown and unconfigured types cannot launch; "no free capacity" is only now.
  const mayLaunch = planRows.filter((r) => ['fits', 'partial', 'capacity-unknown', 'no-capacity'].includes(r.status));
  const maxInstances = mayLaunch.reduce((m, r) => Math.max(m, r.instances), 0);
  const vcpuBounds = mayLaunch.map((r) => (r.vcpus === undefined ? undefined : r.vcpus * r.instances));
  const maxVcpus = vcpuBounds.every((v) => v !== undefined) && vcpuBounds.length ? Math.max(...(vcpuBounds as number[])) : undefined;
  const plan: Omit<FleetPlan, 'commitment'> = {
    target,
    unit,
    strategy,
    orderedBy: prioritized ? 'priority' : strategy === 'lowest-price' || /price/.test(strategy) ? 'price' : 'file',
    singleInstanceType,
    rows: planRows,
    expected,
    assumed,
    unfilled: Math.max(0, remaining > EPSILON ? remaining : 0),
    maxInstances,
    maxVcpus,
  };
  return { ...plan, commitment: launchCommitment(request, plan) };
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
