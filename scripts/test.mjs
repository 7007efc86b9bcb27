// `npm test`: every kind of test, one after another, ending with one "N passed, N failed" line.
//   build → typecheck → lint → unit → integration (moto) → reliability (faults, kills, hostile input)
//   → real VS Code extension host → UI e2e (Chromium)
// One moto_server serves the integration suites (OPSDECK_TEST_ENDPOINT). Under CI=true nothing may skip
// for a missing tool. Pass --only=unit,integration to run a subset.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkMachine } from './lib/machineCheck.mjs';
import { startMoto } from './lib/moto.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const want = (name) => !only || only.includes(name);
const results = [];
/** Everything the suites print, scanned at the end for the reliability suite's sentinel secrets. */
let printed = '';
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', FORCE_COLOR: '0' };

function run(cmd, args, extraEnv = {}) {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(cmd, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => { out += d; printed += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; printed += d; process.stderr.write(d); });
    child.on('exit', (code) => resolve({ code: code ?? 1, out }));
  });
}

/** Counts from mocha's spec reporter. */
function mochaCounts(out, code) {
  const n = (re) => Number(out.match(re)?.[1] ?? 0);
  const counts = { passed: n(/(\d+) passing/), failed: n(/(\d+) failing/), skipped: n(/(\d+) pending/) };
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

async function step(name, fn) {
  if (!want(name)) return;
  const started = Date.now();
  console.log(`\n━━━ ${name} ━━━`);
  const counts = await fn();
  results.push({ name, ...counts, seconds: Math.round((Date.now() - started) / 100) / 10 });
}

async function check(name, cmd, args) {
  await step(name, async () => {
    const { code } = await run(cmd, args);
    return { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 };
  });
}

const started = Date.now();
// First the machine: as root on Debian/Ubuntu the missing packages are installed; otherwise one sentence says
// what to run, and (outside CI) the tests that need a missing tool skip loudly.
const machine = await checkMachine({ command: 'test', steps: only, log: (msg) => console.log(`[opsdeck] ${msg}`) });
if (!machine.ok) process.exit(1);

await check('build', 'node', ['scripts/build.mjs']);
await check('typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']);
await check('lint', 'npx', ['eslint', 'src', 'test']);
await step('unit', async () => {
  const { code, out } = await run('npx', ['mocha', '--config', '.mocharc.unit.json']);
  return mochaCounts(out, code);
});

const motoSteps = ['integration', 'reliability', 'vscode', 'e2e'];
if (machine.motoMissing) {
  // Outside CI only (under CI checkMachine stops first): each suite that needs moto counts as one skip.
  for (const name of motoSteps.filter(want)) {
    console.log(`\n━━━ ${name} ━━━\n!!! SKIPPED: no moto_server this user can run (see the sentence above)`);
    results.push({ name, passed: 0, failed: 0, skipped: 1, seconds: 0 });
  }
}
const wantMoto = (name) => want(name) && !machine.motoMissing;
let moto;
if (motoSteps.some(wantMoto)) moto = await startMoto({ log: console.log });
try {
  if (wantMoto('integration')) await step('integration', async () => {
    const { code, out } = await run('npx', ['mocha', '--config', '.mocharc.integration.json'], { OPSDECK_TEST_ENDPOINT: moto.endpoint });
    return mochaCounts(out, code);
  });
  if (wantMoto('reliability') && existsSync(join(root, '.mocharc.reliability.json'))) {
    await step('reliability', async () => {
      const { code, out } = await run('npx', ['mocha', '--config', '.mocharc.reliability.json'], { OPSDECK_TEST_ENDPOINT: moto.endpoint });
      return mochaCounts(out, code);
    });
  }
  const vscodeRunner = join(root, 'scripts/run-vscode-tests.mjs');
  if (wantMoto('vscode') && existsSync(vscodeRunner)) {
    await step('vscode', async () => {
      const { runVscodeTests } = await import(pathToFileURL(vscodeRunner).href);
      try {
        const log = (...args) => { printed += `${args.join(' ')}\n`; console.log(...args); };
        return await runVscodeTests({ env: { OPSDECK_TEST_ENDPOINT: moto.endpoint }, log, build: false });
      } catch (err) {
        console.error(err);
        return { passed: 0, failed: 1, skipped: 0 };
      }
    });
  }
  if (wantMoto('e2e') && existsSync(join(root, '.mocharc.e2e.json'))) {
    await step('e2e', async () => {
      const { code, out } = await run('npx', ['mocha', '--config', '.mocharc.e2e.json'], { OPSDECK_TEST_ENDPOINT: moto.endpoint, OPSDECK_SKIP_BUILD: '1' });
      return mochaCounts(out, code);
    });
  }
} finally {
  await moto?.stop();
}

// The reliability suite plants sentinel secrets (keys, tokens, a private key) where secrets live; none may reach
// any test's output, which CI keeps in its logs.
if (printed) {
  await step('secrets', async () => {
    const { tsImport } = await import('tsx/esm/api');
    const { leaks } = await tsImport('../test/reliability/support/sentinels.ts', import.meta.url);
    const found = leaks(printed);
    if (found.length) console.error(`sentinel secrets in the test output (${found.join(', ')}): find which suite printed them`);
    else console.log(`no sentinel secret in ${Math.round(printed.length / 1024)} KiB of test output`);
    return { passed: found.length ? 0 : 1, failed: found.length ? 1 : 0, skipped: 0 };
  });
}

const total = results.reduce((a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log('\n━━━ summary ━━━');
for (const r of results) console.log(`${r.name.padEnd(12)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed ${String(r.skipped).padStart(3)} skipped  ${r.seconds}s`);
mkdirSync(join(root, 'test-results'), { recursive: true });
writeFileSync(join(root, 'test-results/summary.json'), JSON.stringify({ results, total, seconds: Math.round((Date.now() - started) / 1000) }, null, 2));
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exitCode = total.failed > 0 ? 1 : 0;
