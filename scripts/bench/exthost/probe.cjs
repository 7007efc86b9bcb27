// Runs inside code-server's extension host as the "extension tests" module (extensionTestsPath). It does what
// the bench asks through OPSDECK_BENCH_* environment variables and writes JSON to OPSDECK_BENCH_OUT:
//   activate: activate one extension by id, time it, and list the modules that activation loaded
//             (proof that no AWS SDK module and no dist/core.js is loaded);
//   memory:   activate OpsDeck, point it at moto, show every OpsDeck view and refresh them all 100 times,
//             reading the heap (after a forced GC) at warm-up and at the end.
'use strict';
const fs = require('fs');
const Module = require('module');
const path = require('path');
const v8 = require('v8');
const vm = require('vm');
const { performance } = require('perf_hooks');

const AWS_MODULE = /[\\/](@aws-sdk|@smithy|@aws-crypto)[\\/]|[\\/]dist[\\/]core\.js$/;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function forceGc() {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  gc();
  gc();
}

/**
 * Times what the extension's own code costs, as VS Code's "Running Extensions" does: loading its main module
 * (require) and its activate() call until the promise it returns resolves. The extension host requires the
 * main module through Module._load; the exports are wrapped in a Proxy (esbuild's exports are getters).
 */
function instrument(ext) {
  const mainFile = require.resolve(path.join(ext.extensionPath, ext.packageJSON.main));
  const timing = {};
  const original = Module._load;
  Module._load = function load(request, parent, isMain) {
    let resolved;
    try {
      resolved = Module._resolveFilename(request, parent, isMain);
    } catch {
      return original.apply(this, arguments);
    }
    if (resolved !== mainFile) return original.apply(this, arguments);
    Module._load = original;
    const t0 = performance.now();
    timing.loadStartAt = t0;
    const exports = original.apply(this, arguments);
    timing.loadMs = performance.now() - t0;
    const activateFn = exports.activate;
    if (typeof activateFn !== 'function') return exports;
    const wrapped = function (...args) {
      const t1 = performance.now();
      timing.activateStartAt = t1;
      const result = activateFn.apply(this, args);
      timing.activateCallMs = performance.now() - t1;
      return Promise.resolve(result).then((value) => {
        timing.activateResolvedMs = performance.now() - t1;
        return value;
      });
    };
    return new Proxy(exports, { get: (target, key) => (key === 'activate' ? wrapped : Reflect.get(target, key)) });
  };
  return { timing, restore: () => { Module._load = original; } };
}

/** The main thread's CPU time (user + system) in ms; NaN where Node lacks process.threadCpuUsage (< 23.9). */
function threadCpuMs() {
  if (typeof process.threadCpuUsage !== 'function') return NaN;
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
}

/** OPSDECK_BENCH_CPUPROFILE=dir: a CPU profile (100 µs sampling) of each activation, for finding where it goes. */
async function startProfile(id) {
  const dir = process.env.OPSDECK_BENCH_CPUPROFILE;
  if (!dir) return async () => {};
  const inspector = require('inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  return async () => {
    const { profile } = await post('Profiler.stop');
    session.disconnect();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${id}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
  };
}

async function activate(vscode, id) {
  const ext = vscode.extensions.getExtension(id);
  if (!ext) throw new Error(`extension ${id} is not installed in this extension host (it has: ${vscode.extensions.all.map((e) => e.id).filter((x) => !x.startsWith('vscode.')).join(', ')})`);
  const wasActive = ext.isActive;
  const before = new Set(Object.keys(require.cache));
  const probe = instrument(ext);
  const stopProfile = await startProfile(id);
  const cpu0 = threadCpuMs();
  const t0 = performance.now();
  let api;
  try {
    api = await ext.activate();
  } finally {
    probe.restore();
  }
  const tEnd = performance.now();
  const activateMs = tEnd - t0;
  const cpuMs = threadCpuMs() - cpu0;
  // Where the rest of the wall time went: before require(main), between it and activate() (the extension
  // context: storage read from the workbench), and after activate() resolved until ext.activate() did.
  const t = probe.timing;
  if (t.loadStartAt !== undefined && t.activateStartAt !== undefined) {
    t.beforeLoadMs = t.loadStartAt - t0;
    t.loadToActivateMs = t.activateStartAt - t.loadStartAt - t.loadMs;
    t.afterActivateMs = tEnd - t.activateStartAt - (t.activateResolvedMs ?? 0);
  }
  delete t.loadStartAt;
  delete t.activateStartAt;
  await stopProfile();
  const loaded = Object.keys(require.cache).filter((k) => !before.has(k));
  const ownMs = t.loadMs !== undefined && t.activateResolvedMs !== undefined ? t.loadMs + t.activateResolvedMs : undefined;
  return { ext, api, wasActive, activateMs, cpuMs, ownMs, timing: t, loaded };
}

