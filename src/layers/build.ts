import { execFile } from 'child_process';
import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { unzipSync } from 'fflate';
import { throwIfAborted } from '../aws/cancellation';
import { DEFAULT_EXCLUDES, makeExcluder } from './core/glob';
import { inside, type BuildKind, type LayerManifest, type ManifestLocation } from './core/manifest';
import { deterministicZip, sha256Base64, type ZipEntry } from './core/zip';

/**
 * Builds a layer zip from a manifest's source: Node.js (production install into nodejs/node_modules, as the
 * seed article's CodeBuild step does), Python (pip install -t python/), none (the folder as is) or a ready zip
 * (published byte for byte). Uses the file system and child processes; no vscode, no AWS SDK.
 */
export interface BuildResult {
  readonly kind: BuildKind | 'zip';
  readonly bytes: Uint8Array;
  readonly codeSha256: string;
  readonly zippedSize: number;
  readonly unzippedSize: number;
  readonly fileCount: number;
  readonly warnings: readonly string[];
  readonly ms: number;
}

export interface BuildOptions {
  readonly signal?: AbortSignal;
  /** Progress lines ("npm install --omit=dev …"). */
  readonly log?: (line: string) => void;
  readonly npmCommand?: string;
  readonly pythonCommand?: string;
}

/** Top-level folders Lambda's runtimes look at under /opt. */
const LAYER_ROOTS = new Set(['nodejs', 'python', 'java', 'ruby', 'bin', 'lib', 'etc', 'share', 'extensions']);

/**
 * The manifest's source as an absolute path. With the manifest's location, also where it really leads: the
 * validator checks the path as written (core/manifest.ts), this follows symbolic links, so a source inside the
 * workspace that links to ~/.aws is refused as well.
 */
export async function manifestSource(manifestFile: string, manifest: LayerManifest, location?: ManifestLocation): Promise<string> {
  const source = path.resolve(path.dirname(manifestFile), manifest.source);
  if (location) {
    const [real, realRoot] = await Promise.all([fs.realpath(source).catch(() => source), fs.realpath(location.root).catch(() => location.root)]);
    if (!inside(realRoot, real)) {
      throw new Error(`The layer source ${source} leads to ${real} (through a symbolic link), outside the ${location.rootLabel} ${location.root}: a manifest may package only files inside it.`);
    }
  }
  return source;
}

export async function buildFromManifest(manifestFile: string, manifest: LayerManifest, options: BuildOptions & { location?: ManifestLocation } = {}): Promise<BuildResult> {
  const source = await manifestSource(manifestFile, manifest, options.location);
  return buildLayer({ source, kind: manifest.sourceIsZip ? 'zip' : manifest.build, exclude: manifest.exclude }, options);
}

export async function buildLayer(input: { source: string; kind: BuildKind | 'zip'; exclude?: readonly string[] }, options: BuildOptions = {}): Promise<BuildResult> {
  const started = Date.now();
  const stat = await fs.stat(input.source).catch(() => undefined);
  if (!stat) throw new Error(`The layer source ${input.source} does not exist.`);
  if (input.kind === 'zip' || stat.isFile()) {
    if (!stat.isFile()) throw new Error(`${input.source} is a folder; a ready zip must be a .zip file.`);
    const bytes = new Uint8Array(await fs.readFile(input.source));
    const { unzippedSize, fileCount } = zipContents(bytes);
    return { kind: 'zip', bytes, codeSha256: sha256Base64(bytes), zippedSize: bytes.length, unzippedSize, fileCount, warnings: [], ms: Date.now() - started };
  }
  const exclude = makeExcluder([...DEFAULT_EXCLUDES, ...(input.exclude ?? [])]);
  let entries: ZipEntry[];
  const warnings: string[] = [];
  if (input.kind === 'nodejs') entries = await nodeEntries(input.source, exclude, options);
  else if (input.kind === 'python') entries = await pythonEntries(input.source, exclude, options);
  else {
    entries = await collectTree(input.source, exclude, '', warnings);
    const roots = [...new Set(entries.map((e) => e.path.split('/')[0]))].filter((r) => !LAYER_ROOTS.has(r));
    if (roots.length) warnings.push(`Lambda extracts layers into /opt; runtimes only look in nodejs/, python/, java/lib, ruby/, bin/ and lib/. Not used by any runtime: ${roots.slice(0, 5).join(', ')}${roots.length > 5 ? '…' : ''}`);
  }
  if (entries.length === 0) throw new Error(`Nothing to zip in ${input.source} (everything is excluded, or the install produced no files).`);
  throwIfAborted(options.signal);
  const bytes = deterministicZip(entries);
  return {
    kind: input.kind,
    bytes,
    codeSha256: sha256Base64(bytes),
    zippedSize: bytes.length,
    unzippedSize: entries.reduce((n, e) => n + e.data.length, 0),
    fileCount: entries.length,
    warnings,
    ms: Date.now() - started,
  };
}

