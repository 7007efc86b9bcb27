import type { RenderedEntry } from './render';

/**
 * Checks what OpenSSH will really do for an alias (`ssh -G` output) against what OpsDeck rendered, and when a
 * value differs, finds the user's line that won (a `Host *` above OpsDeck's block, a `Match`…), with file and line.
 */
export type Effective = ReadonlyMap<string, readonly string[]>;

/** `ssh -G` prints one "keyword value" per line, keywords in lower case; repeated keywords (identityfile) add up. */
export function parseSshG(output: string): Effective {
  const map = new Map<string, string[]>();
  for (const line of output.split(/\r?\n/)) {
    const m = /^(\S+)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const key = m[1].toLowerCase();
    const list = map.get(key) ?? [];
    list.push(m[2]);
    map.set(key, list);
  }
  return map;
}

export interface Mismatch {
  readonly alias: string;
  readonly keyword: string;
  readonly expected: string;
  readonly actual: string;
  /** "file:line: text" of the user's directive that won, when found. */
  readonly culprit?: string;
}

function expandTilde(p: string, home: string): string {
  const unq = p.replace(/^"(.*)"$/, '$1').replace(/%%/g, '%');
  return unq === '~' ? home : unq.startsWith('~/') ? `${home}/${unq.slice(2)}` : unq;
}

/** Compares one entry with its effective config. Tokens ssh leaves unexpanded in -G output are accepted either way. */
export function compareEntry(entry: RenderedEntry, effective: Effective, home: string): Omit<Mismatch, 'culprit'>[] {
  const out: Omit<Mismatch, 'culprit'>[] = [];
  const first = (k: string): string => effective.get(k)?.[0] ?? '(unset)';
  const check = (keyword: string, expected: string, actual: string, alternatives: string[] = []): void => {
    if (actual !== expected && !alternatives.includes(actual)) out.push({ alias: entry.alias, keyword, expected, actual });
  };
  check('hostname', entry.hostName, first('hostname'));
  check('user', entry.user, first('user'));
  check('port', String(entry.port ?? 22), first('port'));
  if (entry.identityFile) check('identityfile', expandTilde(entry.identityFile, home), expandTilde(first('identityfile'), home));
  if (entry.proxyJump) check('proxyjump', entry.proxyJump, first('proxyjump'), [entry.proxyJump.replace('%r', entry.user)]);
  else if (!entry.proxyCommand && effective.has('proxyjump')) out.push({ alias: entry.alias, keyword: 'proxyjump', expected: '(none)', actual: first('proxyjump') });
  if (entry.proxyCommand) {
    const expanded = entry.proxyCommand.replace('%h', entry.hostName).replace('%p', first('port'));
    check('proxycommand', entry.proxyCommand, first('proxycommand'), [expanded]);
  } else if (effective.has('proxycommand') && first('proxycommand') !== 'none') {
    out.push({ alias: entry.alias, keyword: 'proxycommand', expected: '(none)', actual: first('proxycommand') });
  }
  return out;
}

/** ssh_config Host pattern matching: `*`, `?`, `!negation`, comma or space separated, case-insensitive. */
export function hostMatches(patterns: readonly string[], alias: string): boolean {
  let matched = false;
  for (const raw of patterns.flatMap((p) => p.split(','))) {
    if (!raw) continue;
    const negate = raw.startsWith('!');
    const pat = negate ? raw.slice(1) : raw;
    const re = new RegExp(`^${pat.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    if (re.test(alias)) {
      if (negate) return false;
      matched = true;
    }
  }
  return matched;
}

export interface ConfigSource {
  readonly file: string;
  readonly text: string;
  /** 1-based inclusive line ranges to skip (OpsDeck's own region). */
  readonly skip?: readonly { readonly from: number; readonly to: number }[];
}

/**
 * The first directive for `keyword` in `source` that applies to `alias`: top-level lines, `Host` blocks whose
 * patterns match, and `Match` blocks (which may apply; ssh evaluates them at connect time, so they are reported).
 */
export function findCulprit(source: ConfigSource, alias: string, keyword: string): string | undefined {
  const lines = source.text.split(/\r?\n/);
  let applies = true;
  let blockLabel = '';
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    if (source.skip?.some((r) => n >= r.from && n <= r.to)) continue;
    const line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1].toLowerCase();
    if (key === 'host') {
      applies = hostMatches(m[2].split(/\s+/), alias);
      blockLabel = `Host ${m[2]}`;
      continue;
    }
    if (key === 'match') {
      applies = true;
      blockLabel = `Match ${m[2]}`;
      continue;
    }
    if (applies && key === keyword) return `${source.file}:${n}: ${line}${blockLabel ? ` (in "${blockLabel}")` : ''}`;
  }
  return undefined;
}

/**
 * The user's own `Host` lines (outside OpsDeck's region) that name one of OpsDeck's aliases exactly: OpsDeck's
 * block comes first, so its entry silently wins over theirs. Reported so nobody loses a `Host bastion` of their own.
 */
export function shadowedAliases(source: ConfigSource, aliases: readonly string[]): string[] {
  const ours = new Set(aliases.map((a) => a.toLowerCase()));
  const out: string[] = [];
  source.text.split(/\r?\n/).forEach((raw, i) => {
    const n = i + 1;
    if (source.skip?.some((r) => n >= r.from && n <= r.to)) return;
    const m = /^\s*host(?:\s*=\s*|\s+)(.*)$/i.exec(raw);
    if (!m) return;
    const hits = m[1].split(/[\s,]+/).filter((p) => p && !/[*?!]/.test(p) && ours.has(p.toLowerCase()));
    if (hits.length) out.push(`${source.file}:${n}: your "${raw.trim()}" is shadowed by OpsDeck's entry of the same name (ours comes first). Rename yours or change opsdeck.devHosts.aliasPattern.`);
  });
  return out;
}
