/** Small text helpers shared by the tree, the CLI and the findings. */

/** "6h 12m", "3d 4h", "45s": two units at most, the way people read ages. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return `${m}m`;
  return `${s}s`;
}

/** "2026-11-26 06:12 UTC" from epoch ms; evidence lines quote times this way. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return 'unknown time';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Quotes text from AWS for evidence, shortened so a tree line stays readable. */
export function quote(text: string | undefined, max = 200): string {
  if (!text) return '(none)';
  const t = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(t.length > max ? `${t.slice(0, max)}…` : t);
}

/** The last path segment of an ARN ("job-queue/etl" → "etl"), or the input. */
export function nameFromArn(arnOrName: string | undefined): string {
  if (!arnOrName) return '';
  const slash = arnOrName.lastIndexOf('/');
  return slash >= 0 ? arnOrName.slice(slash + 1) : arnOrName;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
