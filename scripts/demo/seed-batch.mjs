// Demo data for the Batch Health view: queues with jobs parked in SUBMITTED, PENDING (on a RUNNABLE and on a
// FAILED dependency) and RUNNABLE, a queue whose only compute environment is DISABLED, and a healthy queue.
//
// moto runs Batch jobs as Docker containers; without Docker a job's thread walks SUBMITTED → PENDING →
// RUNNABLE → STARTING and then FAILS when it tries to start the container. Its status moves only when moto's
// state manager says so (model "batch::job", default: one step per internal tick). We park jobs by switching
// that transition: "time" progression lets jobs advance one state every few seconds, and "manual" with a
// huge `times` freezes every job where it is. A job whose dependsOn names a job by ARN waits in PENDING
// forever in moto (it looks dependencies up by id), which is how the FAILED-dependency case stays visible.
import { BatchClient, CreateComputeEnvironmentCommand, CreateJobQueueCommand, DescribeJobsCommand, RegisterJobDefinitionCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import { EC2Client, CreateVpcCommand, CreateSubnetCommand, CreateSecurityGroupCommand } from '@aws-sdk/client-ec2';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function setJobTransition(endpoint, transition) {
  const res = await fetch(`${endpoint}/moto-api/state-manager/set-transition`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model_name: 'batch::job', transition }),
  });
  if (!res.ok) throw new Error(`moto set-transition failed: ${res.status}`);
}

export async function unsetJobTransition(endpoint) {
  await fetch(`${endpoint}/moto-api/state-manager/unset-transition`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model_name: 'batch::job' }) });
}

/** Freezes every moto Batch job in its current state. */
export const freezeJobs = (endpoint) => setJobTransition(endpoint, { progression: 'manual', times: 1_000_000_000 });

// IAM is only a prerequisite here (the project does not ship an IAM client): a plain Query API call to moto.
async function iamQuery(endpoint, params) {
  const res = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0' },
    body: new URLSearchParams({ Version: '2010-05-08', ...params }).toString(),
  });
  if (!res.ok) throw new Error(`moto IAM ${params.Action} failed: ${res.status} ${await res.text()}`);
}

/** Creates the IAM role, instance profile, VPC, subnet and security group a managed EC2 compute environment needs. */
export async function batchPrerequisites(endpoint, region) {
  const ec2 = new EC2Client({ endpoint, region, credentials });
  const suffix = Math.random().toString(36).slice(2, 8);
  const roleName = `opsdeck-batch-service-${suffix}`;
  const profileName = `opsdeck-ecs-instance-${suffix}`;
  await iamQuery(endpoint, { Action: 'CreateRole', RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'batch.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) });
  await iamQuery(endpoint, { Action: 'CreateInstanceProfile', InstanceProfileName: profileName });
  const role = { Role: { Arn: `arn:aws:iam::123456789012:role/${roleName}` } };
  const profile = { InstanceProfile: { Arn: `arn:aws:iam::123456789012:instance-profile/${profileName}` } };
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.42.0.0/16' }));
  const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc.VpcId, CidrBlock: '10.42.1.0/24' }));
  const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `opsdeck-batch-${suffix}`, Description: 'OpsDeck demo', VpcId: vpc.Vpc.VpcId }));
  ec2.destroy();
  return { serviceRole: role.Role.Arn, instanceRole: profile.InstanceProfile.Arn, subnets: [subnet.Subnet.SubnetId], securityGroupIds: [sg.GroupId] };
}

export async function createComputeEnvironment(batch, pre, name, { state = 'ENABLED', maxvCpus = 64, instanceTypes = ['optimal'], type = 'EC2' } = {}) {
  const computeResources = type.startsWith('FARGATE')
    ? { type, maxvCpus, subnets: pre.subnets, securityGroupIds: pre.securityGroupIds }
    : { type, minvCpus: 0, desiredvCpus: 0, maxvCpus, instanceTypes, subnets: pre.subnets, securityGroupIds: pre.securityGroupIds, instanceRole: pre.instanceRole };
  return batch.send(new CreateComputeEnvironmentCommand({ computeEnvironmentName: name, type: 'MANAGED', state, serviceRole: pre.serviceRole, computeResources }));
}

export async function waitForStatus(batch, wanted, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { jobs = [] } = await batch.send(new DescribeJobsCommand({ jobs: Object.keys(wanted) }));
    const now = Object.fromEntries(jobs.map((j) => [j.jobId, j.status]));
    if (Object.entries(wanted).every(([id, s]) => now[id] === s)) return now;
    if (Object.entries(wanted).some(([id, s]) => ['FAILED', 'SUCCEEDED', 'RUNNING', 'STARTING'].includes(now[id]) && !['FAILED', 'SUCCEEDED', 'RUNNING', 'STARTING'].includes(s))) {
      throw new Error(`moto moved a job past its parking state: ${JSON.stringify(now)}`);
    }
    if (Date.now() > deadline) throw new Error(`jobs did not reach ${JSON.stringify(wanted)}: ${JSON.stringify(now)}`);
    await sleep(200);
  }
}

/**
 * Submits jobs and parks each in the state its spec asks for: FAILED, RUNNABLE, PENDING (with `dependsOn` naming
 * another spec's key) or SUBMITTED. Returns key → jobId. Leaves moto's batch::job transition frozen; call
 * unsetJobTransition to restore it.
 *
 * Timeline with step S ("time" progression): RUNNABLE specs are submitted at 0 and are PENDING at S, RUNNABLE at
 * 2S; PENDING specs are submitted at S and are PENDING at 2S (their thread then waits on a dependency that never
 * finishes, and only reads of their status would move them on). Between 2S and 3S all are parked: freeze.
 * A dependency on a FAILED spec is given by ARN, because moto would otherwise fail the dependent job at once.
 */
