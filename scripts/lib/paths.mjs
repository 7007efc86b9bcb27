// Shared paths for the real-VS-Code tooling (all relative to the repo root).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const toolsDir = path.join(repoRoot, '.tools');
export const testResultsDir = path.join(repoRoot, 'test-results');
export const isCI = process.env.CI === 'true' || process.env.CI === '1';
export const chromiumPath = process.env.OPSDECK_CHROMIUM || '/usr/bin/chromium';
