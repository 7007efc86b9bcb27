// Debian chromium driven by playwright-core (no browser download: executablePath is the system one).
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { chromiumPath } from './paths.mjs';

export const CHROMIUM_ARGS = Object.freeze([
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
]);

export const hasChromium = () => fs.existsSync(chromiumPath);

/**
 * Launches chromium with a fresh persistent profile (Playwright refuses --user-data-dir in args).
 * @param {string} profileDir
 * @param {{ viewport?: { width: number, height: number } }} [options]
 * @returns {Promise<import('playwright-core').BrowserContext>}
 */
export async function launchChromium(profileDir, { viewport = { width: 1440, height: 900 } } = {}) {
  if (!hasChromium()) throw new Error(`chromium not found at ${chromiumPath} (apt-get install chromium)`);
  return chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport,
  });
}
