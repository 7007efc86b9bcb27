// The demo account: moto_server, the overlay in front of it (handlers from scripts/overlay/*.mjs answer what moto
// lacks), and every seed module in scripts/demo/*.mjs. Used by `npm start` and by the overview e2e screenshot.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startMoto } from './moto.mjs';
import { startOverlay } from './overlay.mjs';
import { repoRoot } from './paths.mjs';

export const DEMO_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];

/** Imports every module in scripts/<folder> (name order). */
async function modulesIn(folder) {
  const dir = join(repoRoot, 'scripts', folder);
  let files = [];
  try { files = readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort(); } catch { /* none */ }
  return Promise.all(files.map(async (f) => ({ file: f, exports: await import(pathToFileURL(join(dir, f)).href) })));
}

/**
 * @returns {Promise<{ endpoint: string, motoEndpoint: string, settings: Record<string, unknown>,
 *   env: Record<string, string>, stop: () => Promise<void> }>}
 */
export async function startDemoBackend({ regions = DEMO_REGIONS, workspace, log = () => {}, moto: existingMoto } = {}) {
  const stops = [];
  const moto = existingMoto ?? (await startMoto({ log, command: 'start' }));
  if (!existingMoto) stops.push(moto.stop);
  try {
    const overlayState = {};
    const handlers = [];
    for (const { file, exports } of await modulesIn('overlay')) {
      for (const [name, factory] of Object.entries(exports)) {
        if (name.endsWith('Handler') && typeof factory === 'function') {
          handlers.push(factory(overlayState));
          log(`   overlay: ${name} (${file}) answers what moto lacks`);
        }
      }
    }
    const overlay = await startOverlay({ upstream: moto.endpoint, handlers, log });
    stops.push(overlay.stop);
    let settings = { 'opsdeck.regions': regions };
    for (const { file, exports } of await modulesIn('demo')) {
      if (typeof exports.seed !== 'function') continue;
      const started = Date.now();
      const extra = await exports.seed({ endpoint: overlay.endpoint, motoEndpoint: moto.endpoint, regions, workspace, log: (m) => log(`   ${m}`), overlayState });
      if (extra && typeof extra === 'object') settings = { ...settings, ...extra };
      log(`   ${file} seeded in ${Date.now() - started} ms`);
    }
    settings['opsdeck.endpointUrl'] = overlay.endpoint;
    const env = { AWS_ACCESS_KEY_ID: 'AKIADEMOOPSDECK00001', AWS_SECRET_ACCESS_KEY: 'demo-secret-not-real', AWS_REGION: regions[0] };
    return {
      endpoint: overlay.endpoint,
      motoEndpoint: moto.endpoint,
      settings,
      env,
      stop: async () => { for (const s of stops.reverse()) await s().catch(() => {}); },
    };
  } catch (err) {
    for (const s of stops.reverse()) await s().catch(() => {});
    throw err;
  }
}
