import { fleetTypeOf, type FleetType } from './commitment';
import type { FleetOverride, FleetRequest } from './types';

/**
 * Explains a CreateFleet response per override: what launched, what failed and what to do about it.
 * EC2 returns `Instances` only for `instant` fleets: an instant fleet can answer HTTP 200 with no instances at
 * all (everything in Errors), and that is a failure. A `maintain` or `request` fleet (maintain is the default
 * when the file has no Type) answers with its FleetId and launches asynchronously: zero instances in the
 * response is normal, so the outcome is "submitted", with any Errors still reported.
 */
export interface FleetResponseLike {
  readonly FleetId?: string;
  readonly Instances?: readonly {
    readonly LaunchTemplateAndOverrides?: { readonly Overrides?: FleetOverride & { readonly Priority?: number } };
    readonly InstanceIds?: readonly string[];
    readonly InstanceType?: string;
    readonly Lifecycle?: string;
  }[];
  readonly Errors?: readonly {
    readonly LaunchTemplateAndOverrides?: { readonly Overrides?: FleetOverride };
    readonly ErrorCode?: string;
    readonly ErrorMessage?: string;
    readonly Lifecycle?: string;
  }[];
}

export interface OverrideOutcome {
  readonly label: string;
  readonly instanceType?: string;
  readonly priority?: number;
  readonly weight?: number;
  readonly instanceIds: string[];
  readonly errors: { code: string; message: string; advice: string }[];
}

export interface LaunchReport {
  readonly fleetId?: string;
  /** The Type EC2 applied (the file's, or maintain when absent). */
  readonly fleetType: FleetType;
  /**
   * instant: launched (target met), partial, or failed (no instances). maintain/request: submitted (a FleetId:
   * EC2 launches asynchronously), or failed when no FleetId came back.
   */
  readonly outcome: 'launched' | 'partial' | 'failed' | 'submitted';
  readonly target: number;
  readonly launchedUnits: number;
  readonly instanceCount: number;
  readonly rows: OverrideOutcome[];
  readonly summary: string;
}

export function adviceFor(code: string, message = ''): string {
  switch (code) {
    case 'InsufficientCapacityOnOutpost':
      return 'The Outpost has no free slot of this type right now. Free some (stop or terminate instances of this type), keep a lower-priority override of another configured type with a matching WeightedCapacity, or reconfigure the Outpost with a capacity task.';
    case 'InvalidParameterValue':
      return /outpost|not supported/i.test(message)
        ? 'The Outpost is not configured for this instance type (GetOutpostInstanceTypes lists the configured ones). Keep it only as a future option with a higher Priority number, or remove it.'
        : 'EC2 refused a value of this override; read the message, fix the file and run Dry run.';
    case 'InsufficientInstanceCapacity':
      return 'EC2 has no capacity of this type in this Availability Zone now. Retry later, or add overrides of other types (or AZs) so the fleet can fall back.';
    case 'InvalidInstanceType':
    case 'Unsupported':
      return 'This instance type cannot be launched here; replace it or give it the lowest priority.';
    case 'UnauthorizedOperation':
      return 'Your role may not do this: it needs ec2:CreateFleet, ec2:RunInstances, ec2:CreateTags and iam:PassRole for the template\'s instance profile.';
    case 'InvalidLaunchTemplateId.NotFound':
    case 'InvalidLaunchTemplateName.NotFoundException':
      return 'Create the launch template first (CodeLens over its *.launch-template.json, or aws ec2 create-launch-template), then put its id in the fleet file.';
    case 'VcpuLimitExceeded':
    case 'InstanceLimitExceeded':
      return 'An account quota stops this launch; ask for a quota increase in Service Quotas or launch less.';
    default:
      return message || 'See the error message.';
  }
}

const key = (o: FleetOverride | undefined): string =>
  o ? [o.InstanceType ?? '', o.Priority ?? '', o.WeightedCapacity ?? '', o.SubnetId ?? '', o.AvailabilityZone ?? ''].join('|') : '';

export function explainLaunch(request: FleetRequest, response: FleetResponseLike): LaunchReport {
  const target = request.TargetCapacitySpecification?.TotalTargetCapacity ?? 0;
  const overrides = (request.LaunchTemplateConfigs ?? []).flatMap((c) => c?.Overrides ?? []);
  const rows = new Map<string, OverrideOutcome>();
  const rowFor = (o: FleetOverride | undefined, fallbackType?: string): OverrideOutcome => {
    const k = key(o) || `type:${fallbackType ?? ''}`;
    let row = rows.get(k);
    if (!row) {
      const type = o?.InstanceType ?? fallbackType;
      const bits = [o?.Priority !== undefined ? `priority ${o.Priority}` : '', o?.WeightedCapacity !== undefined ? `weight ${o.WeightedCapacity}` : ''].filter(Boolean).join(', ');
      row = { label: `${type ?? '(launch template type)'}${bits ? ` (${bits})` : ''}`, instanceType: type, priority: o?.Priority, weight: o?.WeightedCapacity, instanceIds: [], errors: [] };
      rows.set(k, row);
    }
    return row;
  };
  // Rows in the order EC2 tried them: priority, then file order.
  [...overrides].sort((a, b) => (a.Priority ?? Infinity) - (b.Priority ?? Infinity)).forEach((o) => rowFor(o));
  let launchedUnits = 0;
  let instanceCount = 0;
  for (const inst of response.Instances ?? []) {
    const o = inst.LaunchTemplateAndOverrides?.Overrides;
    const row = rowFor(o, inst.InstanceType);
    const ids = [...(inst.InstanceIds ?? [])];
    row.instanceIds.push(...ids);
    instanceCount += ids.length;
    const weight = o?.WeightedCapacity ?? overrides.find((x) => x.InstanceType === inst.InstanceType)?.WeightedCapacity ?? 1;
    launchedUnits += ids.length * weight;
  }
  for (const err of response.Errors ?? []) {
    const row = rowFor(err.LaunchTemplateAndOverrides?.Overrides);
    const code = err.ErrorCode ?? 'Error';
    row.errors.push({ code, message: err.ErrorMessage ?? '', advice: adviceFor(code, err.ErrorMessage) });
  }
  launchedUnits = Math.round(launchedUnits * 1e6) / 1e6;
  const fleetType = fleetTypeOf(request);
  const errorCount = response.Errors?.length ?? 0;
  let outcome: LaunchReport['outcome'];
  let summary: string;
  if (fleetType !== 'instant') {
    outcome = response.FleetId ? 'submitted' : 'failed';
    summary = response.FleetId
      ? `fleet ${response.FleetId} created; EC2 launches its instances asynchronously — watch it in the Outposts Fleets view.${errorCount ? ` EC2 reported ${errorCount} override error(s).` : ''}`
      : `No fleet was created (no FleetId in the answer)${errorCount ? `: ${errorCount} override error(s)` : ''}.`;
  } else {
    outcome = instanceCount === 0 ? 'failed' : launchedUnits + 1e-9 < target ? 'partial' : 'launched';
    summary =
      outcome === 'failed'
        ? `No instances launched${response.FleetId ? ` (fleet ${response.FleetId} exists but is empty)` : ''}: ${errorCount} override error(s).`
        : `${instanceCount} instance(s) launched, ${launchedUnits} of ${target} capacity unit(s)${outcome === 'partial' ? ' — short of the target' : ''}.`;
  }
  return { fleetId: response.FleetId, fleetType, outcome, target, launchedUnits, instanceCount, rows: [...rows.values()], summary };
}
