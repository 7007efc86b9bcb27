/**
 * Batch writes a code into a queue's (and the blocking job's) `statusReason` when a RUNNABLE job at the head of
 * the queue blocks it. This turns each code into plain advice. Codes are matched at the start of the text,
 * because Batch appends details ("… for instance type [c5.large]").
 */
export interface BlockedReason {
  readonly code: string;
  readonly title: string;
  readonly advice: string;
  /** Whether a queue's jobStateTimeLimitActions can name this reason (not for ACTION_REQUIRED/UNDETERMINED). */
  readonly timeLimitAllowed: boolean;
}

export const BLOCKED_REASONS: readonly BlockedReason[] = [
  {
    code: 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY',
    title: 'EC2 has no capacity for the instance types this queue may use',
    advice:
      'Allow more instance types or families (or "optimal"/"default_x86_64"), add subnets in other Availability Zones, or add a second compute environment (e.g. On-Demand behind Spot). Batch can only report this if its service role may call autoscaling:DescribeScalingActivities and ec2:DescribeSpotFleetRequestHistory.',
    timeLimitAllowed: true,
  },
  {
    code: 'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE',
    title: "the compute environments' maxvCpus is below what the job needs",
    advice: 'Raise maxvCpus on a compute environment of this queue to at least the job\'s vCPUs, or lower the job\'s vCPU request.',
    timeLimitAllowed: true,
  },
  {
    code: 'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT',
    title: 'no allowed instance type is large enough for the job',
    advice: 'Add a larger instance type to the compute environment, or lower the job\'s vCPU/memory/GPU request (leave headroom: the ECS agent reserves some memory on every instance).',
    timeLimitAllowed: true,
  },
  {
    code: 'MISCONFIGURATION:SERVICE_ROLE_PERMISSIONS',
    title: "Batch's service role lacks permissions it needs to scale",
    advice: 'Attach the AWSBatchServiceRolePolicy (or use the service-linked role AWSServiceRoleForBatch) to the compute environment\'s service role.',
    timeLimitAllowed: true,
  },
  {
    code: 'ACTION_REQUIRED',
    title: "the queue's compute environments are invalid",
    advice: 'Open each compute environment, read its statusReason and fix it (service role, instance role, subnets, launch template); an INVALID environment never scales.',
    timeLimitAllowed: false,
  },
  {
    code: 'UNDETERMINED',
    title: 'Batch could not determine why the queue is blocked',
    advice: 'Check the compute environment\'s Auto Scaling group activity, the EC2 vCPU quota, and that instances can reach the ECS endpoint (NAT or VPC endpoint) and register with the cluster. The SSM runbook AWSSupport-TroubleshootAWSBatchJob automates these checks.',
    timeLimitAllowed: false,
  },
];

/** The reasons a RUNNABLE time limit may name. */
export const TIME_LIMIT_REASONS: readonly string[] = BLOCKED_REASONS.filter((r) => r.timeLimitAllowed).map((r) => r.code);

/** Finds the blocked-queue code a statusReason starts with, if any. */
export function decodeBlockedReason(statusReason: string | undefined): BlockedReason | undefined {
  if (!statusReason) return undefined;
  const text = statusReason.trim();
  return BLOCKED_REASONS.find((r) => text === r.code || text.startsWith(`${r.code} `) || text.startsWith(`${r.code}-`) || text.startsWith(`${r.code}:`) || text.startsWith(`${r.code} -`));
}

/** True when a job's statusReason says a time-limit action cancelled it. */
export function isTimeLimitCancellation(statusReason: string | undefined): boolean {
  return /^Canceled by JobStateTimeLimit action/i.test(statusReason ?? '');
}