/**
 * A cheap fingerprint of what a build of `source` would read, without reading any file's content: for a
 * folder, every included file's path, size, mtime, ctime and mode (links: their target); for a ready zip, its
 * size and times. Equal fingerprints mean a rebuild would give the same zip (the zip itself ignores times).
 */
export async function sourceFingerprint(source: string, kind: BuildKind | 'zip', exclude: readonly string[] = []): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ source, kind, exclude }));
  const st = await fs.stat(source).catch(() => undefined);
  if (!st) return `missing:${hash.digest('base64')}`;
  if (st.isFile()) {
    hash.update(`\0file ${st.size} ${st.mtimeMs} ${st.ctimeMs} ${st.ino}`);
    return hash.digest('base64');
  }
  const excluded = makeExcluder([...DEFAULT_EXCLUDES, ...exclude]);
  const walk = async (rel: string): Promise<void> => {
    const items = await fs.readdir(path.join(source, rel), { withFileTypes: true });
    items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const item of items) {
      const relPath = rel ? `${rel}/${item.name}` : item.name;
      if (excluded(relPath)) continue;
      const abs = path.join(source, relPath);
      if (item.isSymbolicLink()) hash.update(`\0L ${relPath} ${await fs.readlink(abs)}`);
      else if (item.isDirectory()) await walk(relPath);
      else if (item.isFile()) {
        const f = await fs.stat(abs);
        hash.update(`\0F ${relPath} ${f.size} ${f.mtimeMs} ${f.ctimeMs} ${f.mode}`);
      }
    }
  };
  await walk('');
  return hash.digest('base64');
}

/**
 * The local build of "none" and ready-zip manifests that the Lambda Layers view compares Regions with, kept
 * per manifest with the source's fingerprint: a refresh with nothing changed costs a directory walk and a stat
 * per file instead of reading and deflating the whole source again; any changed, added or removed file (or a
 * changed manifest source, kind or exclude list) rebuilds.
 */
export class LocalBuildCache {
  private readonly entries = new Map<string, { fingerprint: string; codeSha256: string }>();
  /** Real builds made so far (cache misses). */
  builds = 0;

  constructor(private readonly build: typeof buildFromManifest = buildFromManifest) {}

  async codeSha256(manifestFile: string, manifest: LayerManifest, options: { location?: ManifestLocation; signal?: AbortSignal } = {}): Promise<string> {
    const source = await manifestSource(manifestFile, manifest, options.location);
    const kind: BuildKind | 'zip' = manifest.sourceIsZip ? 'zip' : manifest.build;
    const fingerprint = await sourceFingerprint(source, kind, manifest.exclude);
    const hit = this.entries.get(manifestFile);
    if (hit && hit.fingerprint === fingerprint) return hit.codeSha256;
    throwIfAborted(options.signal);
    this.builds++;
    const built = await this.build(manifestFile, manifest, options);
    this.entries.set(manifestFile, { fingerprint, codeSha256: built.codeSha256 });
    return built.codeSha256;
  }
}

/** Sizes from a zip's directory, without inflating anything. */
export function zipContents(bytes: Uint8Array): { unzippedSize: number; fileCount: number } {
  let unzippedSize = 0;
  let fileCount = 0;
  unzipSync(bytes, {
    filter: (f) => {
      if (!f.name.endsWith('/')) {
        unzippedSize += f.originalSize;
        fileCount++;
      }
      return false;
    },
  });
  return { unzippedSize, fileCount };
}

/** Every file under `dir` as zip entries under `prefix`; symlinks stay links, excluded paths are skipped. */
export async function collectTree(dir: string, exclude: (rel: string) => boolean, prefix: string, warnings: string[] = [], rel = ''): Promise<ZipEntry[]> {
  const out: ZipEntry[] = [];
  const items = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
  for (const item of items) {
    const relPath = rel ? `${rel}/${item.name}` : item.name;
    if (exclude(relPath)) continue;
    const abs = path.join(dir, relPath);
    const zipPath = prefix ? `${prefix}/${relPath}` : relPath;
    if (item.isSymbolicLink()) {
      const target = await fs.readlink(abs);
      if (path.isAbsolute(target) || path.posix.normalize(path.posix.join(path.posix.dirname(relPath), target.split(path.sep).join('/'))).startsWith('..')) {
        warnings.push(`${zipPath} links outside the layer (${target}); it will be broken under /opt.`);
      }
      out.push({ path: zipPath, data: Buffer.from(target.split(path.sep).join('/'), 'utf8'), symlink: true });
    } else if (item.isDirectory()) {
      out.push(...(await collectTree(dir, exclude, prefix, warnings, relPath)));
    } else if (item.isFile()) {
      const [data, st] = await Promise.all([fs.readFile(abs), fs.stat(abs)]);
      out.push({ path: zipPath, data: new Uint8Array(data), mode: st.mode });
    }
  }
  return out;
}

