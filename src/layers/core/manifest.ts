import * as path from 'path';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { isRegionName } from '../../aws/regionCatalog';
import { positionAt } from '../../common/textPosition';
import { KNOWN_RUNTIMES } from './runtimes';
import { nestingTooDeep } from '../../common/jsonDepth';

/**
 * The layer manifest (`*.layer.json`): one file says what a layer is made of and where it goes. Parsed with
 * jsonc-parser so every problem carries the offset of the value it is about (the editor underlines it, the
 * CLI prints file:line:col). The JSON schema (schemas/layer-manifest.schema.json) gives completion; this
 * validator is the source of truth and also checks what a schema cannot (cross-field rules).
 */
export type BuildKind = 'nodejs' | 'python' | 'none';
export type Architecture = 'x86_64' | 'arm64';

export type Grant =
  | { readonly kind: 'account'; readonly account: string }
  | { readonly kind: 'organization'; readonly organizationId: string }
  | { readonly kind: 'public' };

export interface StagingBucket {
  readonly bucket: string;
  readonly prefix: string;
}

export interface LayerManifest {
  readonly name: string;
  readonly description?: string;
  readonly license?: string;
  /** Folder or ready zip, relative to the manifest file. */
  readonly source: string;
  readonly sourceIsZip: boolean;
  readonly build: BuildKind;
  readonly exclude: readonly string[];
  readonly compatibleRuntimes: readonly string[];
  readonly compatibleArchitectures: readonly Architecture[];
  /** Explicit list, or 'all-enabled' (every Region DescribeRegions reports as enabled). */
  readonly regions: readonly string[] | 'all-enabled';
  readonly permissions: readonly Grant[];
  readonly s3Staging: Readonly<Record<string, StagingBucket>>;
}

export interface ManifestProblem {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly offset: number;
  readonly length: number;
  /** JSON path of the value, e.g. ["permissions", 1, "account"]. */
  readonly path: readonly (string | number)[];
}

export interface ManifestParseResult {
  readonly manifest?: LayerManifest;
  readonly problems: readonly ManifestProblem[];
}

export const LAYER_NAME = /^[a-zA-Z0-9-_]{1,140}$/;
export const ACCOUNT_ID = /^\d{12}$/;
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const KNOWN_KEYS: ReadonlySet<string> = new Set([
  '$schema', 'name', 'description', 'license', 'source', 'build', 'exclude', 'compatibleRuntimes',
  'compatibleArchitectures', 'regions', 'permissions', 's3Staging',
]);

/**
 * Where a manifest file is, for the rule on `source`: it must stay inside `root`, the workspace folder (VS Code)
 * or the repository (CLI) the manifest belongs to. Paths are absolute; no file system access happens here.
 */
export interface ManifestLocation {
  /** The manifest file's folder: `source` is relative to it. */
  readonly dir: string;
  /** The folder `source` must stay inside. */
  readonly root: string;
  /** How messages name `root`: "workspace folder", "repository", "folder". */
  readonly rootLabel: string;
}

export interface ParseOptions {
  /** Enables the workspace check on `source`; without it only what the text alone shows is checked. */
  readonly location?: ManifestLocation;
  /** The text was made from command-line flags (`--dir`/`--zip`): an explicit path the user typed, not checked. */
  readonly sourceFromCommandLine?: boolean;
}

/** Parses and validates manifest text. `manifest` is set only when there is no error (warnings are fine). */
export function parseManifest(text: string, options: ParseOptions = {}): ManifestParseResult {
  const result = parseManifestText(text, options);
  // Last gate: a message never carries a 100,000-character value into the Problems panel or the terminal.
  const clipped = result.problems.map((p) => (p.message.length > MESSAGE_MAX ? { ...p, message: `${p.message.slice(0, MESSAGE_MAX - 1)}…` } : p));
  return { ...result, problems: clipped };
}

