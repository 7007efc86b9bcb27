// `npm start`: the demo. A real VS Code (code-server) in your browser with OpsDeck installed, talking to a local
// AWS emulator (moto_server) seeded with a demo account. Ctrl+C stops everything it started.
//   npm start                          demo against moto + the overlay for what moto lacks (Kafka mappings, Outposts)
//   npm start -- --profile NAME        the same VS Code against real AWS with your profile (nothing is seeded)
//   npm start -- --region us-east-1    Regions (repeatable; demo default: four Regions)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCodeServer } from './lib/codeServer.mjs';
import { checkMachine, nodeTooOld } from './lib/machineCheck.mjs';
import { DEMO_REGIONS, startDemoBackend } from './lib/demoBackend.mjs';
import { repoRoot } from './lib/paths.mjs';
import { ensureTools } from './lib/tools.mjs';
import { packageExtension, installPackagedExtension } from './lib/vsix.mjs';

const { values } = parseArgs({ options: { profile: { type: 'string' }, region: { type: 'string', multiple: true } } });
const log = (msg) => console.log(`[opsdeck] ${msg}`);
// The SDK warns that it will need Node 22 from 2027; the demo's seeders run on the machine's Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const demoDir = join(repoRoot, '.demo');
const stops = [];

async function stopAll() {
  for (const stop of stops.reverse()) await stop().catch(() => {});
}
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    await stopAll();
    log('stopped every process this demo started.');
    process.exit(0);
  });
}

try {
  const tooOld = nodeTooOld();
  if (tooOld) throw Object.assign(new Error(tooOld), { sentence: true });
  log('1/6 checking the machine (build tools for code-server, OpenSSH client, moto_server)…');
  const machine = await checkMachine({ command: 'start', profile: Boolean(values.profile), log });
  if (!machine.ok) process.exit(1);

  log('2/6 the test VS Code: Node 24 + code-server in .tools/ (installed once, ~1.5 min)…');
  const tools = await ensureTools({ log });

  rmSync(demoDir, { recursive: true, force: true });
  const workspace = join(demoDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  let settings;
  let env = {};

  if (values.profile) {
    log(`3/6 using real AWS with profile "${values.profile}" (nothing is seeded)`);
    log('4/6 (no demo data)');
    settings = { 'opsdeck.profile': values.profile, 'opsdeck.regions': values.region ?? [] };
  } else {
    log('3/6 starting moto_server and the OpsDeck overlay; 4/6 seeding the demo account…');
    const backend = await startDemoBackend({ regions: values.region ?? DEMO_REGIONS, workspace, log });
    stops.push(backend.stop);
    settings = backend.settings;
    env = backend.env;
  }

  log('5/6 building and installing the extension…');
  const extensionsDir = join(demoDir, 'extensions');
  const userDataDir = join(demoDir, 'user-data');
  const vsix = await packageExtension({ log });
  await installPackagedExtension(vsix, extensionsDir, { userDataDir, log, tools });
  writeFileSync(join(workspace, 'README-demo.md'), '# OpsDeck demo workspace\n\nOpen the AWS OpsDeck icon in the activity bar.\n');

  log('6/6 starting VS Code (code-server)…');
  const server = await startCodeServer({ userDataDir, extensionsDir, settings, env, workspaceFolder: workspace, inheritAwsEnv: Boolean(values.profile), log, tools });
  stops.push(server.stop);
  console.log(`\n  AWS OpsDeck is running. Open ${server.url}\n  (${values.profile ? `real AWS, profile ${values.profile}` : 'demo account on a local emulator'}; Ctrl+C stops everything)\n`);
  await new Promise(() => {});
} catch (err) {
  // Our own failures are sentences (what failed, why, the log file); only a bug gets a stack.
  const sentence = err?.sentence || err?.installOutput !== undefined || /Full output: /.test(err?.message ?? '');
  console.error(`[opsdeck] ${sentence ? err.message : (err?.stack ?? err)}`);
  await stopAll();
  process.exit(1);
}
