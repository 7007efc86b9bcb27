// `npm start`: the demo. A real VS Code (code-server) in your browser with OpsDeck installed, talking to a local
// AWS emulator (moto_server) seeded with a demo account. Ctrl+C stops everything it started.
//   npm start                    demo against moto + the overlay for APIs moto lacks (Kafka mappings, Outposts)
//   npm start -- --profile NAME  the same VS Code against real AWS with your profile (nothing is seeded)
//   npm start -- --port 8080     fixed port for the workbench
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startCodeServer } from './lib/codeServer.mjs';
import { startMoto } from './lib/moto.mjs';
import { startOverlay } from './lib/overlay.mjs';
import { repoRoot } from './lib/paths.mjs';
import { ensureTools } from './lib/tools.mjs';
import { packageExtension, installPackagedExtension } from './lib/vsix.mjs';

const { values } = parseArgs({ options: { profile: { type: 'string' }, port: { type: 'string' }, region: { type: 'string', multiple: true } } });
const log = (msg) => console.log(`[opsdeck] ${msg}`);
// The SDK warns that it will need Node 22 from 2027; the demo's seeders run on the machine's Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const DEMO_REGIONS = values.region ?? ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
const demoDir = join(repoRoot, '.demo');
const stops = [];

async function stopAll() {
  for (const stop of stops.reverse()) await stop().catch(() => {});
}
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    await stopAll();
    log('stopped every process this demo started.');
    process.exit(0);
  });
}

/** Imports every module in a folder and returns their exports (overlay handlers, seeders). */
async function modulesIn(folder) {
  const dir = join(repoRoot, 'scripts', folder);
  let files = [];
  try { files = readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort(); } catch { /* none yet */ }
  return Promise.all(files.map(async (f) => ({ file: f, exports: await import(pathToFileURL(join(dir, f)).href) })));
}

try {
  log('1/5 checking the test VS Code (Node 24 + code-server in .tools/)…');
  const tools = await ensureTools({ log });

  rmSync(demoDir, { recursive: true, force: true });
  const workspace = join(demoDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  let settings = { 'opsdeck.regions': DEMO_REGIONS };
  let env = {};

  if (values.profile) {
    log(`2/5 using real AWS with profile "${values.profile}" (nothing is seeded)`);
    settings = { 'opsdeck.profile': values.profile, 'opsdeck.regions': values.region ?? [] };
  } else {
    log('2/5 starting moto_server and the OpsDeck overlay…');
    const moto = await startMoto({ log });
    stops.push(moto.stop);
    const overlayState = {};
    const handlers = [];
    for (const { file, exports } of await modulesIn('overlay')) {
      for (const [name, factory] of Object.entries(exports)) {
        if (name.endsWith('Handler') && typeof factory === 'function') {
          handlers.push(factory(overlayState));
          log(`   overlay: ${name} (${file}) answers what moto lacks`);
        }
      }
    }
    const overlay = await startOverlay({ upstream: moto.endpoint, handlers, log });
    stops.push(overlay.stop);

    log('3/5 seeding the demo account…');
    for (const { file, exports } of await modulesIn('demo')) {
      if (typeof exports.seed !== 'function') continue;
      const started = Date.now();
      const extra = await exports.seed({ endpoint: overlay.endpoint, motoEndpoint: moto.endpoint, regions: DEMO_REGIONS, workspace, log: (m) => log(`   ${m}`), overlayState });
      if (extra && typeof extra === 'object') settings = { ...settings, ...extra };
      log(`   ${file} done in ${Date.now() - started} ms`);
    }
    settings['opsdeck.endpointUrl'] = overlay.endpoint;
    env = { AWS_ACCESS_KEY_ID: 'AKIADEMOOPSDECK00001', AWS_SECRET_ACCESS_KEY: 'demo-secret-not-real', AWS_REGION: DEMO_REGIONS[0] };
  }

  log('4/5 building and installing the extension…');
  const extensionsDir = join(demoDir, 'extensions');
  const userDataDir = join(demoDir, 'user-data');
  const vsix = await packageExtension({ log });
  await installPackagedExtension(vsix, extensionsDir, { userDataDir, log, tools });
  writeFileSync(join(workspace, 'README-demo.md'), '# OpsDeck demo workspace\n\nOpen the AWS OpsDeck icon in the activity bar.\n');

  log('5/5 starting VS Code (code-server)…');
  const server = await startCodeServer({
    userDataDir,
    extensionsDir,
    settings,
    env,
    workspaceFolder: workspace,
    inheritAwsEnv: Boolean(values.profile),
    port: values.port ? Number(values.port) : undefined,
    log,
    tools,
  });
  stops.push(server.stop);
  console.log(`\n  AWS OpsDeck is running. Open ${server.url}\n  (${values.profile ? `real AWS, profile ${values.profile}` : 'demo account on a local emulator'}; Ctrl+C stops everything)\n`);
  await new Promise(() => {});
} catch (err) {
  console.error(`[opsdeck] ${err.stack ?? err}`);
  await stopAll();
  process.exit(1);
}
