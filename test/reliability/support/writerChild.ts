/**
 * A separate process that writes the SSH config through the real writer (writeSshConfig → writeFileAtomic),
 * over and over, so the parent can SIGKILL it at random points or run two of them at once.
 * argv: <userConfig> <managedPath> <placement include|inplace> <count|forever> <label>
 * It alternates between two managed texts, `${label}-1` and `${label}-2`, and prints "ready" once its first real
 * write has finished (the parent kills only after that, so every kill lands inside a rewrite).
 * Placement `hold`: takes OpsDeck's lock on <userConfig>, prints "ready" and keeps it until killed (a stuck or
 * SIGKILLed writer, for the lock tests).
 */
import { writeSshConfig } from '../../../src/devhosts/configFiles';
import { withFileLock } from '../../../src/devhosts/core/atomicWrite';
import { managedText } from './sshTexts';

async function main(): Promise<void> {
  const [userConfig, managedPath, placement, countArg, label] = process.argv.slice(2);
  const count = countArg === 'forever' ? Infinity : Number(countArg);
  if (placement === 'hold') {
    await withFileLock(userConfig, () => { process.stdout.write('ready\n'); return new Promise<void>(() => setInterval(() => undefined, 1000)); });
    return;
  }
  for (let i = 0; i < count; i++) {
    await writeSshConfig({ userConfig, managedPath, placement: placement as 'include' | 'inplace', managedText: managedText(`${label}-${(i % 2) + 1}`) });
    if (i === 1) process.stdout.write('ready\n'); // i=0 rewrites what is there (a no-op); i=1 was a real write
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
