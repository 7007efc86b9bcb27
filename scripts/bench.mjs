#!/usr/bin/env node
// `npm run bench`: measures OpsDeck against baselines taken in the same run and writes test-results/bench.json
// (one object, a key per figure: { what, value, unit, baseline, baselineOf, ratio, machine, budget?, detail? })
// plus test-results/bench.md (the table for the README). It reports budgets as PASS/OVER; it never fails a test.
//
//   node scripts/bench.mjs [--only size,cli,activation,economy,parallel,cpu,memory] [--ref HEAD] [--quick] [--out FILE]
//
// --ref builds a git ref instead of the working tree; --quick runs fewer repetitions (a smoke run); --only
// updates those figures in an existing bench.json and keeps the others (each figure carries its measuredAt);
// --out writes elsewhere (e.g. to compare another commit without touching test-results/bench.json).
// Figures live in scripts/bench/*.mjs, one module each; see docs/readme/bench.md for what each one means.
import fs from 'node:fs';
import path from 'node:path';
import { testResultsDir } from './lib/paths.mjs';
import { machine, verdict } from './bench/lib.mjs';
import { stageReleaseBuild } from './bench/stage.mjs';

// The SDK warns that it will need Node 22 from 2027; the bench runs on the machine's Node.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ALL = ['size', 'cli', 'activation', 'economy', 'parallel', 'cpu', 'memory'];

function parseArgs(argv) {
  const opts = { only: ALL, ref: undefined, quick: false, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only') opts.only = argv[++i].split(',').map((s) => s.trim());
    else if (argv[i] === '--ref') opts.ref = argv[++i];
    else if (argv[i] === '--quick') opts.quick = true;
    else if (argv[i] === '--out') opts.out = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (use --only ${ALL.join(',')}, --ref <git ref>, --quick)`);
  }
  const unknown = opts.only.filter((o) => !ALL.includes(o));
  if (unknown.length) throw new Error(`unknown figure(s) ${unknown.join(', ')}; known: ${ALL.join(', ')}`);
  return opts;
}

const t0 = Date.now();
const log = (s) => console.log(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${s}`);

/** Figure key prefix → group (size.vsix → size, cli.coldStart → cli, …). */
const GROUP_OF_PREFIX = { size: 'size', cli: 'cli', activation: 'activation', economy: 'economy', parallel: 'parallel', cpu: 'cpu', memory: 'memory' };

/** Figure groups in run order; each returns { key: figure } and may hand things to later groups via `shared`. */
const GROUPS = {
  size: async (ctx) => {
    const { sizeFigures } = await import('./bench/size.mjs');
    const { figures, vsix } = await sizeFigures(ctx);
    ctx.shared.vsix = vsix;
    return figures;
  },
  cli: async (ctx) => (await import('./bench/cliStart.mjs')).cliStartFigures({ ...ctx, reps: ctx.quick ? 5 : 15 }),
  activation: async (ctx) => (await import('./bench/activation.mjs')).activationFigures(ctx),
  economy: async (ctx) => (await import('./bench/economy.mjs')).economyFigures(ctx),
  parallel: async (ctx) => (await import('./bench/parallel.mjs')).parallelFigures(ctx),
  cpu: async (ctx) => (await import('./bench/cpu.mjs')).cpuFigures(ctx),
  memory: async (ctx) => (await import('./bench/memory.mjs')).memoryFigures(ctx),
};

function fmt(n) {
  if (n === null || n === undefined) return '—';
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}

function table(results) {
  const rows = Object.entries(results).map(([key, f]) =>
    f.error
      ? [key, 'ERROR', '', '', '', f.error.split('\n')[0].slice(0, 90)]
      : [key, `${fmt(f.value)} ${f.unit}`, `${fmt(f.baseline)} ${f.unit}`, f.ratio === null ? '—' : `${fmt(f.ratio)}×`, verdict(f) ?? '', `${f.what}; baseline: ${f.baselineOf}`],
  );
  return [['figure', 'value', 'baseline', 'ratio', 'budget', 'what'], ...rows];
}

function printTable(rows) {
  // The last column (what) is free text: not padded.
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (c === 5 ? 0 : String(r[c]).length))));
  for (const [i, r] of rows.entries()) {
    console.log(r.map((cell, c) => (c === 5 ? cell : String(cell).padEnd(widths[c]))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

function markdown(results, m) {
  const rows = table(results);
  const esc = (s) => String(s).replace(/\|/g, '\\|');
  const lines = [`| ${rows[0].join(' | ')} |`, `|${rows[0].map(() => '---').join('|')}|`, ...rows.slice(1).map((r) => `| ${r.map(esc).join(' | ')} |`)];
  return `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB, ${m.os}, Node ${m.node} (1-min load ${m.loadAvg1m} at the start).\n\n${lines.join('\n')}\n`;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const m = machine();
  log(`machine: ${m.cpu}, ${m.cores} cores, load ${m.loadAvg1m}; figures: ${opts.only.join(', ')}`);
  const stage = await stageReleaseBuild({ ref: opts.ref, log });
  (await import('./bench/aws.mjs')).setSourceRoot(stage.dir);
  const cleanups = [];
  const ctx = { stage, log, quick: opts.quick, shared: {}, onCleanup: (fn) => cleanups.unshift(fn) };
  const results = {};
  try {
    for (const group of ALL.filter((g) => opts.only.includes(g))) {
      const g0 = Date.now();
      log(`— ${group}`);
      try {
        const figures = await GROUPS[group](ctx);
        for (const [key, f] of Object.entries(figures)) results[key] = { ...f, machine: m, measuredAt: new Date().toISOString() };
      } catch (err) {
        log(`${group} FAILED: ${err.stack ?? err}`);
        results[group] = { error: String(err.message ?? err), machine: m };
      }
      log(`${group} took ${((Date.now() - g0) / 1000).toFixed(1)} s`);
    }
  } finally {
    for (const fn of cleanups) await fn().catch((err) => log(`cleanup: ${err.message}`));
    stage.cleanup();
  }
  const out = opts.out ?? path.join(testResultsDir, 'bench.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  if (opts.only.length < ALL.length && fs.existsSync(out)) {
    // A partial run refreshes its figures and keeps the rest (a group that now errors replaces its old keys).
    const previous = JSON.parse(fs.readFileSync(out, 'utf8'));
    const groupOf = (key) => GROUP_OF_PREFIX[key.split('.')[0]] ?? key.split('.')[0];
    const rerun = new Set(opts.only);
    const kept = Object.fromEntries(Object.entries(previous).filter(([k]) => !rerun.has(groupOf(k))));
    Object.assign(results, { ...kept, ...results });
  }
  fs.writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  fs.writeFileSync(out.replace(/\.json$/, '') + '.md', markdown(results, m));
  console.log('');
  printTable(table(results));
  const budgets = Object.entries(results).filter(([, f]) => f.budget);
  console.log('\nBudgets:');
  for (const [key, f] of budgets) console.log(`  ${verdict(f).padEnd(4)}  ${f.budget.text}  (${key}: ${f.budget.on === 'ratio' ? `${fmt(f.ratio)}×` : `${fmt(f.value)} ${f.unit}`})`);
  const errors = Object.entries(results).filter(([, f]) => f.error);
  if (errors.length) console.log(`\n${errors.length} figure group(s) could not be measured: ${errors.map(([k]) => k).join(', ')}`);
  log(`wrote ${path.relative(process.cwd(), out)} and ${path.basename(out).replace(/\.json$/, '.md')}`);
}

main().catch((err) => {
  console.error(`[bench] FAILED: ${err.stack ?? err}`);
  process.exit(1);
});
