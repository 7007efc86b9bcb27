/**
 * The plain shapes the Batch health rules work on. The service maps SDK responses into these, so the rules stay
 * free of the SDK and can be table-tested with literals.
 */
export const TRANSIT_STATUSES = ['SUBMITTED', 'PENDING', 'RUNNABLE'] as const;
export type TransitStatus = (typeof TRANSIT_STATUSES)[number];

export interface TimeLimitAction {
  readonly reason: string;
  readonly state: string;
  readonly maxTimeSeconds: number;
  readonly action: string;
}

export interface QueueInfo {
  readonly region: string;
  readonly arn: string;
  readonly name: string;
  readonly state: string; // ENABLED | DISABLED
  readonly status?: string; // CREATING | UPDATING | DELETING | DELETED | VALID | INVALID
  readonly statusReason?: string;
  readonly priority?: number;
  /** Compute environment ARNs in the queue's order. */
  readonly computeEnvironments: readonly string[];
  readonly jobQueueType?: string;
  readonly timeLimitActions: readonly TimeLimitAction[];
}

export interface ComputeEnvironmentInfo {
  readonly arn: string;
  readonly name: string;
  readonly state?: string; // ENABLED | DISABLED
  readonly status?: string; // VALID | INVALID | CREATING | UPDATING | DELETING | DELETED
  readonly statusReason?: string;
  readonly type?: string; // MANAGED | UNMANAGED
  /** EC2 | SPOT | FARGATE | FARGATE_SPOT (managed only). */
  readonly resourceType?: string;
  readonly minvCpus?: number;
  readonly desiredvCpus?: number;
  readonly maxvCpus?: number;
  readonly instanceTypes: readonly string[];
}

/** A ListJobs summary, tagged with where it came from. */
export interface JobSummaryInfo {
  readonly jobId: string;
  readonly jobArn?: string;
  readonly jobName: string;
  readonly status: string;
  readonly statusReason?: string;
  /** Epoch milliseconds. */
  readonly createdAt?: number;
  readonly jobDefinition?: string;
  readonly queueArn: string;
  readonly arraySize?: number;
}

/** What DescribeJobs adds that the rules need. */
export interface JobDetailInfo {
  readonly jobId: string;
  readonly jobArn?: string;
  readonly jobName: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly createdAt?: number;
  readonly jobQueue?: string;
  readonly dependsOn: readonly string[];
  /** vCPUs the job asks for (container.vcpus or the VCPU resource requirement). */
  readonly vcpus?: number;
  /** Memory in MiB the job asks for. */
  readonly memoryMiB?: number;
  readonly gpus?: number;
  readonly arrayStatusSummary?: Readonly<Record<string, number>>;
  readonly arraySize?: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** One reason a queue or a job is not moving: what, why we think so (evidence), and what to do. */
export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** Facts from AWS responses this finding rests on, e.g. `queue "etl" statusReason: "…"`. */
  readonly evidence: readonly string[];
  readonly advice?: string;
}

export interface StuckJob {
  readonly job: JobSummaryInfo;
  readonly status: TransitStatus;
  readonly ageMs: number;
  readonly thresholdMinutes: number;
  readonly findings: readonly Finding[];
  /** For PENDING jobs: the chain of dependencies to its root, nearest first. */
  readonly dependencyChain?: readonly DependencyLink[];
  readonly willNeverRun: boolean;
}

export interface DependencyLink {
  readonly jobId: string;
  readonly jobName?: string;
  readonly status: string; // a Batch status, or NOT_FOUND
  readonly statusReason?: string;
  readonly createdAt?: number;
}

export type QueueHealth = 'ok' | 'warning' | 'blocked';

export interface QueueReport {
  readonly queue: QueueInfo;
  readonly computeEnvironments: readonly ComputeEnvironmentInfo[];
  readonly findings: readonly Finding[];
  readonly health: QueueHealth;
  /** False when no compute environment of the queue can run work. */
  readonly canRunWork: boolean;
  readonly thresholdMinutes: number;
  readonly inTransit: Readonly<Record<TransitStatus, number>>;
  readonly stuck: readonly StuckJob[];
}

export interface RegionReport {
  readonly region: string;
  readonly queues: readonly QueueReport[];
  readonly error?: string;
  /** The ActionableError kind of `error` ("throttled", "accessDenied"…): polling backs off on throttling. */
  readonly errorKind?: string;
}

export interface HealthReport {
  readonly generatedAt: number;
  readonly regions: readonly RegionReport[];
  readonly stuckCount: number;
  readonly calls?: Readonly<Record<string, number>>;
}