export async function parkJobs(endpoint, batch, specs, { step = 4 } = {}) {
  const ids = {};
  const arns = {};
  const submit = async (spec) => {
    const dep = spec.dependsOn ? [{ jobId: specs.find((s) => s.key === spec.dependsOn).park === 'FAILED' ? arns[spec.dependsOn] : ids[spec.dependsOn] }] : undefined;
    const out = await batch.send(new SubmitJobCommand({ jobName: spec.name, jobQueue: spec.queue, jobDefinition: spec.jobDefinition, ...(dep ? { dependsOn: dep } : {}) }));
    ids[spec.key] = out.jobId;
    arns[spec.key] = out.jobArn;
  };
  const of = (park) => specs.filter((s) => s.park === park);
  const want = (list, status) => Object.fromEntries(list.map((s) => [ids[s.key], status]));
  await unsetJobTransition(endpoint);
  for (const s of of('FAILED')) await submit(s);
  if (of('FAILED').length) await waitForStatus(batch, want(of('FAILED'), 'FAILED'));
  await setJobTransition(endpoint, { progression: 'time', seconds: step });
  for (const s of of('RUNNABLE')) await submit(s);
  if (of('PENDING').length) {
    await waitForStatus(batch, want(of('RUNNABLE'), 'PENDING'), step * 4000);
    for (const s of of('PENDING')) await submit(s);
  }
  await waitForStatus(batch, { ...want(of('RUNNABLE'), 'RUNNABLE'), ...want(of('PENDING'), 'PENDING') }, step * 5000);
  await freezeJobs(endpoint);
  for (const s of of('SUBMITTED')) await submit(s);
  return ids;
}

export async function seed({ endpoint, regions = ['us-east-1'], log = () => {} }) {
  const region = regions[0] ?? 'us-east-1';
  const batch = new BatchClient({ endpoint, region, credentials });
  try {
    const pre = await batchPrerequisites(endpoint, region);
    await createComputeEnvironment(batch, pre, 'ondemand-c5', { maxvCpus: 64, instanceTypes: ['c5'] });
    await createComputeEnvironment(batch, pre, 'spot-disabled', { state: 'DISABLED', maxvCpus: 256, instanceTypes: ['m5', 'r5'] });
    await createComputeEnvironment(batch, pre, 'tiny', { maxvCpus: 4, instanceTypes: ['m5.large'] });
    const q = (name, ces, priority) => batch.send(new CreateJobQueueCommand({ jobQueueName: name, state: 'ENABLED', priority, computeEnvironmentOrder: ces.map((c, i) => ({ order: i + 1, computeEnvironment: c })) }));
    await q('nightly-etl', ['ondemand-c5'], 10);
    await q('ml-training', ['spot-disabled'], 5);
    await q('reports', ['tiny'], 1);
    await q('adhoc', ['ondemand-c5'], 1);
    const def = await batch.send(new RegisterJobDefinitionCommand({
      jobDefinitionName: 'etl', type: 'container',
      containerProperties: { image: 'public.ecr.aws/docker/library/busybox:latest', command: ['sleep', '60'], resourceRequirements: [{ type: 'VCPU', value: '2' }, { type: 'MEMORY', value: '4096' }] },
    }));
    const big = await batch.send(new RegisterJobDefinitionCommand({
      jobDefinitionName: 'train-big', type: 'container',
      containerProperties: { image: 'public.ecr.aws/docker/library/busybox:latest', command: ['train'], resourceRequirements: [{ type: 'VCPU', value: '32' }, { type: 'MEMORY', value: '131072' }] },
    }));
    const etl = def.jobDefinitionArn;
    const ids = await parkJobs(endpoint, batch, [
      { key: 'failed', name: 'extract-orders', queue: 'adhoc', jobDefinition: etl, park: 'FAILED' },
      { key: 'runnable', name: 'nightly-report', queue: 'nightly-etl', jobDefinition: etl, park: 'RUNNABLE' },
      { key: 'root', name: 'load-warehouse', queue: 'nightly-etl', jobDefinition: etl, park: 'RUNNABLE' },
      { key: 'ml', name: 'train-resnet', queue: 'ml-training', jobDefinition: etl, park: 'RUNNABLE' },
      { key: 'big', name: 'quarterly-rollup', queue: 'reports', jobDefinition: big.jobDefinitionArn, park: 'RUNNABLE' },
      { key: 'waits', name: 'publish-dashboard', queue: 'nightly-etl', jobDefinition: etl, park: 'PENDING', dependsOn: 'root' },
      { key: 'doomed', name: 'transform-orders', queue: 'nightly-etl', jobDefinition: etl, park: 'PENDING', dependsOn: 'failed' },
      { key: 'submitted', name: 'backfill-2025', queue: 'nightly-etl', jobDefinition: etl, park: 'SUBMITTED' },
    ]);
    log(`batch: parked jobs ${JSON.stringify(ids)} in ${region}`);
  } finally {
    batch.destroy();
  }
  // Jobs were created seconds ago: a threshold of 0.05 min (3 s) makes them "stuck" in the demo at once.
  return { 'opsdeck.batch.stuckThresholdMinutes': 0.05, 'opsdeck.batch.alerts': true };
}
