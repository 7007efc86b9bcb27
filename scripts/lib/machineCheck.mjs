// The first thing `npm start` and `npm test` do: check the machine for what they need, and, as root on
// Debian/Ubuntu, install what is missing with apt-get (a progress line per step, the output in a log file);
// otherwise print one sentence naming the exact command to run. The decisions are in machineNeeds.mjs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findMoto, whyNoMoto } from './moto.mjs';
import { aptFailure, aptSteps, needsFor, planFor } from './machineNeeds.mjs';
import { isCI, toolsDir } from './paths.mjs';

/** The first of a need's paths that exists (absolute) or is on PATH (bare name). */
export function locate(need) {
  for (const candidate of need.paths) {
    if (candidate.includes('/')) {
      if (fs.existsSync(candidate)) return candidate;
      continue;
    }
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
      const full = path.join(dir || '.', candidate);
      try {
        fs.accessSync(full, fs.constants.X_OK);
        return full;
      } catch { /* not here */ }
    }
  }
  return undefined;
}

const onPath = (name) => locate({ paths: [name] }) !== undefined;

function machineFacts() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return { isRoot, hasApt: onPath('apt-get') && onPath('dpkg'), hasSudo: onPath('sudo') };
}

/**
 * Checks (and as root on Debian/Ubuntu, installs) what `command` needs.
 * @param {{ command: 'start' | 'test', steps?: string[], profile?: boolean, log: (msg: string) => void }} options
 * @returns {Promise<{ ok: boolean, motoMissing: boolean, sentence?: string }>} `ok: false` means stop (the
 *   sentence has been printed); `ok: true` with a sentence means go on, some tests will skip.
 */
export async function checkMachine({ command, steps, profile, log }) {
  const started = Date.now();
  const { needs, moto } = needsFor(command, { steps, profile });
  let missing = needs.filter((n) => !locate(n));
  const motoMissing = moto && !findMoto();
  const facts = machineFacts();
  const plan = planFor({ missing, motoMissing, motoWhy: motoMissing ? whyNoMoto() : undefined, command, isCI, ...facts });
  const found = needs.filter((n) => !missing.includes(n)).map((n) => n.paths[0].split('/').pop());
  log(`checking the machine: ${found.length ? `found ${[...new Set(found)].join(', ')}` : 'nothing to check'}` +
    `${moto && !motoMissing ? ', moto_server' : ''}${missing.length ? `; missing ${[...new Set(missing.map((n) => n.debian))].join(', ')}` : ''}`);

  if (plan.kind === 'install') {
    log(`installing the missing Debian packages (you are root): ${plan.packages.join(' ')}`);
    for (const step of aptSteps(plan.packages)) {
      const error = await runApt(step, log);
      if (error) {
        log(error);
        return { ok: false, motoMissing, sentence: error };
      }
    }
    missing = needs.filter((n) => !locate(n));
    if (missing.length) {
      const sentence = `apt-get finished but ${missing.map((n) => n.paths[0]).join(', ')} is still missing: install ${[...new Set(missing.map((n) => n.debian))].join(' ')} by hand.`;
      log(sentence);
      return { ok: false, motoMissing, sentence };
    }
    if (plan.then) {
      warn(plan.then, log);
      return { ok: command === 'test' && !isCI, motoMissing, sentence: plan.then };
    }
    log(`machine ready in ${seconds(started)} s`);
    return { ok: true, motoMissing };
  }
  if (plan.kind === 'tell') {
    warn(plan.sentence, log);
    return { ok: !plan.fatal, motoMissing, sentence: plan.sentence };
  }
  return { ok: true, motoMissing };
}

const seconds = (since) => Math.round((Date.now() - since) / 1000);

function warn(sentence, log) {
  const bar = '!'.repeat(78);
  // A line each, so no prefix ("[opsdeck] ") stands alone on a line above the bar.
  for (const line of [bar, sentence, bar]) log(line);
}

/** Runs one apt-get step with a progress line (and one every 20 s), its output into a log file. */
function runApt(step, log) {
  const logDir = path.join(toolsDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const logPath = path.join(logDir, 'apt.log');
  const logFile = fs.openSync(logPath, 'a');
  fs.writeSync(logFile, `\n$ apt-get ${step.args.join(' ')}   (${new Date().toISOString()})\n`);
  const started = Date.now();
  log(`  ${step.label} …`);
  return new Promise((resolve) => {
    let tail = '';
    const child = spawn('apt-get', step.args, {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onData = (chunk) => {
      fs.writeSync(logFile, chunk);
      tail = (tail + chunk).slice(-20_000);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const ticker = setInterval(() => {
      const unpacking = [...tail.matchAll(/^(?:Unpacking|Setting up) ([\w.+-]+)/gm)].at(-1)?.[1];
      log(`    … ${seconds(started)} s${unpacking ? ` (${unpacking})` : ''}`);
    }, 20_000);
    const done = (code) => {
      clearInterval(ticker);
      fs.closeSync(logFile);
      if (code === 0) {
        log(`  ${step.label}: done in ${seconds(started)} s`);
        resolve(undefined);
      } else {
        resolve(aptFailure(step.label, code, tail, path.relative(process.cwd(), logPath) || logPath));
      }
    };
    child.on('error', (err) => done(err.code === 'ENOENT' ? 127 : 1));
    child.on('close', done);
  });
}

/** Node's version against package.json's engines (a sentence if too old). */
export function nodeTooOld(minimum = '20.19.0') {
  const [a, b] = process.versions.node.split('.').map(Number);
  const [x, y] = minimum.split('.').map(Number);
  return a < x || (a === x && b < y) ? `OpsDeck needs Node.js ${minimum} or newer; this is ${process.versions.node}: install a newer Node.js, then try again.` : undefined;
}
