/** AWS console links for Batch resources, in the right partition (commercial, GovCloud, China). */
function consoleHost(region: string): string {
  if (region.startsWith('us-gov-')) return `https://${region}.console.amazonaws-us-gov.com`;
  if (region.startsWith('cn-')) return `https://${region}.console.amazonaws.cn`;
  return `https://${region}.console.aws.amazon.com`;
}

export function jobConsoleUrl(region: string, jobId: string): string {
  return `${consoleHost(region)}/batch/home?region=${region}#jobs/detail/${encodeURIComponent(jobId)}`;
}

export function queueConsoleUrl(region: string, queueArn: string): string {
  return `${consoleHost(region)}/batch/home?region=${region}#queues/detail/${encodeURIComponent(queueArn)}`;
}

export function computeEnvironmentConsoleUrl(region: string, ceArn: string): string {
  return `${consoleHost(region)}/batch/home?region=${region}#compute-environments/detail/${encodeURIComponent(ceArn)}`;
}
