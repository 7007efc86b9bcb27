import * as assert from 'assert';
import { decodeBlockedReason, TIME_LIMIT_REASONS } from '../../../src/batch/core/blockedReasons';
import { diagnoseQueue } from '../../../src/batch/core/queueRules';
import type { ComputeEnvironmentInfo, QueueInfo } from '../../../src/batch/core/types';
import { ce, queue } from './fixtures';

describe('batch queue rules', () => {
  const cases: Array<{ name: string; q: QueueInfo; ces: ComputeEnvironmentInfo[]; codes: string[]; health: string; canRunWork: boolean; evidence?: RegExp }> = [
    { name: 'healthy queue', q: queue(), ces: [ce()], codes: [], health: 'ok', canRunWork: true },
    { name: 'disabled queue is a warning', q: queue({ state: 'DISABLED' }), ces: [ce()], codes: ['QUEUE_DISABLED'], health: 'warning', canRunWork: true, evidence: /state: DISABLED/ },
    {
      name: 'invalid queue quotes statusReason',
      q: queue({ status: 'INVALID', statusReason: 'CLIENT_ERROR - compute environment ce-a is INVALID' }),
      ces: [ce()],
      codes: ['QUEUE_INVALID'],
      health: 'blocked',
      canRunWork: true,
      evidence: /statusReason "CLIENT_ERROR - compute environment ce-a is INVALID"/,
    },
    {
      name: 'blocked-queue capacity code',
      q: queue({ statusReason: 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - Service cannot fulfill the capacity requested for instance type [p5.48xlarge]' }),
      ces: [ce()],
      codes: ['BLOCKED:CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY'],
      health: 'blocked',
      canRunWork: true,
      evidence: /p5\.48xlarge/,
    },
    { name: 'every CE disabled', q: queue(), ces: [ce({ state: 'DISABLED', statusReason: 'turned off for maintenance' })], codes: ['NO_USABLE_COMPUTE_ENVIRONMENT'], health: 'blocked', canRunWork: false, evidence: /"turned off for maintenance"/ },
    {
      name: 'every CE disabled or invalid, each quoted',
      q: queue({ computeEnvironments: [ce().arn, ce({ name: 'ce-b' }).arn] }),
      ces: [ce({ state: 'DISABLED' }), ce({ name: 'ce-b', status: 'INVALID', statusReason: 'CLIENT_ERROR - Not authorized to perform sts:AssumeRole' })],
      codes: ['NO_USABLE_COMPUTE_ENVIRONMENT'],
      health: 'blocked',
      canRunWork: false,
      evidence: /sts:AssumeRole/,
    },
    {
      name: 'one of two CEs invalid is a warning',
      q: queue({ computeEnvironments: [ce().arn, ce({ name: 'ce-b' }).arn] }),
      ces: [ce(), ce({ name: 'ce-b', status: 'INVALID', statusReason: 'bad role' })],
      codes: ['CE_INVALID'],
      health: 'warning',
      canRunWork: true,
    },
    { name: 'maxvCpus 0 everywhere', q: queue(), ces: [ce({ maxvCpus: 0 })], codes: ['MAX_VCPUS_ZERO'], health: 'blocked', canRunWork: false, evidence: /maxvCpus: 0/ },
    { name: 'no compute environment at all', q: queue({ computeEnvironments: [] }), ces: [], codes: ['NO_COMPUTE_ENVIRONMENT'], health: 'blocked', canRunWork: false },
    { name: 'referenced CE not returned', q: queue({ computeEnvironments: [ce().arn, 'arn:gone'] }), ces: [ce()], codes: ['CE_MISSING'], health: 'warning', canRunWork: true },
    { name: 'unmanaged CE without maxvCpus can run', q: queue(), ces: [ce({ type: 'UNMANAGED', maxvCpus: undefined, instanceTypes: [] })], codes: [], health: 'ok', canRunWork: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = diagnoseQueue(c.q, c.ces);
      assert.deepStrictEqual(d.findings.map((f) => f.code), c.codes);
      assert.strictEqual(d.health, c.health);
      assert.strictEqual(d.canRunWork, c.canRunWork);
      for (const f of d.findings) assert.ok(f.evidence.length > 0, `${f.code} names its evidence`);
      if (c.evidence) assert.match(d.findings.flatMap((f) => f.evidence).join('\n'), c.evidence);
    });
  }
});

describe('batch blocked-queue reason decoding', () => {
  const table: Array<[string | undefined, string | undefined]> = [
    ['CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - Service cannot fulfill the capacity requested for instance type [c5.large]', 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY'],
    ['MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - CE(s) associated with the job queue cannot meet the CPU requirement of the job.', 'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE'],
    ['MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - The job resource requirement (vCPU/memory/GPU) is higher than that can be met by the CE(s) attached to the job queue.', 'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT'],
    ['MISCONFIGURATION:SERVICE_ROLE_PERMISSIONS - Batch service role has a permission issue.', 'MISCONFIGURATION:SERVICE_ROLE_PERMISSIONS'],
    ['ACTION_REQUIRED - CE(s) associated with the job queue are invalid.', 'ACTION_REQUIRED'],
    ['UNDETERMINED - Batch job is blocked, root cause is undetermined.', 'UNDETERMINED'],
    ['UNDETERMINED', 'UNDETERMINED'],
    ['JobQueue Healthy', undefined],
    ['Essential container in task exited', undefined],
    [undefined, undefined],
  ];
  for (const [text, code] of table) {
    it(`${text ?? '(none)'} → ${code ?? 'no code'}`, () => {
      const d = decodeBlockedReason(text);
      assert.strictEqual(d?.code, code);
      if (d) assert.ok(d.advice.length > 20);
    });
  }
  it('only the four capacity/misconfiguration reasons accept a time limit', () => {
    assert.deepStrictEqual(TIME_LIMIT_REASONS, ['CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY', 'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE', 'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT', 'MISCONFIGURATION:SERVICE_ROLE_PERMISSIONS']);
  });
});
