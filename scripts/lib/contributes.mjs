// Merges each folder's `contributes.json` (src/shell first, then the features in name order) into the
// `contributes` of package.json. Feature folders own their commands, menus, views and settings; package.json
// stays the file VS Code reads. Arrays concatenate, objects merge, a repeated scalar is an error.
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function fragmentPaths(root) {
  const src = join(root, 'src');
  const features = readdirSync(src, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'shell' && existsSync(join(src, d.name, 'contributes.json')))
    .map((d) => join(src, d.name, 'contributes.json'))
    .sort();
  return [join(src, 'shell', 'contributes.json'), ...features];
}

function merge(into, from, path) {
  for (const [key, value] of Object.entries(from)) {
    const here = `${path}.${key}`;
    if (!(key in into)) into[key] = structuredClone(value);
    else if (Array.isArray(into[key]) && Array.isArray(value)) into[key].push(...structuredClone(value));
    else if (isObject(into[key]) && isObject(value)) merge(into[key], value, here);
    else throw new Error(`contributes: ${here} is defined twice`);
  }
}
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

export function mergedContributes(root) {
  const out = {};
  for (const file of fragmentPaths(root)) merge(out, JSON.parse(readFileSync(file, 'utf8')), file);
  return out;
}

/** Writes package.json only when its contributes differ; returns true when it changed. */
export function syncPackageJson(root) {
  const file = join(root, 'package.json');
  const text = readFileSync(file, 'utf8');
  const pkg = JSON.parse(text);
  const contributes = mergedContributes(root);
  if (JSON.stringify(pkg.contributes) === JSON.stringify(contributes)) return false;
  pkg.contributes = contributes;
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  return true;
}
