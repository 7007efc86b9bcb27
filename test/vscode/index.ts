// Mocha runner that runs inside the real VS Code extension host (code-server + smoke-test driver).
// scripts/lib/buildTests.mjs bundles it, with every test/vscode/suite/**/*.test.ts, into out/test/vscode/index.js.
// The workbench calls run(); when it settles, the workbench calls window.codeAutomationExit(code).
import * as fs from 'node:fs';
import { findSourceMap, type SourceMapping } from 'node:module';
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';
import { suites } from 'opsdeck:vscode-suites';

interface TestRecord {
  title: string;
  fullTitle: string;
  file?: string;
  durationMs?: number;
  error?: { message: string; stack?: string };
}

export interface TestResults {
  passed: number;
  failed: number;
  skipped: number;
  durationMs: number;
  tests: Array<TestRecord & { state: 'passed' | 'failed' | 'skipped' }>;
}

// Mocha's console output lands in the browser console, and reassigning console.log in the extension host
// has no effect: hook the reporters' own printer to also append to the log file.
function hookConsoleLog(logFile: string | undefined): void {
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void; useColors: boolean };
  base.useColors = false;
  const original = base.consoleLog;
  if (logFile) fs.writeFileSync(logFile, '');
  base.consoleLog = (...args: unknown[]) => {
    if (logFile) fs.appendFileSync(logFile, util.format(...args) + '\n');
    original(...args);
  };
}

// The extension host replaces Error.prepareStackTrace, so Node does not apply the bundle's source map to
// stacks: map the frames of failures ourselves to the .ts sources, and drop mocha's own frames.
function remapStack(stack: string | undefined): string | undefined {
  if (!stack) return stack;
  const lines: string[] = [];
  for (const line of stack.split('\n')) {
    // "    at fn (/file.js:1:2)" or "    at /file.js:1:2"
    const m = /^(\s*at (?:.*? \()?)((?:\/|file:\/\/)[^():]+):(\d+):(\d+)(\)?)$/.exec(line);
    const found = m ? findSourceMap(m[2])?.findEntry(Number(m[3]) - 1, Number(m[4]) - 1) : undefined;
    const entry = found && 'originalSource' in found ? (found as SourceMapping) : undefined;
    if (!m || !entry) {
      lines.push(line);
      continue;
    }
    const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : entry.originalSource;
    if (source.includes(`node_modules${path.sep}mocha${path.sep}`) || source.includes('node_modules/mocha/')) continue;
    lines.push(`${m[1]}${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}${m[5]}`);
  }
  return lines.join('\n');
}

export function run(): Promise<void> {
  const env = process.env;
  hookConsoleLog(env.OPSDECK_TEST_LOG);
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: Number(env.OPSDECK_TEST_TIMEOUT ?? 20_000),
    ...(env.OPSDECK_TEST_GREP ? { grep: env.OPSDECK_TEST_GREP } : {}),
  });

  // What mocha.loadFiles() does, for modules that are already bundled.
  for (const { file, load } of suites) {
    mocha.suite.emit('pre-require', globalThis, file, mocha);
    mocha.suite.emit('require', load(), file, mocha);
    mocha.suite.emit('post-require', globalThis, file, mocha);
  }

  const results: TestResults = { passed: 0, failed: 0, skipped: 0, durationMs: 0, tests: [] };
  const started = Date.now();
  const record = (test: Mocha.Runnable, state: 'passed' | 'failed' | 'skipped', err?: Error) => {
    results[state]++;
    results.tests.push({
      state,
      title: test.title,
      fullTitle: test.fullTitle(),
      file: test.file,
      durationMs: test.duration,
      ...(err ? { error: { message: err.message, stack: err.stack } } : {}),
    });
  };

  return new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      results.durationMs = Date.now() - started;
      if (env.OPSDECK_TEST_RESULTS) fs.writeFileSync(env.OPSDECK_TEST_RESULTS, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => record(test, 'passed'));
    runner.on('fail', (test, err: Error) => {
      err.stack = remapStack(err.stack); // before the reporter prints it at the end
      record(test, 'failed', err); // failed hooks count as failures too
    });
    runner.on('pending', (test) => record(test, 'skipped'));
  });
}