/** Deeper than any real manifest (it is 3 levels deep); far below what the recursive JSON parser survives. */
export const MAX_NESTING_DEPTH = 64;
const MESSAGE_MAX = 500;
const VALUE_SHOWN_MAX = 80;

/** A value quoted in a message, clipped so a hostile 100 kB string does not become a 100 kB message. */
function shown(value: unknown): string {
  const s = String(value);
  return s.length > VALUE_SHOWN_MAX ? `${s.slice(0, VALUE_SHOWN_MAX)}… (${s.length} characters)` : s;
}


function parseManifestText(text: string, options: ParseOptions): ManifestParseResult {
  const problems: ManifestProblem[] = [];
  const tooDeep = nestingTooDeep(text, MAX_NESTING_DEPTH);
  if (tooDeep !== undefined) {
    return { problems: [{ severity: 'error', message: `The JSON is nested more than ${MAX_NESTING_DEPTH} levels deep; a layer manifest is a flat object. Not read further.`, offset: tooDeep, length: 1, path: [] }] };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  for (const e of errors) {
    problems.push({ severity: 'error', message: `JSON syntax: ${printParseErrorCode(e.error)}`, offset: e.offset, length: Math.max(1, e.length), path: [] });
  }
  if (!root) return { problems: problems.length ? problems : [problem('error', 'The manifest is empty.', undefined, [])] };
  if (root.type !== 'object') return { problems: [...problems, problem('error', 'A layer manifest is a JSON object.', root, [])] };
  keepLastDuplicates(root, problems);
  const v = new Validator(root, problems);

  for (const prop of root.children ?? []) {
    const key = prop.children?.[0];
    if (key && typeof key.value === 'string' && !KNOWN_KEYS.has(key.value)) {
      v.warn(`Unknown property "${shown(key.value)}" (ignored).`, key, [key.value]);
    }
  }

  const name = v.string(['name'], { required: true, pattern: LAYER_NAME, patternHint: '1–140 letters, digits, "-" or "_"' });
  const description = v.string(['description'], { max: 256 });
  const license = v.string(['license'], { max: 512 });
  const source = v.string(['source'], { required: true, min: 1 });
  if (source && !options.sourceFromCommandLine) v.sourcePlace(source, options.location);
  const sourceIsZip = !!source && /\.zip$/i.test(source);
  let build = v.string(['build'], { oneOf: ['nodejs', 'python', 'none'] }) as BuildKind | undefined;
  if (sourceIsZip && build && build !== 'none') v.error('A ready zip is published as is: use "build": "none" (or leave it out).', ['build']);
  build ??= 'none';
  const exclude = v.stringArray(['exclude'], {}) ?? [];

  const runtimes = v.stringArray(['compatibleRuntimes'], { max: 15, unique: true }) ?? [];
  runtimes.forEach((r, i) => {
    if (!KNOWN_RUNTIMES.includes(r)) v.warn(`"${shown(r)}" is not a Lambda runtime OpsDeck knows; Lambda will reject it if it is not one.`, ['compatibleRuntimes', i]);
  });
  if (build === 'nodejs' && runtimes.some((r) => !r.startsWith('nodejs'))) v.warn('A Node.js build (nodejs/node_modules) only helps Node.js runtimes.', ['compatibleRuntimes']);
  if (build === 'python' && runtimes.some((r) => !r.startsWith('python'))) v.warn('A Python build (python/) only helps Python runtimes.', ['compatibleRuntimes']);
  const archs = (v.stringArray(['compatibleArchitectures'], { max: 2, unique: true, oneOf: ['x86_64', 'arm64'] }) ?? []) as Architecture[];

  let regions: string[] | 'all-enabled' | undefined;
  const regionsNode = findNodeAtLocation(root, ['regions']);
  if (!regionsNode) v.error('"regions" is required: a list of Regions, or "all-enabled".', []);
  else if (regionsNode.type === 'string') {
    if (regionsNode.value === 'all-enabled') regions = 'all-enabled';
    else v.error('"regions" is a list of Region names, or the string "all-enabled".', ['regions']);
  } else {
    regions = v.stringArray(['regions'], { min: 1, unique: true }) ?? undefined;
    regions?.forEach((r, i) => {
      if (!isRegionName(r)) v.error(`"${shown(r)}" is not a Region name (expected something like us-east-1).`, ['regions', i]);
    });
  }

  const permissions = v.grants();
  const s3Staging = v.staging(regions);

  const hasError = problems.some((p) => p.severity === 'error');
  if (hasError || !name || !source || !regions) return { problems };
  return {
    problems,
    manifest: {
      name, description, license, source, sourceIsZip, build, exclude,
      compatibleRuntimes: runtimes, compatibleArchitectures: archs, regions, permissions, s3Staging,
    },
  };
}

/**
 * JSON.parse, and so every other tool reading the manifest, keeps the LAST of two equal keys; jsonc-parser's
 * lookups find the first. Drop the earlier properties from the tree (depth is bounded by the check above) and
 * say so at each dropped key.
 */
function keepLastDuplicates(node: Node, problems: ManifestProblem[]): void {
  if (node.type === 'object' && node.children) {
    const last = new Map<string, Node>();
    for (const prop of node.children) {
      const key = prop.children?.[0];
      if (key && typeof key.value === 'string') last.set(key.value, prop);
    }
    (node as { children?: Node[] }).children = node.children.filter((prop) => {
      const key = prop.children?.[0];
      if (!key || typeof key.value !== 'string' || last.get(key.value) === prop) return true;
      problems.push(problem('warning', `"${shown(key.value)}" appears more than once in this object; only the last one is used.`, key, [key.value]));
      return false;
    });
  }
  for (const child of node.children ?? []) keepLastDuplicates(child, problems);
}

function problem(severity: ManifestProblem['severity'], message: string, node: Node | undefined, path: (string | number)[]): ManifestProblem {
  return { severity, message, offset: node?.offset ?? 0, length: node?.length ?? 1, path };
}

/** Small helpers that read a typed value at a path and record a positioned problem when it is wrong. */
class Validator {
  constructor(private readonly root: Node, private readonly problems: ManifestProblem[]) {}

  node(path: (string | number)[]): Node | undefined {
    return path.length ? findNodeAtLocation(this.root, path) : this.root;
  }

  error(message: string, path: (string | number)[], node = this.node(path)): void {
    this.problems.push(problem('error', message, node ?? this.nearest(path), path));
  }

  warn(message: string, node: Node | (string | number)[] | undefined, path: (string | number)[] = []): void {
    const n = Array.isArray(node) ? this.node(node) : node;
    this.problems.push(problem('warning', message, n, Array.isArray(node) ? node : path));
  }

  /** The closest existing ancestor, so a missing key underlines its parent object. */
  private nearest(path: (string | number)[]): Node | undefined {
    for (let i = path.length - 1; i >= 0; i--) {
      const n = this.node(path.slice(0, i));
      if (n) return n;
    }
    return this.root;
  }

  /**
   * `source` stays inside the manifest's workspace folder or repository: a manifest is data that travels with a
   * repository, and a publish may make the layer public, so one cloned from elsewhere must not be able to zip
   * ~/.aws or /etc. Absolute paths are refused too (they break in every other checkout and in CI). Climbing out
   * of the manifest's own folder is fine while it stays inside (a monorepo's "../../packages/shared").
   */
  sourcePlace(source: string, location: ManifestLocation | undefined): void {
    const at = ['source'];
    if (/^~([/\\]|$)/.test(source)) {
      return this.error(`"source" starts with "~", which is not expanded: it would mean a folder named "~" next to this manifest. Write the path relative to the manifest's folder.`, at);
    }
    if (path.posix.isAbsolute(source) || path.win32.isAbsolute(source) || /^[a-zA-Z]:/.test(source)) {
      let hint = 'Write it relative to the manifest\'s folder';
      if (location) {
        const resolved = path.resolve(location.dir, source);
        hint = inside(location.root, resolved)
          ? `Write it relative to the manifest's folder: "${toPosix(path.relative(location.dir, resolved)) || '.'}"`
          : `It is also outside the ${location.rootLabel} ${location.root}, where a manifest's source must be`;
      }
      return this.error(`"source" is an absolute path (${shown(source)}): it works on this machine only and can name any file on it. ${hint}.`, at);
    }
    if (location) {
      const resolved = path.resolve(location.dir, source);
      if (!inside(location.root, resolved)) {
        return this.error(
          `"source" resolves to ${shown(resolved)}, outside the ${location.rootLabel} ${location.root}. A manifest may package only files inside the ${location.rootLabel} it belongs to, so that one from a cloned repository cannot publish files from elsewhere on this machine. Move the source inside, open a folder that contains both, or publish that path explicitly (opsdeck layers publish --name … --dir/--zip …).`,
          at,
        );
      }
    } else if (/^\.\.(\/|$)/.test(path.posix.normalize(source.replace(/\\/g, '/')))) {
      this.warn('"source" leaves the manifest\'s folder; it must stay inside the workspace folder or repository the manifest belongs to (checked when the manifest is opened from one).', at);
    }
  }

  string(path: (string | number)[], o: { required?: boolean; min?: number; max?: number; pattern?: RegExp; patternHint?: string; oneOf?: string[] }): string | undefined {
    const n = this.node(path);
    const label = `"${path.join('.')}"`;
    if (!n) {
      if (o.required) this.error(`${label} is required.`, path);
      return undefined;
    }
    if (n.type !== 'string') return void this.error(`${label} must be a string.`, path, n);
    const s = n.value as string;
    if (o.min !== undefined && s.length < o.min) return void this.error(`${label} must not be empty.`, path, n);
    if (o.max !== undefined && s.length > o.max) return void this.error(`${label} is ${s.length} characters; Lambda allows ${o.max}.`, path, n);
    if (o.pattern && !o.pattern.test(s)) return void this.error(`${label} "${shown(s)}" is not valid: ${o.patternHint}.`, path, n);
    if (o.oneOf && !o.oneOf.includes(s)) return void this.error(`${label} must be one of ${o.oneOf.map((x) => `"${x}"`).join(', ')}.`, path, n);
    return s;
  }

  stringArray(path: (string | number)[], o: { min?: number; max?: number; unique?: boolean; oneOf?: string[] }): string[] | undefined {
    const n = this.node(path);
    const label = `"${path.join('.')}"`;
    if (!n) return undefined;
    if (n.type !== 'array') return void this.error(`${label} must be a list of strings.`, path, n);
    const out: string[] = [];
    (n.children ?? []).forEach((c, i) => {
      if (c.type !== 'string') return this.error(`${label} may contain only strings.`, [...path, i], c);
      const s = c.value as string;
      if (o.oneOf && !o.oneOf.includes(s)) return this.error(`"${shown(s)}" is not one of ${o.oneOf.join(', ')}.`, [...path, i], c);
      if (o.unique && out.includes(s)) return this.warn(`"${shown(s)}" is listed twice.`, c, [...path, i]);
      out.push(s);
    });
    if (o.min !== undefined && out.length < o.min) this.error(`${label} must list at least ${o.min}.`, path, n);
    if (o.max !== undefined && out.length > o.max) this.error(`${label} lists ${out.length}; Lambda allows ${o.max}.`, path, n);
    return out;
  }

  grants(): Grant[] {
    const n = this.node(['permissions']);
    if (!n) return [];
    if (n.type !== 'array') {
      this.error('"permissions" must be a list such as [{ "account": "123456789012" }].', ['permissions'], n);
      return [];
    }
    const out: Grant[] = [];
    (n.children ?? []).forEach((c, i) => {
      const path = ['permissions', i];
      if (c.type !== 'object') return this.error('Each permission is an object: { "account": "…" }, { "organization": "o-…" } or { "public": true }.', path, c);
      const keys = (c.children ?? []).map((p) => p.children?.[0]?.value as string);
      if (keys.length !== 1) return this.error('Each permission names exactly one of "account", "organization" or "public".', path, c);
      const key = keys[0];
      const value = findNodeAtLocation(c, [key]);
      if (key === 'account') {
        if (value?.type !== 'string' || !ACCOUNT_ID.test(value.value as string)) return this.error('An account id is 12 digits, as a string.', [...path, key], value);
        out.push({ kind: 'account', account: value.value as string });
      } else if (key === 'organization') {
        if (value?.type !== 'string' || !ORGANIZATION_ID.test(value.value as string)) return this.error('An organization id looks like "o-a1b2c3d4e5".', [...path, key], value);
        out.push({ kind: 'organization', organizationId: value.value as string });
      } else if (key === 'public') {
        if (value?.value !== true) return this.error('Write { "public": true } to let every AWS account use the layer, or remove the entry.', [...path, key], value);
        this.warn('Public: every AWS account will be able to use each published version.', value, [...path, key]);
        out.push({ kind: 'public' });
      } else {
        return this.error(`Unknown permission "${shown(key)}": use "account", "organization" or "public".`, path, c);
      }
    });
    const seen = new Set<string>();
    out.forEach((g) => {
      const k = JSON.stringify(g);
      if (seen.has(k)) this.warn('This permission is listed twice.', ['permissions']);
      seen.add(k);
    });
    return out;
  }

  staging(regions: readonly string[] | 'all-enabled' | undefined): Record<string, StagingBucket> {
    const n = this.node(['s3Staging']);
    const out: Record<string, StagingBucket> = {};
    if (!n) return out;
    if (n.type !== 'object') {
      this.error('"s3Staging" maps a Region to a bucket: { "eu-west-1": "my-bucket" }.', ['s3Staging'], n);
      return out;
    }
    for (const prop of n.children ?? []) {
      const region = prop.children?.[0]?.value as string;
      const value = prop.children?.[1];
      const path = ['s3Staging', region];
      if (!isRegionName(region)) this.error(`"${shown(region)}" is not a Region name.`, path, prop.children?.[0]);
      let bucket: string | undefined;
      let prefix = 'opsdeck-layers/';
      if (value?.type === 'string') bucket = value.value as string;
      else if (value?.type === 'object') {
        bucket = findNodeAtLocation(value, ['bucket'])?.value as string | undefined;
        const p = findNodeAtLocation(value, ['prefix'])?.value;
        if (typeof p === 'string') prefix = p && !p.endsWith('/') ? `${p}/` : p;
      }
      if (!bucket || !BUCKET.test(bucket)) {
        this.error('A staging bucket is a bucket name (3–63 lowercase letters, digits, "." or "-") or { "bucket": "…", "prefix": "…" }.', path, value);
        continue;
      }
      if (Array.isArray(regions) && !regions.includes(region)) this.warn(`${shown(region)} is not a target Region; this bucket is never used.`, prop.children?.[0], path);
      out[region] = { bucket, prefix };
    }
    return out;
  }
}

/** True when `target` is `root` or below it (both absolute; string arithmetic only, links are the build's business). */
export function inside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (rel.split(/[\\/]/)[0] !== '..' && !path.isAbsolute(rel));
}

const toPosix = (p: string) => p.split(path.sep).join('/');

export { positionAt };

/** "file:3:12: error: …" lines, as compilers print them. */
export function formatProblems(file: string, text: string, problems: readonly ManifestProblem[]): string[] {
  return problems.map((p) => {
    const { line, column } = positionAt(text, p.offset);
    return `${file}:${line}:${column}: ${p.severity}: ${p.message}`;
  });
}
