// Figure 5 — parallelism with a fixed 300 ms per call (the overlay's latency hook in front of moto): a layer
// publish to 16 Regions and a dev-host discovery over 8 Regions, each with the feature's default concurrency
// against concurrency 1 (one Region at a time), in the same run; medians. Ratio = parallel / sequential time,
// so lower is better: "at least 6× faster" is a ratio of at most 0.167.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { factoryFor, sharedAws, ts } from './aws.mjs';
import { DEVHOST_REGIONS } from './economy.mjs';
import { figure, median, round } from './lib.mjs';

const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
import { seedDevHosts } from './seed.mjs';

const LATENCY_MS = 300;
const LAYER_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1', 'eu-west-1', 'eu-west-2',
  'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-southeast-1',
];

async function layerPublish(ctx, reps) {
  const aws = await sharedAws(ctx);
  const layers = ts('src/layers/service.ts');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-bench-layer-'));
  try {
    fs.mkdirSync(path.join(dir, 'nodejs'));
    fs.writeFileSync(path.join(dir, 'nodejs/index.js'), 'module.exports = "bench";');
    const zip = await layers.buildLayer({ source: dir, kind: 'none' });
    const times = { parallel: [], sequential: [] };
    let calls;
    // Untimed warm-up: the first call per Region pays one-off costs (SDK clients, moto creating its Lambda
    // backend per Region) that neither mode should carry.
    await layers.publishLayer(factoryFor(LAYER_REGIONS, aws.endpoint).factory, { name: `bench-warmup-${Date.now()}`, compatibleRuntimes: [], compatibleArchitectures: [], permissions: [], s3Staging: {} }, zip, LAYER_REGIONS);
    for (let i = 0; i < reps; i++) {
      for (const mode of i % 2 ? ['sequential', 'parallel'] : ['parallel', 'sequential']) {
        // A new layer name each time: every Region really publishes (an unchanged re-run would skip).
        const target = { name: `bench-${mode}-${Date.now()}-${i}`, compatibleRuntimes: [], compatibleArchitectures: [], permissions: [], s3Staging: {} };
        const { factory, counter } = factoryFor(LAYER_REGIONS, aws.endpoint);
        const report = await layers.publishLayer(factory, target, zip, LAYER_REGIONS, mode === 'sequential' ? { concurrency: 1 } : {});
        const bad = report.results.filter((r) => r.action !== 'published');
        if (bad.length) throw new Error(`${mode} publish: ${bad.length} Region(s) not published: ${bad[0].error ?? bad[0].action}`);
        times[mode].push(report.wallMs);
        calls ??= counter.byOperation();
        ctx.log(`layer publish ×16 Regions, ${mode}: ${report.wallMs} ms (concurrency ${report.concurrency})`);
      }
    }
    // For comparison: every Region at once (concurrency 16).
    const wide = await layers.publishLayer(factoryFor(LAYER_REGIONS, aws.endpoint).factory, { name: `bench-wide-${Date.now()}`, compatibleRuntimes: [], compatibleArchitectures: [], permissions: [], s3Staging: {} }, zip, LAYER_REGIONS, { concurrency: LAYER_REGIONS.length });
    ctx.log(`layer publish ×16 Regions, concurrency 16: ${wide.wallMs} ms`);
    const par = median(times.parallel);
    const seq = median(times.sequential);
    // The latency floor of each mode: a Region's calls run one after another (check, then publish); the Regions
    // share `concurrency` lanes; GetAccountSettings runs beside a publish and adds no round. Each call also costs
    // some CPU (SDK, the overlay proxy, moto), paid in both modes: with c ms per call the ratio is
    // (floor + 33c) / (sequential floor + 33c), at most 1/6 only while c ≤ (seqFloor − 6·floor) / (5·33).
    const perRegion = (calls.ListLayerVersions + calls.PublishLayerVersion) / LAYER_REGIONS.length;
    const floorMs = Math.ceil(LAYER_REGIONS.length / layers.DEFAULT_CONCURRENCY) * perRegion * LATENCY_MS;
    const sequentialFloorMs = LAYER_REGIONS.length * perRegion * LATENCY_MS;
    const overheadMsPerCall = round((seq - sequentialFloorMs) / sum(calls), 1);
    return figure({
      what: `layer publish to 16 Regions at ${LATENCY_MS} ms/call, default concurrency (${layers.DEFAULT_CONCURRENCY})`,
      value: par, unit: 'ms', baseline: seq, baselineOf: 'the same publish one Region at a time (concurrency 1)',
      budget: { max: round(1 / 6, 3), on: 'ratio', text: 'parallel layer publish ≥ 6× faster than sequential (16 Regions)' },
      detail: { speedup: round(seq / par, 2), reps, parallelSamples: times.parallel, sequentialSamples: times.sequential, callsPerPublish: calls, concurrency16Ms: wide.wallMs, concurrency16Speedup: round(seq / wide.wallMs, 2), floorMs, sequentialFloorMs, floorSpeedup: round(sequentialFloorMs / floorMs, 2), overheadMsPerCall, budgetHoldsWhileOverheadMsPerCallAtMost: round((sequentialFloorMs - 6 * floorMs) / (5 * sum(calls)), 1) },
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function devhostDiscovery(ctx, reps) {
  const aws = await sharedAws(ctx);
  const devhosts = ts('src/devhosts/service.ts');
  if (!ctx.shared.devhostsSeeded) {
    const lat = aws.latencyMs;
    aws.latencyMs = 0;
    await seedDevHosts(aws.endpoint, DEVHOST_REGIONS, { hosts: 2 });
    ctx.shared.devhostsSeeded = true;
    aws.latencyMs = lat;
  }
  const times = { parallel: [], sequential: [] };
  await devhosts.discoverDevHosts(factoryFor(DEVHOST_REGIONS, aws.endpoint).factory, { regions: DEVHOST_REGIONS }); // untimed warm-up
  for (let i = 0; i < reps; i++) {
    for (const mode of i % 2 ? ['sequential', 'parallel'] : ['parallel', 'sequential']) {
      const { factory } = factoryFor(DEVHOST_REGIONS, aws.endpoint);
      const t0 = performance.now();
      const inv = await devhosts.discoverDevHosts(factory, { regions: DEVHOST_REGIONS, ...(mode === 'sequential' ? { concurrency: 1 } : {}) });
      const ms = performance.now() - t0;
      const failed = inv.regions.filter((r) => r.error);
      if (failed.length) throw new Error(`${mode} discovery failed: ${failed[0].region}: ${failed[0].error}`);
      times[mode].push(round(ms, 0));
      ctx.log(`dev-host discovery ×8 Regions, ${mode}: ${round(ms, 0)} ms`);
    }
  }
  const par = median(times.parallel);
  const seq = median(times.sequential);
  return figure({
    what: `dev-host discovery over 8 Regions at ${LATENCY_MS} ms/call, default concurrency`,
    value: par, unit: 'ms', baseline: seq, baselineOf: 'the same discovery one Region at a time (concurrency 1)',
    detail: { speedup: round(seq / par, 2), reps, parallelSamples: times.parallel, sequentialSamples: times.sequential },
  });
}

export async function parallelFigures(ctx) {
  const aws = await sharedAws(ctx);
  const reps = ctx.quick ? 1 : 3;
  const out = {};
  aws.latencyMs = LATENCY_MS;
  try {
    for (const [key, fn] of Object.entries({ 'parallel.layerPublish': layerPublish, 'parallel.devhostDiscovery': devhostDiscovery })) {
      try {
        out[key] = await fn(ctx, reps);
      } catch (err) {
        ctx.log(`${key} FAILED: ${err.stack ?? err}`);
        out[key] = { error: String(err.message ?? err) };
      }
    }
  } finally {
    aws.latencyMs = 0;
  }
  return out;
}
