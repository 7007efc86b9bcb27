// AWS plumbing for the bench: OpsDeck's TypeScript modules loaded through tsx (the same way the unit and
// integration tests load them), and moto behind the overlay proxy with a latency hook (a fixed delay per call,
// what a far-away Region feels like) and a stats route the extension-host probe polls.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/cjs/api';
import { startMoto } from '../lib/moto.mjs';
import { json, startOverlay } from '../lib/overlay.mjs';
import { sleep } from './lib.mjs';

register();
let requireTs = createRequire(new URL('../../', import.meta.url));
/**
 * Sources come from the bench's staged copy (the same snapshot the bundles were built from), so an edit in
 * the working tree halfway through a run cannot mix two versions.
 */
export function setSourceRoot(dir) {
  requireTs = createRequire(pathToFileURL(path.join(dir, 'package.json')).href);
}
/** Loads a repo module (e.g. 'src/batch/core/evaluate.ts') from source, through tsx. */
export const ts = (rel) => requireTs(`./${rel}`);

/**
 * moto + overlay, started once per bench run and shared by the figures that need it.
 * @returns {Promise<{ endpoint: string, motoEndpoint: string, latencyMs: number, requests: () => number, reset: () => Promise<void>, stop: () => Promise<void> }>}
 */
export async function startAws({ log }) {
  const moto = await startMoto({ log });
  // The overlay handlers `npm start` uses for APIs moto lacks (scripts/overlay/*.mjs, exports named *Handler).
  const overlayState = {};
  const handlers = [];
  const dir = fileURLToPath(new URL('../overlay/', import.meta.url));
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.mjs')).sort() : []) {
    const mod = await import(pathToFileURL(path.join(dir, f)).href);
    for (const [name, make] of Object.entries(mod)) if (name.endsWith('Handler') && typeof make === 'function') handlers.push(make(overlayState));
  }
  const state = { latencyMs: 0 };
  const latency = async () => {
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    return undefined;
  };
  const statsRoute = (req, ctx) => (req.url.pathname === '/__bench/stats' ? json(200, { requests: ctx.stats.requests - statsCalls.n }) : undefined);
  const statsCalls = { n: 0 };
  const countStats = (req) => {
    if (req.url.pathname === '/__bench/stats') statsCalls.n++;
    return undefined;
  };
  let overlay;
  try {
    overlay = await startOverlay({ upstream: moto.endpoint, handlers, hooks: [countStats, statsRoute, latency], log });
  } catch (err) {
    await moto.stop();
    throw err;
  }
  return {
    endpoint: overlay.endpoint,
    motoEndpoint: moto.endpoint,
    overlay,
    overlayState,
    get latencyMs() { return state.latencyMs; },
    set latencyMs(v) { state.latencyMs = v; },
    requests: () => overlay.stats.requests - statsCalls.n,
    reset: () => moto.reset(),
    stop: async () => {
      await overlay.stop();
      await moto.stop();
    },
  };
}

/** The shared moto of this bench run (started on first use, stopped by the orchestrator's cleanup). */
export async function sharedAws(ctx) {
  if (!ctx.shared.aws) {
    ctx.shared.aws = await startAws({ log: ctx.log });
    ctx.onCleanup(() => ctx.shared.aws.stop());
  }
  return ctx.shared.aws;
}

/** A real ClientFactory (SDK v3 over HTTP) pointed at `endpoint`, with a CallCounter: test/support/aws.ts. */
export function factoryFor(regions, endpoint) {
  return ts('test/support/aws.ts').motoFactory(regions, endpoint);
}
