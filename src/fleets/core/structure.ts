import type { Node } from 'jsonc-parser';
import { nodeAt, type JsonPath, type ParsedJson } from './document';
import type { FleetDiagnostic } from './types';

/**
 * The shape `aws ec2 create-fleet --cli-input-json` accepts, as far as a file can get wrong before AWS sees it:
 * unknown keys (the CLI refuses them: "Unknown parameter in input"), wrong JSON types (botocore refuses 1.0 where
 * it wants an integer) and enum values. Key lists are the botocore model's, as `--generate-cli-skeleton` prints
 * them. The editor gets the same checks from schemas/fleet.schema.json; the CLI and CI get them from here.
 */
type Kind = 'string' | 'boolean' | 'number' | 'integer' | 'object' | 'array';
interface Field {
  readonly kind: Kind;
  readonly values?: readonly string[];
}
type Shape = Readonly<Record<string, Field>>;

export const ENUMS = {
  Type: ['request', 'maintain', 'instant'],
  OnDemandAllocationStrategy: ['lowest-price', 'prioritized'],
  SpotAllocationStrategy: ['lowest-price', 'diversified', 'capacity-optimized', 'capacity-optimized-prioritized', 'price-capacity-optimized'],
  DefaultTargetCapacityType: ['spot', 'on-demand', 'capacity-block', 'reserved-capacity'],
  TargetCapacityUnitType: ['vcpu', 'memory-mib', 'units'],
  ExcessCapacityTerminationPolicy: ['no-termination', 'termination'],
} as const;

const f = (kind: Kind, values?: readonly string[]): Field => ({ kind, values });

const TOP: Shape = {
  DryRun: f('boolean'), ClientToken: f('string'), SpotOptions: f('object'), OnDemandOptions: f('object'),
  ReservedCapacityOptions: f('object'), ExcessCapacityTerminationPolicy: f('string', ENUMS.ExcessCapacityTerminationPolicy),
  LaunchTemplateConfigs: f('array'), TargetCapacitySpecification: f('object'), TerminateInstancesWithExpiration: f('boolean'),
  Type: f('string', ENUMS.Type), ValidFrom: f('string'), ValidUntil: f('string'), ReplaceUnhealthyInstances: f('boolean'),
  TagSpecifications: f('array'), Context: f('string'),
};
const ON_DEMAND: Shape = {
  AllocationStrategy: f('string', ENUMS.OnDemandAllocationStrategy), CapacityReservationOptions: f('object'),
  SingleInstanceType: f('boolean'), SingleAvailabilityZone: f('boolean'), MinTargetCapacity: f('integer'), MaxTotalPrice: f('string'),
};
const SPOT: Shape = {
  AllocationStrategy: f('string', ENUMS.SpotAllocationStrategy), MaintenanceStrategies: f('object'),
  InstanceInterruptionBehavior: f('string', ['hibernate', 'stop', 'terminate']), InstancePoolsToUseCount: f('integer'),
  SingleInstanceType: f('boolean'), SingleAvailabilityZone: f('boolean'), MinTargetCapacity: f('integer'), MaxTotalPrice: f('string'),
};
const TARGET: Shape = {
  TotalTargetCapacity: f('integer'), OnDemandTargetCapacity: f('integer'), SpotTargetCapacity: f('integer'),
  DefaultTargetCapacityType: f('string', ENUMS.DefaultTargetCapacityType), TargetCapacityUnitType: f('string', ENUMS.TargetCapacityUnitType),
};
const LT_CONFIG: Shape = { LaunchTemplateSpecification: f('object'), Overrides: f('array') };
const LT_SPEC: Shape = { LaunchTemplateId: f('string'), LaunchTemplateName: f('string'), Version: f('string'), LaunchTemplateSpecificationUserData: f('string') };
const OVERRIDE: Shape = {
  InstanceType: f('string'), MaxPrice: f('string'), SubnetId: f('string'), AvailabilityZone: f('string'), WeightedCapacity: f('number'),
  Priority: f('number'), Placement: f('object'), KeyName: f('string'), BlockDeviceMappings: f('array'), IamInstanceProfile: f('object'),
  MetadataOptions: f('object'), InstanceRequirements: f('object'), ImageId: f('string'), AvailabilityZoneId: f('string'),
};

