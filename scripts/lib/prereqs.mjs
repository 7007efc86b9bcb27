// Real-VS-Code runs need code-server (installed into .tools/ on demand) and Debian chromium.
// Under CI=true a missing one is a hard failure; elsewhere the caller skips, loudly.
import { hasChromium } from './browser.mjs';
import { chromiumPath, isCI } from './paths.mjs';
import { ensureTools } from './tools.mjs';

/**
 * @param {{ log?: (msg: string) => void }} [options]
 * @returns {Promise<{ tools: { node24Bin: string, codeServerBin: string } } | { skipReason: string }>}
 * @throws under CI=true when something is missing
 */
export async function realVsCodePrereqs({ log = console.log } = {}) {
  let reason;
  if (!hasChromium()) {
    reason = `chromium is missing at ${chromiumPath} (apt-get install chromium)`;
  } else {
    try {
      return { tools: await ensureTools({ log }) };
    } catch (err) {
      reason = `code-server could not be installed into .tools/: ${err.message}`;
    }
  }
  if (isCI) throw new Error(`real VS Code unavailable under CI=true: ${reason}`);
  const bar = '!'.repeat(78);
  log(`\n${bar}\n!! SKIPPING real-VS-Code tests: ${reason}\n${bar}\n`);
  return { skipReason: reason };
}
