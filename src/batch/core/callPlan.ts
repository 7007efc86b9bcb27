/**
 * The fewest API calls a complete health check can make, given what is in the account. Benchmarks and tests
 * compare the calls actually made against this.
 *
 *   DescribeJobQueues           ceil(queues / 100)                         (maxResults ≤ 100)
 *   DescribeComputeEnvironments ceil(environments / 100)                   (≤ 100 names per call)
 *   ListJobs                    Σ over queues × {SUBMITTED, PENDING, RUNNABLE} of max(1, ceil(n / 1000))
 *                               (without a status only RUNNING jobs come back, so three statuses are needed;
 *                               1000 is the page size with jobStatus and no filter)
 *   DescribeJobs                ceil(stuck PENDING and RUNNABLE jobs / 100)
 *                               + Σ over dependency levels of ceil(new dependency ids / 100)
 * Each of DescribeJobQueues and DescribeComputeEnvironments is at least one call per Region.
 */
export interface CallPlanInput {
  readonly queues: number;
  readonly computeEnvironments: number;
  /** Jobs per queue per transit status. */
  readonly jobCounts: ReadonlyArray<Readonly<Record<'SUBMITTED' | 'PENDING' | 'RUNNABLE', number>>>;
  /** Stuck jobs needing detail (PENDING + RUNNABLE). */
  readonly detailJobs: number;
  /** New dependency ids fetched at each level of the chain chase. */
  readonly dependencyLevels?: readonly number[];
  readonly listPageSize?: number;
}

export function minimumCalls(input: CallPlanInput): Record<string, number> & { total: number } {
  const page = input.listPageSize ?? 1000;
  const describeQueues = Math.max(1, Math.ceil(input.queues / 100));
  const describeCes = input.computeEnvironments > 0 ? Math.max(1, Math.ceil(input.computeEnvironments / 100)) : 0;
  let listJobs = 0;
  for (const q of input.jobCounts) for (const n of [q.SUBMITTED, q.PENDING, q.RUNNABLE]) listJobs += Math.max(1, Math.ceil(n / page));
  const describeJobs = Math.ceil(input.detailJobs / 100) + (input.dependencyLevels ?? []).reduce((a, n) => a + Math.ceil(n / 100), 0);
  return {
    DescribeJobQueues: describeQueues,
    DescribeComputeEnvironments: describeCes,
    ListJobs: listJobs,
    DescribeJobs: describeJobs,
    total: describeQueues + describeCes + listJobs + describeJobs,
  };
}
