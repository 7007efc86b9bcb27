import { execFileSync } from 'child_process';
import { existsSync } from 'fs';

/**
 * For tests that need a system tool (sshd, chromium, the AWS CLI). On a laptop without it the test is skipped
 * loudly; under CI=true a missing tool is a failure, never a skip.
 */
export function toolPath(candidates: string[]): string | undefined {
  for (const c of candidates) {
    if (c.includes('/')) {
      if (existsSync(c)) return c;
    } else {
      try {
        return execFileSync('sh', ['-c', `command -v ${c}`]).toString().trim() || undefined;
      } catch { /* not on PATH */ }
    }
  }
  return undefined;
}

export function requireTool(ctx: Mocha.Context, name: string, candidates: string[]): string {
  const found = toolPath(candidates);
  if (found) return found;
  const message = `${name} not found (looked for ${candidates.join(', ')})`;
  if (process.env.CI === 'true') throw new Error(`${message}; under CI=true a missing tool is a failure`);
  console.warn(`\n  !!! SKIPPED: ${message}. Install it to run this test.\n`);
  ctx.skip();
}
