// Shared paths for the real-VS-Code tooling (all relative to the repo root).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// OPSDECK_TOOLS_DIR lets a machine share one install between clones (CI runs in a fresh clone).
export const toolsDir = process.env.OPSDECK_TOOLS_DIR ? path.resolve(process.env.OPSDECK_TOOLS_DIR) : path.join(repoRoot, '.tools');
export const testResultsDir = path.join(repoRoot, 'test-results');
export const isCI = process.env.CI === 'true' || process.env.CI === '1';
export const chromiumPath = process.env.OPSDECK_CHROMIUM || '/usr/bin/chromium';
