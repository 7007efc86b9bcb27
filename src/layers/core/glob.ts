/**
 * Exclude patterns for layer sources, gitignore-like but small: `*` (not across "/"), `**` (any depth), `?`.
 * A pattern without "/" matches a name at any depth ("*.md", ".DS_Store"); one with "/" is anchored at the
 * source root ("docs/**"). A pattern ending in "/" matches a folder and everything under it.
 */
export const DEFAULT_EXCLUDES: readonly string[] = ['.git/', '.DS_Store', '*.layer.json', 'Thumbs.db'];

export function globToRegExp(pattern: string): RegExp {
  let p = pattern.trim().replace(/^\.\//, '');
  const dirOnly = p.endsWith('/');
  if (dirOnly) p = p.slice(0, -1);
  const anchored = p.includes('/');
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const ch = p[i];
    if (ch === '*' && p[i + 1] === '*') {
      const slash = p[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const prefix = anchored ? '^' : '^(?:.*/)?';
  // A match on a folder excludes what is inside it too.
  return new RegExp(`${prefix}${re}(?:/.*)?$`);
}

export function makeExcluder(patterns: readonly string[]): (relPath: string) => boolean {
  const res = patterns.filter((p) => p.trim() && !p.trim().startsWith('#')).map(globToRegExp);
  return (relPath) => res.some((r) => r.test(relPath));
}
