// `npm run package`: a release build (minified) packaged as test-results/aws-opsdeck.vsix with @vscode/vsce.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './lib/paths.mjs';
import { packageExtension } from './lib/vsix.mjs';

execFileSync(process.execPath, [join(repoRoot, 'scripts/build.mjs'), '--release'], { stdio: 'inherit' });
const vsix = await packageExtension({ build: false, log: console.log });
mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
const out = join(repoRoot, 'test-results/aws-opsdeck.vsix');
copyFileSync(vsix, out);
console.log(`${out} (${(statSync(out).size / 1024).toFixed(0)} KiB)`);