async function activateMode(vscode, out) {
  // OPSDECK_BENCH_TARGETS: ids in activation order; the first is a warm-up extension that absorbs the one-off
  // costs of the first activation in a fresh extension host, so neither measured extension pays them.
  // The probe starts while the workbench is still booting (and activation waits on it for the extension's
  // storage), so let it settle after the warm-up and between the measured ones.
  out.results = {};
  for (const [i, id] of process.env.OPSDECK_BENCH_TARGETS.split(',').entries()) {
    if (i > 0) await sleep(i === 1 ? 3000 : 1000);
    const r = await activate(vscode, id);
    out.results[id] = {
      wasActive: r.wasActive,
      activateMs: r.activateMs,
      cpuMs: r.cpuMs,
      ownMs: r.ownMs,
      timing: r.timing,
      modulesLoadedByActivation: r.loaded,
      awsModulesAtActivation: r.loaded.filter((k) => AWS_MODULE.test(k)),
      isCoreLoaded: typeof r.api?.isCoreLoaded === 'function' ? r.api.isCoreLoaded() : null,
      api: r.api,
    };
  }
  // Activation must not start loading the SDK a moment later either: look again after a short idle time.
  await sleep(1500);
  out.awsModulesAfterIdle = Object.keys(require.cache).filter((k) => AWS_MODULE.test(k));
  for (const r of Object.values(out.results)) {
    r.isCoreLoadedAfterIdle = typeof r.api?.isCoreLoaded === 'function' ? r.api.isCoreLoaded() : null;
    delete r.api;
  }
}

async function stats(endpoint) {
  const res = await fetch(`${endpoint}/__bench/stats`);
  return (await res.json()).requests;
}

/**
 * Waits for the views' fetch after a refresh: first for the AWS endpoint to see a request (the refresh travels
 * extension host → workbench → getChildren → AWS, which takes a while on a loaded machine; up to `startMs`),
 * then until it has seen none for `quietMs`.
 */
async function settle(endpoint, { quietMs = 300, startMs = 3000, maxMs = 30000 } = {}) {
  const t0 = Date.now();
  const first = await stats(endpoint);
  let last = first;
  let since = Date.now();
  while (Date.now() - t0 < maxMs) {
    await sleep(50);
    const now = await stats(endpoint);
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (last === first ? Date.now() - t0 >= startMs : Date.now() - since >= quietMs) break;
  }
  return last;
}

async function memoryMode(vscode, out) {
  const endpoint = process.env.OPSDECK_BENCH_ENDPOINT;
  const refreshes = Number(process.env.OPSDECK_BENCH_REFRESHES ?? 100);
  const warmup = Number(process.env.OPSDECK_BENCH_WARMUP ?? 10);
  const r = await activate(vscode, 'opsdeck.aws-opsdeck');
  const cfg = vscode.workspace.getConfiguration('opsdeck');
  const settings = JSON.parse(process.env.OPSDECK_BENCH_SETTINGS ?? '{}');
  for (const [key, value] of Object.entries(settings)) await cfg.update(key, value, vscode.ConfigurationTarget.Global);
  // Show the container and every view in it, so each tree asks for its children (hidden views fetch nothing).
  const views = (r.ext.packageJSON.contributes?.views?.opsdeck ?? []).map((v) => v.id);
  await vscode.commands.executeCommand('workbench.view.extension.opsdeck');
  for (const id of views) await vscode.commands.executeCommand(`${id}.focus`).then(undefined, () => undefined);
  await settle(endpoint, { quietMs: 1500, startMs: 10000 });
  const heap = () => process.memoryUsage().heapUsed;
  const samples = [];
  const requestsAt = [];
  let requests = await stats(endpoint);
  for (let i = 1; i <= refreshes; i++) {
    await vscode.commands.executeCommand('opsdeck.refreshAll');
    const now = await settle(endpoint);
    requestsAt.push(now - requests);
    requests = now;
    if (i === warmup || i === refreshes || i % 10 === 0) {
      forceGc();
      samples.push({ refresh: i, heapUsed: heap() });
    }
  }
  Object.assign(out, {
    views,
    samples,
    requestsPerRefresh: requestsAt,
    heapAtWarmup: samples.find((s) => s.refresh === warmup)?.heapUsed,
    heapAtEnd: samples[samples.length - 1]?.heapUsed,
    isCoreLoaded: r.api?.isCoreLoaded?.() ?? null,
  });
}

exports.run = async function run() {
  const vscode = require('vscode');
  const out = { mode: process.env.OPSDECK_BENCH_MODE };
  try {
    if (out.mode === 'memory') await memoryMode(vscode, out);
    else await activateMode(vscode, out);
  } catch (err) {
    out.error = String(err && err.stack ? err.stack : err);
  }
  fs.writeFileSync(process.env.OPSDECK_BENCH_OUT, JSON.stringify(out));
};
