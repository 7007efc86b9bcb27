#!/usr/bin/env node
// Runs test/vscode/suite/**/*.test.ts inside the real VS Code extension host:
// code-server with the smoke-test driver + chromium opening the workbench with a test payload.
//   node scripts/run-vscode-tests.mjs [--no-build] [--grep <pattern>] [--timeout <seconds>]
// or, from the test orchestrator:  await runVscodeTests({ env: { OPSDECK_ENDPOINT_URL: ... } })
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from './lib/browser.mjs';
import { buildTests } from './lib/buildTests.mjs';
import { startCodeServer } from './lib/codeServer.mjs';
import { repoRoot, testResultsDir } from './lib/paths.mjs';
import { realVsCodePrereqs } from './lib/prereqs.mjs';

const defaultLog = (msg) => console.log(`[vscode-tests] ${msg}`);
const rel = (p) => path.relative(repoRoot, p);

function npmRunBuild(log) {
  log('building the extension (npm run build)');
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build failed (exit ${code})`))));
  });
}

/** Opens the workbench with the test payload and waits for window.codeAutomationExit(code). */
async function runInWorkbench({ server, profileDir, payload, workspace, browserLogFile, timeoutMs }) {
  const context = await launchChromium(profileDir);
  const browserLog = fs.createWriteStream(browserLogFile);
  try {
    let resolveExit;
    const exited = new Promise((resolve) => (resolveExit = resolve));
    await context.exposeFunction('codeAutomationExit', (code) => resolveExit({ exitCode: code }));
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (msg) => browserLog.write(`[${msg.type()}] ${msg.text()}\n`));
    page.on('requestfailed', (req) => browserLog.write(`[requestfailed] ${req.url()} ${req.failure()?.errorText ?? ''}\n`));
    page.on('pageerror', (err) => browserLog.write(`[pageerror] ${err.stack ?? err}\n`));
    const url = `${server.baseUrl}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve({ timeout: true }), timeoutMs)));
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    const outcome = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (outcome.timeout) {
      outcome.shot = path.join(testResultsDir, 'screenshots', 'vscode-tests-timeout.png');
      fs.mkdirSync(path.dirname(outcome.shot), { recursive: true });
      await page.screenshot({ path: outcome.shot }).catch(() => {});
    }
    return outcome;
  } finally {
    await new Promise((resolve) => browserLog.end(resolve));
    await context.close().catch(() => {});
  }
}

/**
 * Runs the extension-host tests once. Env vars in `env` reach the extension host (extensionEnvironment).
 * @param {{ env?: Record<string, string>, workspaceFolder?: string, log?: (msg: string) => void,
 *   build?: boolean, grep?: string, timeoutMs?: number, extensionDevelopmentPath?: string }} [options]
 * @returns {Promise<{ passed: number, failed: number, skipped: number, skipReason?: string }>}
 *   failed >= 1 also when the run crashed or timed out (the reason is printed).
 */
export async function runVscodeTests({
  env = {}, workspaceFolder, log = defaultLog, build = true, grep, timeoutMs = 600_000,
  extensionDevelopmentPath = repoRoot,
} = {}) {
  const t0 = Date.now();
  const prereqs = await realVsCodePrereqs({ log });
  if ('skipReason' in prereqs) return { passed: 0, failed: 0, skipped: 0, skipReason: prereqs.skipReason };
  if (build) await npmRunBuild(log);

  // Everything of this run lives in its own temp dir (others may run tests from the same working tree);
  // the logs and results are copied to test-results/ at the end.
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-vscode-tests-'));
  const files = {
    log: path.join(runDir, 'vscode-tests.log'),
    results: path.join(runDir, 'vscode-tests.json'),
    browserLog: path.join(runDir, 'vscode-tests.browser.log'),
  };
  const hostEnv = {
    ...env,
    OPSDECK_TEST_LOG: files.log,
    OPSDECK_TEST_RESULTS: files.results,
    ...(grep ? { OPSDECK_TEST_GREP: grep } : {}),
  };
  let server;
  let outcome;
  let mochaLog = '';
  let results = null;
  try {
    const { outfile, suiteFiles } = await buildTests({ log, outfile: path.join(runDir, 'tests', 'index.js') });
    const workspace = workspaceFolder ?? path.join(runDir, 'workspace');
    fs.mkdirSync(workspace, { recursive: true });
    server = await startCodeServer({
      userDataDir: path.join(runDir, 'user-data'),
      extensionsDir: path.join(runDir, 'extensions'),
      env: hostEnv,
      smokeTestDriver: true,
      workspaceFolder: workspace,
      tools: prereqs.tools,
      log,
    });
    files.codeServerLog = server.logFile;
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
      ['extensionTestsPath', remote(outfile)],
      ['extensionEnvironment', JSON.stringify(hostEnv)],
    ];
    log(`running ${suiteFiles.length} suite file(s) in the extension host`);
    outcome = await runInWorkbench({
      server, payload, workspace, timeoutMs,
      profileDir: path.join(runDir, 'chromium-profile'),
      browserLogFile: files.browserLog,
    });
  } finally {
    await server?.stop();
    fs.mkdirSync(testResultsDir, { recursive: true });
    for (const [name, file] of Object.entries(files)) {
      if (!fs.existsSync(file)) continue;
      if (name === 'log') mochaLog = fs.readFileSync(file, 'utf8');
      if (name === 'results') results = JSON.parse(fs.readFileSync(file, 'utf8'));
      fs.copyFileSync(file, path.join(testResultsDir, name === 'codeServerLog' ? 'vscode-tests.code-server.log' : path.basename(file)));
    }
    fs.rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  }

  if (mochaLog) console.log(mochaLog.trimEnd());
  const browserLog = rel(path.join(testResultsDir, path.basename(files.browserLog)));
  if (outcome.timeout) {
    console.error(
      `[vscode-tests] TIMEOUT: the extension-host tests did not finish within ${timeoutMs / 1000} s (the workbench ` +
        'never called codeAutomationExit). Likely a test or activate() that never settles, or a workbench that ' +
        `failed to load. See ${browserLog} and ${rel(outcome.shot)}.`,
    );
  } else if (!results) {
    console.error(
      `[vscode-tests] ERROR: the run ended (exit code ${outcome.exitCode}) without a results file: the test bundle ` +
        `failed to load or the extension host crashed. See ${browserLog}.`,
    );
  }
  const counts = { passed: results?.passed ?? 0, failed: results?.failed ?? 0, skipped: results?.skipped ?? 0 };
  if (!results || outcome.timeout || (outcome.exitCode !== 0 && counts.failed === 0)) counts.failed = Math.max(1, counts.failed);
  log(`finished in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`vscode: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  return counts;
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--no-build') opts.build = false;
    else if (argv[i] === '--grep') opts.grep = argv[++i];
    else if (argv[i] === '--timeout') opts.timeoutMs = Number(argv[++i]) * 1000;
    else throw new Error(`unknown argument ${argv[i]} (use --no-build, --grep <pattern>, --timeout <seconds>)`);
  }
  return opts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const { failed } = await runVscodeTests(parseArgs(process.argv.slice(2)));
    process.exit(failed > 0 ? 1 : 0);
  } catch (err) {
    console.error(`[vscode-tests] FAILED: ${err.stack ?? err}`);
    process.exit(1);
  }
}