/** Structural problems of a CreateFleet file: unknown keys, JSON types, enums. */
export function checkFleetStructure(doc: ParsedJson): FleetDiagnostic[] {
  const out: FleetDiagnostic[] = [];
  if (!doc.root) return out;
  if (doc.root.type !== 'object') {
    return [{ code: 'not-an-object', severity: 'error', message: 'A fleet file is one JSON object: the CreateFleet request.', offset: doc.root.offset, length: doc.root.length }];
  }
  checkObject(doc, [], TOP, 'the CreateFleet request', out);
  checkObject(doc, ['OnDemandOptions'], ON_DEMAND, 'OnDemandOptions', out);
  checkObject(doc, ['SpotOptions'], SPOT, 'SpotOptions', out);
  checkObject(doc, ['TargetCapacitySpecification'], TARGET, 'TargetCapacitySpecification', out);
  const configs = nodeAt(doc, ['LaunchTemplateConfigs']);
  configs?.children?.forEach((_c, i) => {
    checkObject(doc, ['LaunchTemplateConfigs', i], LT_CONFIG, 'a LaunchTemplateConfigs entry', out);
    checkObject(doc, ['LaunchTemplateConfigs', i, 'LaunchTemplateSpecification'], LT_SPEC, 'LaunchTemplateSpecification', out);
    nodeAt(doc, ['LaunchTemplateConfigs', i, 'Overrides'])?.children?.forEach((_o, j) => {
      checkObject(doc, ['LaunchTemplateConfigs', i, 'Overrides', j], OVERRIDE, 'an override', out);
    });
  });
  return out;
}

function checkObject(doc: ParsedJson, path: JsonPath, shape: Shape, what: string, out: FleetDiagnostic[]): void {
  const node = nodeAt(doc, path);
  if (!node || node.type !== 'object') return; // a wrong type here is reported by the parent's field check
  for (const prop of node.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (!keyNode) continue;
    const key = String(keyNode.value);
    const field = shape[key];
    if (!field) {
      const hint = suggest(key, Object.keys(shape));
      out.push({
        code: 'unknown-key',
        severity: 'error',
        message: `Unknown key "${key}" in ${what}: the AWS CLI refuses the file ("Unknown parameter in input").${hint ? ` Did you mean "${hint}"?` : ''}`,
        offset: keyNode.offset,
        length: keyNode.length,
      });
      continue;
    }
    if (valueNode) checkValue(doc, [...path, key], key, field, valueNode, out);
  }
}

function checkValue(doc: ParsedJson, path: JsonPath, key: string, field: Field, node: Node, out: FleetDiagnostic[]): void {
  const at = { offset: node.offset, length: node.length };
  const actual = node.type;
  const wanted = field.kind === 'integer' ? 'number' : field.kind;
  if (actual !== wanted) {
    out.push({ code: 'wrong-type', severity: 'error', message: `${key} must be ${article(field.kind)} ${field.kind}, not ${article(actual)} ${actual}.`, ...at });
    return;
  }
  if (field.kind === 'integer' && /[.eE]/.test(doc.text.slice(node.offset, node.offset + node.length))) {
    out.push({ code: 'wrong-type', severity: 'error', message: `${key} must be a whole number written without a decimal point (the AWS CLI refuses ${doc.text.slice(node.offset, node.offset + node.length)} for an integer).`, ...at });
    return;
  }
  if (field.values && typeof node.value === 'string' && !field.values.includes(node.value)) {
    out.push({ code: 'bad-enum', severity: 'error', message: `${key} "${node.value}" is not one of: ${field.values.join(', ')}.`, ...at });
  }
}

const article = (word: string): string => (/^[aeiou]/.test(word) ? 'an' : 'a');

/** The closest known key within two edits (typos like "Prority"), case-insensitively. */
export function suggest(word: string, candidates: readonly string[], maxDistance = 2): string | undefined {
  let best: string | undefined;
  let bestD = maxDistance + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}
