// Figure 1 — activation inside the real VS Code (code-server's extension host): OpsDeck, unpacked from the
// .vsix, against a generated minimal "hello" extension, both development extensions of the same workbench and
// activated the same way (vscode.extensions.getExtension(id).activate(), timed in the extension host), each in a
// fresh extension host (one workbench page per sample), alternating A B B A so order and warm caches even out.
// Also the proof: the modules activation loaded contain no AWS SDK module and no dist/core.js.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { realVsCodePrereqs } from '../lib/prereqs.mjs';
import { packageExtension } from '../lib/vsix.mjs';
import { startDriver, writeHelloExtension } from './exthost/drive.mjs';
import { figure, median, round } from './lib.mjs';

const OPSDECK = 'opsdeck.aws-opsdeck';
const HELLO = 'bench.hello';
const WARMUP = 'bench.warmup';

/**
 * Installs OpsDeck (.vsix) and hello in one code-server (shared with the memory figure). `prepare(workspace)`
 * may seed the workspace and return user settings and extension-host env.
 */
export async function exthostSetup({ stage, shared, log, prepare }) {
  const prereqs = await realVsCodePrereqs({ log });
  if ('skipReason' in prereqs) throw new Error(`skipped: ${prereqs.skipReason}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-bench-exthost-'));
  const vsix = shared.vsix ?? (shared.vsix = await packageExtension({ extensionPath: stage.dir, build: false, log }));
  const engine = JSON.parse(fs.readFileSync(path.join(stage.dir, 'package.json'), 'utf8')).engines.vscode;
  const hello = writeHelloExtension(path.join(tmp, 'hello'), engine);
  const warmup = writeHelloExtension(path.join(tmp, 'warmup'), engine, 'warmup');
  try {
    const helloVsix = await packageExtension({ extensionPath: hello, build: false, log });
    const workspace = path.join(tmp, 'workspace');
    fs.mkdirSync(workspace, { recursive: true });
    const { settings = {}, env = {} } = prepare ? await prepare(workspace) : {};
    const driver = await startDriver({ tmp, tools: prereqs.tools, devPaths: [warmup], vsixes: [vsix, helloVsix], settings, env, log });
    return { ...driver, tmp, stop: async () => { await driver.stop(); if (!process.env.OPSDECK_BENCH_KEEP) fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 }); } };
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

export async function activationFigures({ stage, shared, log, quick }) {
  // The machine is shared and a sample can land on a busy moment (a 10× outlier is not rare): 8 hosts give
  // medians that a single outlier does not move.
  const reps = quick ? 2 : 8;
  const driver = await exthostSetup({ stage, shared, log });
  const runs = { [OPSDECK]: [], [HELLO]: [] };
  const idle = [];
  try {
    // One fresh extension host per sample; in each, the warm-up extension first, then OpsDeck and hello in
    // alternating order (A B, B A, …), so neither always goes first.
    for (let i = 0; i < reps; i++) {
      const order = i % 2 === 0 ? [OPSDECK, HELLO] : [HELLO, OPSDECK];
      const r = await driver.probe({ OPSDECK_BENCH_MODE: 'activate', OPSDECK_BENCH_TARGETS: [WARMUP, ...order].join(',') });
      if (r.error) throw new Error(`activation probe failed in the extension host: ${r.error}`);
      for (const id of order) {
        if (r.results[id].wasActive) throw new Error(`${id} was already active before the probe: the timing would be meaningless`);
        runs[id].push(r.results[id]);
      }
      idle.push(...r.awsModulesAfterIdle);
      const o = runs[OPSDECK].at(-1);
      const h = runs[HELLO].at(-1);
      log(`activation sample ${i + 1}/${reps}: opsdeck ${round(o.activateMs, 1)} ms (own code ${round(o.ownMs, 1)} ms, CPU ${round(o.cpuMs, 1)} ms), hello ${round(h.activateMs, 1)} ms (own code ${round(h.ownMs, 1)} ms, CPU ${round(h.cpuMs, 1)} ms)`);
    }
  } finally {
    await driver.stop();
  }
  const ms = (id) => runs[id].map((r) => round(r.activateMs, 2));
  const own = (id) => runs[id].map((r) => round(r.ownMs, 2)).filter((x) => Number.isFinite(x));
  const cpu = (id) => runs[id].map((r) => round(r.cpuMs, 2)).filter((x) => Number.isFinite(x));
  const phases = (id) => runs[id].map((r) => Object.fromEntries(Object.entries(r.timing ?? {}).map(([k, v]) => [k, round(v, 2)])));
  const awsAtActivation = [...new Set(runs[OPSDECK].flatMap((r) => r.awsModulesAtActivation))];
  const awsAfterIdle = [...new Set(idle)];
  const coreLoaded = runs[OPSDECK].some((r) => r.isCoreLoaded || r.isCoreLoadedAfterIdle);
  const loadedByActivation = runs[OPSDECK][0].modulesLoadedByActivation.map((m) => m.replace(/^.*opsdeck-bench-exthost-[^/]+\//, ''));
  const entrySdkInputs = stage.meta['dist/extension.js'].inputs.filter((i) => /@aws-sdk\/|@smithy\//.test(i)).length;
  return {
    'activation.time': figure({
      what: 'OpsDeck activate() in code-server (fresh extension host per sample)', value: round(median(ms(OPSDECK)), 2), unit: 'ms',
      baseline: round(median(ms(HELLO)), 2), baselineOf: 'generated hello extension, same workbench, same way',
      budget: { max: 1.5, on: 'ratio', text: 'activation within 1.5× of the hello extension' },
      detail: {
        reps, opsdeckSamples: ms(OPSDECK), helloSamples: ms(HELLO),
        // The extension host's main-thread CPU time over the same span: what the machine's other work cannot inflate.
        opsdeckCpuMs: cpu(OPSDECK), helloCpuMs: cpu(HELLO), cpuRatio: round(median(cpu(OPSDECK)) / median(cpu(HELLO)), 2),
      },
    }),
    'activation.ownCode': figure({
      what: "OpsDeck's own activation cost: require(main) + activate() until resolved (what Running Extensions shows)",
      value: round(median(own(OPSDECK)), 2), unit: 'ms', baseline: round(median(own(HELLO)), 2), baselineOf: 'the same for the hello extension',
      detail: { opsdeckSamples: own(OPSDECK), helloSamples: own(HELLO), opsdeckPhases: phases(OPSDECK), helloPhases: phases(HELLO) },
    }),
    'activation.awsModules': figure({
      what: 'AWS SDK modules + dist/core.js loaded by activation (require.cache diff, and again after 1.5 s idle)',
      value: awsAtActivation.length + awsAfterIdle.length + (coreLoaded ? 1 : 0) + entrySdkInputs, unit: 'modules',
      baseline: 0, baselineOf: 'none allowed',
      budget: { max: 0, on: 'value', text: 'no AWS client module loaded at activation' },
      detail: { modulesLoadedByActivation: loadedByActivation, awsAtActivation, awsAfterIdle, isCoreLoaded: coreLoaded, sdkInputsInEntryBundle: entrySdkInputs },
    }),
  };
}
