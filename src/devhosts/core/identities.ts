import { safeUser, quotePath, sanitizeAlias } from './sanitize';

/** Who logs in, with which key: the admin and developer roles of the seed article, from settings. */
export interface Identity {
  readonly name: string;
  readonly user: string;
  readonly identityFile?: string;
  /** Appended to every alias of this identity ("" for the first one, else "-<name>" by default). */
  readonly aliasSuffix?: string;
}

export const DEFAULT_IDENTITIES: readonly Identity[] = [
  { name: 'admin', user: 'ec2-user', identityFile: '~/.ssh/mac-admin' },
  { name: 'developer', user: 'developer', identityFile: '~/.ssh/mac-developer' },
];

export interface ResolvedIdentity extends Identity {
  readonly aliasSuffix: string;
}

/** Validates identities from settings; invalid ones are returned as problems rather than rendered. */
export function resolveIdentities(raw: readonly Partial<Identity>[] | undefined, only?: readonly string[]): { identities: ResolvedIdentity[]; problems: string[] } {
  const list = raw && raw.length ? raw : DEFAULT_IDENTITIES;
  const identities: ResolvedIdentity[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  list.forEach((id, index) => {
    const name = sanitizeAlias(String(id.name ?? ''));
    if (!name) return problems.push(`identity #${index + 1} has no usable name`);
    if (seen.has(name)) return problems.push(`identity "${name}" is listed twice`);
    if (!safeUser(id.user)) return problems.push(`identity "${name}": user ${JSON.stringify(id.user ?? '')} is not a valid login name`);
    if (id.identityFile !== undefined && id.identityFile !== '' && !quotePath(id.identityFile, true)) return problems.push(`identity "${name}": identityFile holds quotes or control characters`);
    seen.add(name);
    const suffix = id.aliasSuffix !== undefined ? sanitizeSuffix(id.aliasSuffix) : identities.length === 0 ? '' : `-${name}`;
    identities.push({ name, user: id.user!, identityFile: id.identityFile || undefined, aliasSuffix: suffix });
  });
  if (only && only.length) {
    const wanted = new Set(only);
    const unknown = only.filter((n) => !identities.some((i) => i.name === n));
    if (unknown.length) problems.push(`unknown identity: ${unknown.join(', ')} (known: ${identities.map((i) => i.name).join(', ')})`);
    return { identities: identities.filter((i) => wanted.has(i.name)), problems };
  }
  return { identities, problems };
}

function sanitizeSuffix(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '');
}
