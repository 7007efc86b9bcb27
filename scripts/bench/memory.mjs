// Figure 7 — memory, measured inside the real extension host (code-server): OpsDeck installed from the .vsix,
// pointed at moto + the overlay seeded with every feature's demo data (scripts/demo/seed-*.mjs, as `npm start`
// does), every OpsDeck view shown, then "Refresh All Views" 100 times, each refresh awaited until the views stop
// calling AWS. The heap (after a forced GC) after 100 refreshes against the heap after the warm-up ones:
// flat (ratio ≈ 1.0) means no leak.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { exthostSetup } from './activation.mjs';
import { sharedAws } from './aws.mjs';
import { figure, round } from './lib.mjs';

// Two Regions: the demo seeds put their data in the first two; more would only slow each refresh on moto.
const REGIONS = ['us-east-1', 'us-west-2'];

async function seedAll(aws, workspace, log) {
  const dir = new URL('../demo/', import.meta.url);
  let settings = {};
  const seeded = [];
  for (const f of fs.readdirSync(dir).filter((n) => /^seed-.*\.mjs$/.test(n)).sort()) {
    const mod = await import(pathToFileURL(path.join(dir.pathname, f)).href);
    if (typeof mod.seed !== 'function') continue;
    try {
      const extra = await mod.seed({ endpoint: aws.endpoint, motoEndpoint: aws.motoEndpoint, regions: REGIONS, workspace, log: () => {}, overlayState: aws.overlayState });
      if (extra && typeof extra === 'object') settings = { ...settings, ...extra };
      seeded.push(f);
    } catch (err) {
      log(`memory: ${f} failed to seed (${err.message}); its view stays empty`);
    }
  }
  return { settings, seeded };
}

export async function memoryFigures(ctx) {
  const aws = await sharedAws(ctx);
  aws.latencyMs = 0;
  await aws.reset();
  ctx.shared.devhostsSeeded = false;
  const refreshes = ctx.quick ? 30 : 100;
  const warmup = 10;
  let seeded = [];
  const driver = await exthostSetup({
    ...ctx,
    prepare: async (workspace) => {
      const s = await seedAll(aws, workspace, ctx.log);
      seeded = s.seeded;
      return {
        settings: { ...s.settings, 'opsdeck.regions': REGIONS, 'opsdeck.endpointUrl': aws.endpoint },
        env: { AWS_ACCESS_KEY_ID: 'AKIABENCHOPSDECK0001', AWS_SECRET_ACCESS_KEY: 'bench-secret-not-real', AWS_REGION: REGIONS[0] },
      };
    },
  });
  let r;
  try {
    ctx.log(`memory: seeded ${seeded.join(', ')}; ${refreshes} refreshes of every view in the extension host`);
    r = await driver.probe({
      OPSDECK_BENCH_MODE: 'memory', OPSDECK_BENCH_ENDPOINT: aws.endpoint,
      OPSDECK_BENCH_REFRESHES: String(refreshes), OPSDECK_BENCH_WARMUP: String(warmup),
    }, 600_000);
  } finally {
    await driver.stop();
  }
  if (r.error) throw new Error(`memory probe failed in the extension host: ${r.error}`);
  const calls = r.requestsPerRefresh;
  if (!calls.some((n) => n > 0)) throw new Error('the views made no AWS calls on refresh: nothing was measured');
  const mib = (b) => round(b / 2 ** 20, 2);
  const after = r.samples.filter((s) => s.refresh >= warmup);
  // Least-squares slope of heap over refreshes after warm-up: KiB retained per refresh.
  const n = after.length;
  const mx = after.reduce((a, s) => a + s.refresh, 0) / n;
  const my = after.reduce((a, s) => a + s.heapUsed, 0) / n;
  const slope = after.reduce((a, s) => a + (s.refresh - mx) * (s.heapUsed - my), 0) / (after.reduce((a, s) => a + (s.refresh - mx) ** 2, 0) || 1);
  return {
    'memory.refreshHeap': figure({
      what: `extension-host heap after ${refreshes} refreshes of every OpsDeck view (in code-server, demo data on moto)`,
      value: mib(r.heapAtEnd), unit: 'MiB', baseline: mib(r.heapAtWarmup), baselineOf: `heap after ${warmup} warm-up refreshes (forced GC before each reading)`,
      budget: { max: 1.1, on: 'ratio', text: 'no leak: heap flat after warm-up (≤ 1.10× after 100 refreshes)' },
      detail: {
        views: r.views, seeded, samplesMiB: r.samples.map((s) => [s.refresh, mib(s.heapUsed)]),
        retainedKiBPerRefresh: round(slope / 1024, 1), awsCallsPerRefresh: [Math.min(...calls), Math.max(...calls)],
        coreLoaded: r.isCoreLoaded,
      },
    }),
  };
}
