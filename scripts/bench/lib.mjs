// Shared helpers for `npm run bench`: medians, child-process timing, the machine description, and the shape of
// one figure in test-results/bench.json: { value, unit, baseline, ratio, machine } (+ labels and budget).
import { spawn } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export const round = (n, digits = 2) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);

/** The machine a figure was measured on: enough to compare two bench.json files honestly. */
export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAvg1m: round(os.loadavg()[0], 2),
  };
}

/**
 * One figure. `baseline` is measured in the same run (or, for sizes, the budget it is held to: `baselineOf`
 * says which); ratio = value / baseline. `budget` (optional) is checked by the orchestrator: PASS or OVER.
 * @param {{ value: number, unit: string, baseline: number, baselineOf: string, what: string,
 *   budget?: { max?: number, min?: number, on: 'value' | 'ratio', text: string }, detail?: object }} f
 */
export function figure({ value, unit, baseline, baselineOf, what, budget, detail }) {
  const ratio = baseline ? round(value / baseline, 3) : null;
  return { what, value: round(value, 3), unit, baseline: round(baseline, 3), baselineOf, ratio, ...(budget ? { budget } : {}), ...(detail ? { detail } : {}) };
}

/** PASS / OVER for a figure with a budget, or undefined. */
export function verdict(f) {
  if (!f.budget) return undefined;
  const x = f.budget.on === 'ratio' ? f.ratio : f.value;
  if (x === null || x === undefined || Number.isNaN(x)) return 'N/A';
  if (f.budget.max !== undefined && x > f.budget.max) return 'OVER';
  if (f.budget.min !== undefined && x < f.budget.min) return 'OVER';
  return 'PASS';
}

/** Runs a command to completion; resolves with wall time in ms (performance.now around spawn → close). */
export function timeSpawn(cmd, args, { cwd, env } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code === 0) resolve(ms);
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

/** Runs a command and returns stdout (rejects on non-zero exit). */
export function run(cmd, args, { cwd, env, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${(err || out).slice(-3000)}`))));
    child.stdin.end(input ?? '');
  });
}

/**
 * Times `fn` (sync or async) `reps` times after `warmup` untimed calls; returns the median in ms and all samples.
 * Alternate with the baseline's own timer in the caller when both should see the same machine noise.
 */
export async function timeFn(fn, { reps = 7, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const samples = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return { median: median(samples), samples: samples.map((s) => round(s, 2)) };
}

/**
 * Times a subject and its baseline interleaved (A B A B …), so both see the same load on a shared machine.
 * @returns {Promise<{ subject: { median: number, samples: number[] }, baseline: { median: number, samples: number[] } }>}
 */
export async function timePair(subject, baseline, { reps = 7, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) {
    await subject();
    await baseline();
  }
  const a = [];
  const b = [];
  for (let i = 0; i < reps; i++) {
    const first = i % 2 === 0;
    for (const which of first ? ['a', 'b'] : ['b', 'a']) {
      const t0 = performance.now();
      await (which === 'a' ? subject() : baseline());
      (which === 'a' ? a : b).push(performance.now() - t0);
    }
  }
  return {
    subject: { median: median(a), samples: a.map((s) => round(s, 2)) },
    baseline: { median: median(b), samples: b.map((s) => round(s, 2)) },
  };
}

export const kib = (bytes) => round(bytes / 1024, 1);
