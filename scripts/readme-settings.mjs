// Regenerates the settings table in README.md (between the SETTINGS markers) from package.json, so the README
// never drifts from what the extension contributes. Run by the build; a unit test checks it is current.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Scope column: VS Code's scope (`window` when none is declared) and, for the settings package.json lists as
 * `restrictedConfigurations`, that an untrusted workspace's value is ignored (see README "Restricted Mode").
 */
function scopeCell(key, p, restricted) {
  return `\`${p.scope ?? 'window'}\`${restricted.has(key) ? ', restricted' : ''}`;
}

export function settingsTable(pkg) {
  const props = pkg.contributes?.configuration?.properties ?? {};
  const restricted = new Set(pkg.capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? []);
  const rows = Object.entries(props).map(([key, p]) => {
    const text = (p.markdownDescription ?? p.description ?? '').replace(/\n+/g, ' ').replace(/\|/g, '\\|');
    const def = JSON.stringify(p.default ?? null);
    return `| \`${key}\` | \`${def.length > 60 ? `${def.slice(0, 57)}…` : def}\` | ${scopeCell(key, p, restricted)} | ${text} |`;
  });
  return ['| Setting | Default | Scope | What it does |', '|---|---|---|---|', ...rows].join('\n');
}

export function syncReadme(root) {
  const file = join(root, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const begin = '<!-- SETTINGS:BEGIN -->';
  const end = '<!-- SETTINGS:END -->';
  const a = readme.indexOf(begin);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) return false;
  const next = `${readme.slice(0, a + begin.length)}\n${settingsTable(pkg)}\n${readme.slice(b)}`;
  if (next === readme) return false;
  writeFileSync(file, next);
  return true;
}
