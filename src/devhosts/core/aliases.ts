import type { DevInstance } from './model';
import { MAX_ALIAS_LENGTH, sanitizeAlias, type SanitizeNote } from './sanitize';

/** `{name}`, `{id}`, `{shortId}`, `{region}`, `{az}`… in the `opsdeck.devHosts.aliasPattern` setting. */
export const DEFAULT_ALIAS_PATTERN = '{name}';

export interface AliasAssignment {
  readonly instanceId: string;
  readonly alias: string;
}

export interface AliasCollision {
  readonly base: string;
  /** Who kept the base alias (the oldest instance), and what the others became. */
  readonly kept: string;
  readonly renamed: readonly AliasAssignment[];
}

export interface AliasResult {
  readonly aliases: ReadonlyMap<string, string>;
  readonly collisions: readonly AliasCollision[];
  readonly notes: readonly SanitizeNote[];
}

function shortId(id: string): string {
  return id.replace(/^i-/, '').slice(-8);
}

/** The base alias of one instance from the pattern, sanitized; the instance id when nothing usable is left. */
export function baseAlias(instance: DevInstance, pattern: string, notes: SanitizeNote[] = []): string {
  const values: Record<string, string> = {
    name: instance.name ?? '',
    id: instance.instanceId,
    shortId: shortId(instance.instanceId),
    region: instance.region,
  };
  const filled = pattern.replace(/\{(\w+)\}/g, (m, key: string) => values[key] ?? m);
  const withTags = filled.replace(/\{tag:([^}]+)\}/g, (_m, key: string) => instance.tags[key] ?? '');
  const cleaned = sanitizeAlias(withTags);
  if (cleaned && cleaned !== withTags) notes.push({ field: `alias of ${instance.instanceId}`, original: withTags, result: cleaned, reason: 'characters ssh would misread were replaced' });
  if (!cleaned) {
    if (withTags) notes.push({ field: `alias of ${instance.instanceId}`, original: withTags, result: instance.instanceId, reason: 'nothing usable left; using the instance id' });
    return instance.instanceId;
  }
  return cleaned;
}

/**
 * Gives every instance a unique alias. Deterministic and stable: within a clash the oldest instance (launch time,
 * then id) keeps the base alias, the others get `-<last 8 of instance id>`, which does not change when more
 * instances appear. `reserved` (bastion aliases) are never handed out.
 */
export function assignAliases(instances: readonly DevInstance[], pattern = DEFAULT_ALIAS_PATTERN, reserved: readonly string[] = [], suffixes: readonly string[] = ['']): AliasResult {
  const notes: SanitizeNote[] = [];
  const groups = new Map<string, DevInstance[]>();
  const bases = new Map<string, string>();
  for (const i of instances) {
    const base = baseAlias(i, pattern, notes);
    bases.set(i.instanceId, base);
    const key = base.toLowerCase(); // ssh matches Host patterns case-insensitively
    const list = groups.get(key) ?? [];
    list.push(i);
    groups.set(key, list);
  }
  // Every identity adds its suffix to an alias, so a name is free only if all its suffixed forms are.
  const taken = new Set(reserved.map((r) => r.toLowerCase()));
  const free = (alias: string): boolean => suffixes.every((sfx) => !taken.has(`${alias}${sfx}`.toLowerCase()));
  const claim = (alias: string): void => suffixes.forEach((sfx) => taken.add(`${alias}${sfx}`.toLowerCase()));
  const aliases = new Map<string, string>();
  const collisions: AliasCollision[] = [];
  const order = [...groups.keys()].sort();
  // First pass: uncontested bases are claimed before suffixed names, so a suffix never steals a real name.
  for (const key of order) {
    const list = groups.get(key)!.sort(byAge);
    const base = bases.get(list[0].instanceId)!;
    if (free(base)) {
      aliases.set(list[0].instanceId, base);
      claim(base);
    }
  }
  for (const key of order) {
    const list = groups.get(key)!;
    const base = bases.get(list[0].instanceId)!;
    const renamed: AliasAssignment[] = [];
    for (const inst of list) {
      if (aliases.has(inst.instanceId)) continue;
      const own = bases.get(inst.instanceId)!;
      let candidate = withSuffix(own, shortId(inst.instanceId));
      for (let n = 2; !free(candidate); n++) candidate = withSuffix(own, `${shortId(inst.instanceId)}-${n}`);
      claim(candidate);
      aliases.set(inst.instanceId, candidate);
      renamed.push({ instanceId: inst.instanceId, alias: candidate });
    }
    if (renamed.length) collisions.push({ base, kept: aliases.get(list[0].instanceId) === base ? list[0].instanceId : '(reserved)', renamed });
  }
  return { aliases, collisions, notes };
}

function withSuffix(base: string, suffix: string): string {
  return `${base.slice(0, MAX_ALIAS_LENGTH - suffix.length - 1)}-${suffix}`;
}

function byAge(a: DevInstance, b: DevInstance): number {
  const ta = a.launchTime ? Date.parse(a.launchTime) : Infinity;
  const tb = b.launchTime ? Date.parse(b.launchTime) : Infinity;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0;
}
