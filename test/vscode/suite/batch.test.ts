// Batch Health inside the real extension host: the view's tree (Region → queue → stuck jobs by status →
// diagnosis), the status bar alert text, the "show all queues" toggle and the threshold setting, against moto
// seeded with parked jobs (see scripts/demo/seed-batch.mjs for how moto is made to keep them in transit).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { BatchClient, CreateJobQueueCommand, RegisterJobDefinitionCommand } from '@aws-sdk/client-batch';
import { batchPrerequisites, createComputeEnvironment, parkJobs, unsetJobTransition } from '../../../scripts/demo/seed-batch.mjs';

interface RefreshResult {
  stuckCount: number;
  alert?: string;
  tree: string[];
}

const REGION = 'us-east-1';

describe('batch (extension host)', function () {
  this.timeout(120_000);
  const endpoint = process.env.OPSDECK_TEST_ENDPOINT ?? '';
  const config = () => vscode.workspace.getConfiguration('opsdeck');
  const saved: Record<string, unknown> = {};
  const keys = ['endpointUrl', 'regions', 'batch.stuckThresholdMinutes', 'batch.alerts'];

  before(async function () {
    if (!endpoint) {
      if (process.env.CI === 'true') throw new Error('OPSDECK_TEST_ENDPOINT is not set (moto) under CI=true');
      console.warn('  !!! SKIPPED batch extension-host tests: OPSDECK_TEST_ENDPOINT (moto) is not set');
      this.skip();
    }
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
    await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    const batch = new BatchClient({ region: REGION, endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const pre = await batchPrerequisites(endpoint, REGION);
    await createComputeEnvironment(batch, pre, 'exthost-od', { maxvCpus: 32, instanceTypes: ['c5'] });
    await createComputeEnvironment(batch, pre, 'exthost-off', { state: 'DISABLED', maxvCpus: 32, instanceTypes: ['m5'] });
    const queue = (name: string, ce: string) => batch.send(new CreateJobQueueCommand({ jobQueueName: name, state: 'ENABLED', priority: 1, computeEnvironmentOrder: [{ order: 1, computeEnvironment: ce }] }));
    await queue('exthost-etl', 'exthost-od');
    await queue('exthost-ml', 'exthost-off');
    await queue('exthost-idle', 'exthost-od');
    const def = await batch.send(new RegisterJobDefinitionCommand({ jobDefinitionName: 'exthost', type: 'container', containerProperties: { image: 'busybox', command: ['true'], resourceRequirements: [{ type: 'VCPU', value: '1' }, { type: 'MEMORY', value: '1024' }] } }));
    await parkJobs(endpoint, batch, [
      { key: 'f', name: 'extract', queue: 'exthost-idle', jobDefinition: def.jobDefinitionArn, park: 'FAILED' },
      { key: 'r', name: 'nightly-report', queue: 'exthost-etl', jobDefinition: def.jobDefinitionArn, park: 'RUNNABLE' },
      { key: 'm', name: 'train-model', queue: 'exthost-ml', jobDefinition: def.jobDefinitionArn, park: 'RUNNABLE' },
      { key: 'p', name: 'transform', queue: 'exthost-etl', jobDefinition: def.jobDefinitionArn, park: 'PENDING', dependsOn: 'f' },
      { key: 's', name: 'backfill', queue: 'exthost-etl', jobDefinition: def.jobDefinitionArn, park: 'SUBMITTED' },
    ]);
    batch.destroy();
    for (const k of keys) saved[k] = config().inspect(k)?.globalValue;
    await config().update('endpointUrl', endpoint, vscode.ConfigurationTarget.Global);
    await config().update('regions', [REGION], vscode.ConfigurationTarget.Global);
    await config().update('batch.stuckThresholdMinutes', 0.001, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    if (!endpoint) return;
    for (const k of keys) await config().update(k, saved[k], vscode.ConfigurationTarget.Global);
    await unsetJobTransition(endpoint);
  });

  const refresh = async (): Promise<RefreshResult> => {
    const out = (await vscode.commands.executeCommand('opsdeck.batch.refresh')) as RefreshResult | undefined;
    assert.ok(out, 'opsdeck.batch.refresh returned nothing (no Regions, or it failed: see the OpsDeck log)');
    return out;
  };

  it('shows Region → queue → stuck jobs by status → diagnosis, and the status bar alert', async () => {
    const r = await refresh();
    const tree = r.tree.join('\n');
    assert.equal(r.stuckCount, 4, tree);
    assert.equal(r.alert, '$(warning) Batch: 4 stuck');
    assert.match(tree, /^us-east-1 — 3 queues · 4 stuck$/m);
    assert.match(tree, /^ {2}exthost-etl — ENABLED\/VALID · priority 1 · 3 stuck/m);
    assert.match(tree, /^ {4}exthost-od — ENABLED\/VALID · vCPUs 0\/0\/32/m);
    assert.match(tree, /^ {6}RUNNABLE · \d+s {2}nightly-report — exthost:1$/m);
    assert.match(tree, /^ {8}Nothing in the queue's configuration rules this job out/m);
    assert.match(tree, /^ {8}Will never run: the job it depends on, "extract", FAILED\.$/m);
    assert.match(tree, /^ {6}SUBMITTED · \d+s {2}backfill/m);
    assert.match(tree, /^ {2}exthost-ml — .*1 stuck/m);
    assert.match(tree, /^ {8}Queue: The queue's only compute environment, "exthost-off", cannot run work: it is DISABLED\.$/m);
    assert.match(tree, /^ {2}1 healthy queue — exthost-idle$/m);
  });

  it('"show all queues" expands healthy queues in full', async () => {
    await vscode.commands.executeCommand('opsdeck.batch.showAllQueues');
    const all = (await refresh()).tree.join('\n');
    assert.match(all, /^ {2}exthost-idle — ENABLED\/VALID · priority 1$/m);
    assert.doesNotMatch(all, /healthy queue/);
    await vscode.commands.executeCommand('opsdeck.batch.showProblemQueues');
  });

  it('a higher threshold clears the alert', async () => {
    await config().update('batch.stuckThresholdMinutes', 600, vscode.ConfigurationTarget.Global);
    const r = await refresh();
    assert.equal(r.stuckCount, 0);
    assert.equal(r.alert, undefined);
    assert.match(r.tree.join('\n'), /No job in transit longer than 600 min/);
    await config().update('batch.stuckThresholdMinutes', 0.001, vscode.ConfigurationTarget.Global);
  });
});
