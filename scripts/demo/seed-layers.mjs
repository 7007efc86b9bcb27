// Demo data for the Lambda Layers view: two layer manifests in the demo workspace, and moto Regions in every
// state the view distinguishes for "shared-utils":
//   us-east-1        in sync   (v1 = the workspace folder's content, shared with another account)
//   ap-southeast-2   in sync   (v1 older content, v2 = the workspace content)
//   us-west-2        behind    (only content published before the current one)
//   eu-west-1        drifted   (v1 = current content, then v2 with other content published later)
//   sa-east-1        missing   (in the manifest, never published)
// and "ops-tools" (a bin/ tool) in sync everywhere. The zips are built by OpsDeck's own deterministic builder
// (loaded from source through tsx), so the workspace folders hash exactly like the published versions.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AddLayerVersionPermissionCommand, LambdaClient, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { register } from 'tsx/cjs/api';

register();
const requireTs = createRequire(new URL('../../', import.meta.url));
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function writeTree(root, files) {
  for (const [rel, data] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), data);
  }
}

const utilsFiles = (version) => ({
  'nodejs/node_modules/@acme/utils/package.json': JSON.stringify({ name: '@acme/utils', version, main: 'index.js' }, null, 2),
  'nodejs/node_modules/@acme/utils/index.js': `exports.version = '${version}';\nexports.retry = async (fn, n = 3) => { for (let i = 1; ; i++) { try { return await fn(); } catch (e) { if (i >= n) throw e; } } };\n`,
});

/** Publishes `files` (zipped the way OpsDeck zips a "none" layer) as the next version in one Region. */
async function publish({ endpoint, region, name, files, description, grant }) {
  const { buildLayer } = requireTs('./src/layers/build.ts');
  const dir = join(process.env.TMPDIR ?? '/tmp', `opsdeck-seed-${name}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  writeTree(dir, files);
  const zip = await buildLayer({ source: dir, kind: 'none' });
  const lambda = new LambdaClient({ region, endpoint, credentials });
  try {
    const out = await lambda.send(new PublishLayerVersionCommand({ LayerName: name, Description: description, CompatibleRuntimes: ['nodejs20.x', 'nodejs22.x'], CompatibleArchitectures: ['x86_64', 'arm64'], Content: { ZipFile: zip.bytes } }));
    if (grant) await lambda.send(new AddLayerVersionPermissionCommand({ LayerName: name, VersionNumber: out.Version, StatementId: `opsdeck-account-${grant}`, Action: 'lambda:GetLayerVersion', Principal: grant }));
    return out;
  } finally {
    lambda.destroy();
  }
}

/** @param {{ endpoint: string, regions: string[], workspace: string, log: (m: string) => void }} options */
export async function seed({ endpoint, regions, workspace, log = () => {} }) {
  const [home = 'us-east-1', second = 'us-west-2', third = 'eu-west-1', fourth = 'ap-southeast-2'] = regions;
  const missing = [home, second, third, fourth].includes('sa-east-1') ? 'ca-central-1' : 'sa-east-1';
  const current = utilsFiles('2.1.0');

  writeTree(join(workspace, 'layers/shared-utils'), current);
  writeTree(join(workspace, 'layers/ops-tools'), { 'bin/healthcheck': '#!/bin/sh\necho ok\n' });
  writeFileSync(join(workspace, 'layers/shared-utils.layer.json'), `${JSON.stringify({
    name: 'shared-utils',
    description: 'ACME shared Node.js utilities',
    license: 'MIT',
    source: './shared-utils',
    build: 'none',
    compatibleRuntimes: ['nodejs20.x', 'nodejs22.x'],
    compatibleArchitectures: ['x86_64', 'arm64'],
    regions: [home, second, third, fourth, missing],
    permissions: [{ account: '111122223333' }],
  }, null, 2)}\n`);
  writeFileSync(join(workspace, 'layers/ops-tools.layer.json'), `${JSON.stringify({
    name: 'ops-tools', source: './ops-tools', build: 'none', compatibleRuntimes: ['provided.al2023'], regions: [home, second, third, fourth],
  }, null, 2)}\n`);

  const base = { endpoint, name: 'shared-utils', description: 'ACME shared Node.js utilities' };
  await publish({ ...base, region: second, files: utilsFiles('1.9.0') }); // behind: older content only
  await publish({ ...base, region: fourth, files: utilsFiles('2.0.0') });
  await sleep(1100); // CreatedDate has second-level meaning in the drift rule: keep "older" unambiguous
  await publish({ ...base, region: home, files: current, grant: '111122223333' });
  await publish({ ...base, region: fourth, files: current, grant: '111122223333' });
  await publish({ ...base, region: third, files: current, grant: '111122223333' });
  await sleep(1100);
  await publish({ ...base, region: third, files: utilsFiles('2.1.0-hotfix') }); // drifted: other content, later
  for (const region of [home, second, third, fourth]) {
    await publish({ endpoint, region, name: 'ops-tools', files: { 'bin/healthcheck': '#!/bin/sh\necho ok\n' } });
  }
  log(`layers: shared-utils in sync in ${home} and ${fourth}, behind in ${second}, drifted in ${third}, missing in ${missing}; ops-tools in sync in 4 Regions (manifests in layers/)`);
  return { 'opsdeck.layers.concurrency': 8 };
}
