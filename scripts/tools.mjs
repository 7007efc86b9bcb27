#!/usr/bin/env node
// Installs Node 24 + code-server into .tools/ (idempotent). Usage: node scripts/tools.mjs
import { ensureTools } from './lib/tools.mjs';

try {
  const { node24Bin, codeServerBin } = await ensureTools();
  console.log(`node24: ${node24Bin}\ncode-server: ${codeServerBin}`);
} catch (err) {
  console.error(`[tools] FAILED: ${err.message}`);
  process.exit(1);
}
