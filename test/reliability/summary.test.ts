import { ALL_HOOKS } from './support/faulty';

/** Root-level hook: after the whole suite, the faults injected by kind (every test that injected them passed or failed on its own). */
after(() => {
  const byKind: Record<string, number> = {};
  let total = 0;
  for (const h of ALL_HOOKS) {
    for (const [k, n] of Object.entries(h.stats.byKind)) byKind[k] = (byKind[k] ?? 0) + n;
    total += h.stats.injected;
  }
  const seen = ALL_HOOKS.reduce((n, h) => n + h.stats.seen, 0);
  console.log(`\n  reliability: ${total} faults injected into ${seen} requests — ${Object.entries(byKind).filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join(', ')}`);
});
