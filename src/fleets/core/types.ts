/**
 * The facts the fleet validator and planner work from. They come from AWS (DescribeInstanceTypes,
 * DescribeLaunchTemplates, DescribeSubnets, the Outposts API) through a cache the editor refreshes off the
 * keystroke path; the pure code never calls AWS. A missing field means "not known (yet)": rules that need it
 * stay silent rather than guess.
 */
export interface InstanceTypeFacts {
  readonly vcpus: number;
  readonly memoryMiB: number;
}

export interface LaunchTemplateFacts {
  readonly id: string;
  readonly name: string;
  readonly defaultVersion: number;
  readonly latestVersion: number;
  /** Version numbers known to exist (at least default and latest). */
  readonly versions?: readonly number[];
  /** From the version the fleet uses: where instances would go. */
  readonly subnetId?: string;
  readonly availabilityZone?: string;
  readonly instanceType?: string;
}

export interface SubnetFacts {
  readonly subnetId: string;
  readonly availabilityZone?: string;
  readonly outpostArn?: string;
}

export interface OutpostFacts {
  readonly outpostId: string;
  readonly outpostArn: string;
  readonly name?: string;
  readonly availabilityZone?: string;
  readonly lifeCycleStatus?: string;
  /** GetOutpostInstanceTypes: the types the Outpost is configured for, with vCPUs. */
  readonly configuredTypes?: ReadonlyMap<string, number>;
  /** Slots free now per type (ListAssets capacity − ListAssetInstances running); absent when unknown. */
  readonly available?: ReadonlyMap<string, number>;
  /** Slots per type on the Outpost's assets (ListAssets InstanceTypeCapacities). */
  readonly capacity?: ReadonlyMap<string, number>;
}

export interface FleetFacts {
  readonly region?: string;
  /** Instance types looked up in the Region (DescribeInstanceTypes): null = looked up, does not exist; absent = not checked. */
  readonly instanceTypes?: ReadonlyMap<string, InstanceTypeFacts | null>;
  /** For types that do not exist: real types of the same size in the families that extend it (m6 → m6i, m6a…). */
  readonly instanceTypeSuggestions?: ReadonlyMap<string, readonly string[]>;
  /** Launch templates looked up by id and by name; a key present with `null` means "looked up: not found". */
  readonly launchTemplates?: ReadonlyMap<string, LaunchTemplateFacts | null>;
  readonly subnets?: ReadonlyMap<string, SubnetFacts | null>;
  /** Outposts of the Region by ARN. */
  readonly outposts?: ReadonlyMap<string, OutpostFacts>;
}

export type Severity = 'error' | 'warning' | 'info';

export interface FleetDiagnostic {
  /** Stable rule id (also the Diagnostic code in the editor), e.g. "priority-missing". */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** Character offsets into the document text: the exact JSON value (or key) the problem is about. */
  readonly offset: number;
  readonly length: number;
  /** Another place that explains it (the first of two duplicate priorities). */
  readonly related?: { readonly offset: number; readonly length: number; readonly message: string };
}

/** The parts of a CreateFleet request OpsDeck reasons about (the file may carry more; it is sent as is). */
export interface FleetOverride {
  readonly InstanceType?: string;
  readonly WeightedCapacity?: number;
  readonly Priority?: number;
  readonly SubnetId?: string;
  readonly AvailabilityZone?: string;
  readonly InstanceRequirements?: unknown;
  readonly [key: string]: unknown;
}

export interface FleetLaunchTemplateConfig {
  readonly LaunchTemplateSpecification?: { readonly LaunchTemplateId?: string; readonly LaunchTemplateName?: string; readonly Version?: string };
  readonly Overrides?: readonly FleetOverride[];
}

export interface FleetRequest {
  readonly DryRun?: boolean;
  readonly ClientToken?: string;
  readonly Type?: string;
  readonly OnDemandOptions?: {
    readonly AllocationStrategy?: string;
    readonly SingleInstanceType?: boolean;
    readonly SingleAvailabilityZone?: boolean;
    readonly MinTargetCapacity?: number;
    readonly [key: string]: unknown;
  };
  readonly SpotOptions?: { readonly AllocationStrategy?: string; readonly MinTargetCapacity?: number; readonly SingleInstanceType?: boolean; readonly SingleAvailabilityZone?: boolean; readonly [key: string]: unknown };
  readonly LaunchTemplateConfigs?: readonly FleetLaunchTemplateConfig[];
  readonly TargetCapacitySpecification?: {
    readonly TotalTargetCapacity?: number;
    readonly OnDemandTargetCapacity?: number;
    readonly SpotTargetCapacity?: number;
    readonly DefaultTargetCapacityType?: string;
    readonly TargetCapacityUnitType?: string;
  };
  readonly [key: string]: unknown;
}