async function withTempDir<T>(body: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'opsdeck-layer-'));
  try {
    return await body(tmp);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], cwd: string, options: BuildOptions): Promise<void> {
  options.log?.(`${command} ${args.join(' ')}`);
  // npm is a .cmd on Windows, which Node (since 20.12) runs only through a shell. npm's arguments here are
  // constants and its folder a temp dir, so nothing from a manifest reaches that shell; pip never gets one.
  const npmShell = process.platform === 'win32' && command === 'npm';
  return new Promise((resolve, reject) => {
    execFile(command, args, {
      cwd,
      signal: options.signal,
      maxBuffer: 32 * 1024 * 1024,
      shell: npmShell,
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', PIP_DISABLE_PIP_VERSION_CHECK: '1' },
    }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      if ((err as { name?: string }).name === 'AbortError') return reject(err);
      const tail = String(stderr).trim().split('\n').slice(-8).join('\n');
      reject(new Error(`${command} ${args[0]} failed (${(err as { code?: unknown }).code ?? 'error'}): ${tail || err.message}`));
    });
  });
}

/**
 * Node.js: package.json → nodejs/node_modules with a production install in a temp folder (the source folder is
 * never touched). With a lockfile `npm ci --omit=dev`, else `npm install --omit=dev`. `file:` dependencies are
 * made absolute for the install and packed as copies (--install-links), so the layer holds no links out of it.
 * The zip gets the original package.json and node_modules, minus npm's own .package-lock.json cache (it holds
 * temp paths, which would change the hash on every build).
 */
async function nodeEntries(source: string, exclude: (rel: string) => boolean, options: BuildOptions): Promise<ZipEntry[]> {
  const pkgFile = path.join(source, 'package.json');
  const original = await fs.readFile(pkgFile).catch(() => undefined);
  if (!original) throw new Error(`A Node.js layer needs ${pkgFile}.`);
  const pkg = JSON.parse(original.toString('utf8')) as { dependencies?: Record<string, string>; devDependencies?: unknown };
  const hasLock = await Promise.any(['package-lock.json', 'npm-shrinkwrap.json'].map((f) => fs.access(path.join(source, f)).then(() => f))).catch(() => undefined);
  return withTempDir(async (tmp) => {
    const work = path.join(tmp, 'nodejs');
    await fs.mkdir(work);
    for (const [name, spec] of Object.entries(pkg.dependencies ?? {})) {
      if (spec.startsWith('file:') && !path.isAbsolute(spec.slice(5))) pkg.dependencies![name] = `file:${path.resolve(source, spec.slice(5))}`;
    }
    // Without a lockfile npm would still resolve devDependencies to plan the tree (network, and failures for
    // private dev tools): a production layer never needs them, so the install copy leaves them out.
    if (!hasLock) delete pkg.devDependencies;
    await fs.writeFile(path.join(work, 'package.json'), JSON.stringify(pkg, null, 2));
    const common = ['--omit=dev', '--no-audit', '--no-fund', '--install-links', '--loglevel=error'];
    if (hasLock) {
      await fs.copyFile(path.join(source, hasLock), path.join(work, hasLock));
      await run(options.npmCommand ?? 'npm', ['ci', ...common], work, options);
    } else {
      await run(options.npmCommand ?? 'npm', ['install', ...common, '--no-package-lock'], work, options);
    }
    throwIfAborted(options.signal);
    const modules = path.join(work, 'node_modules');
    const hasModules = await fs.stat(modules).then((s) => s.isDirectory(), () => false);
    const entries = hasModules ? await collectTree(modules, (rel) => rel === '.package-lock.json' || exclude(rel), 'nodejs/node_modules') : [];
    return [{ path: 'nodejs/package.json', data: new Uint8Array(original), mode: 0o644 }, ...entries];
  });
}

/**
 * Python: requirements.txt → python/ with `pip install -r requirements.txt -t python --no-compile` (no .pyc:
 * they embed timestamps). Needs pip and, for anything but local wheels, network access to the package index.
 */
async function pythonEntries(source: string, exclude: (rel: string) => boolean, options: BuildOptions): Promise<ZipEntry[]> {
  const req = path.join(source, 'requirements.txt');
  if (!(await fs.stat(req).catch(() => undefined))) throw new Error(`A Python layer needs ${req}.`);
  return withTempDir(async (tmp) => {
    const target = path.join(tmp, 'python');
    const python = options.pythonCommand ?? (process.platform === 'win32' ? 'python' : 'python3');
    await run(python, ['-m', 'pip', 'install', '-r', req, '-t', target, '--no-compile', '--no-input', '--disable-pip-version-check', '--quiet'], source, options);
    throwIfAborted(options.signal);
    return collectTree(target, (rel) => rel.endsWith('.pyc') || rel.split('/').includes('__pycache__') || exclude(rel), 'python');
  });
}

/** Guesses the build kind of a folder for "create manifest from folder". */
export async function detectBuildKind(folder: string): Promise<BuildKind> {
  const has = (f: string) => fs.access(path.join(folder, f)).then(() => true, () => false);
  if (await has('package.json')) return 'nodejs';
  if (await has('requirements.txt')) return 'python';
  return 'none';
}
