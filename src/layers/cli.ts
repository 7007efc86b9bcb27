import { promises as fs } from 'fs';
import * as path from 'path';
import { parseRegionList } from '../aws/regionCatalog';
import { EXIT, UsageError, type CliCommand, type CliContext } from '../cli/types';
import { describeGrant } from './core/grants';
import { formatProblems, parseManifest, type BuildKind, type Grant, type LayerManifest, type ManifestLocation } from './core/manifest';
import { failedRegions, formatBytes, renderDriftTable, renderResultTable } from './core/results';
import { shortHash } from './core/plan';
import type { AccountLimitsInfo } from './core/results';
import type { BuildResult, LayerTarget } from './service';
import { localCredentialsExist } from '../aws/localCredentials';

/**
 * `opsdeck layers publish|status|build`: the same manifest, plan and service as the editor, for CI.
 * Exit codes: 0 ok, 1 a Region failed (or the build did), 2 usage or an invalid manifest, 3 (status only)
 * some Region is behind, drifted or missing.
 */
const SOURCE_OPTIONS = {
  regions: { type: 'string', multiple: true },
  name: { type: 'string' },
  zip: { type: 'string' },
  dir: { type: 'string' },
  build: { type: 'string' },
  runtime: { type: 'string', multiple: true },
  architecture: { type: 'string', multiple: true },
  description: { type: 'string' },
  concurrency: { type: 'string' },
  'allow-public': { type: 'boolean' },
} as const;

interface Resolved {
  readonly manifest: LayerManifest;
  readonly manifestFile?: string;
  readonly source: string;
  /** Set for a manifest file: where its source must stay. */
  readonly location?: ManifestLocation;
}

/**
 * Where a manifest's source may point from the command line: inside the git repository that holds the manifest
 * (the nearest folder above it with a .git), or, outside any repository, the manifest's own folder.
 */
export async function manifestLocationOnDisk(manifestFile: string): Promise<ManifestLocation> {
  const dir = path.dirname(manifestFile);
  for (let d = dir; ; d = path.dirname(d)) {
    if (await fs.stat(path.join(d, '.git')).then(() => true, () => false)) return { dir, root: d, rootLabel: 'repository' };
    if (path.dirname(d) === d) return { dir, root: dir, rootLabel: 'folder of the manifest (it is in no git repository)' };
  }
}

async function loadManifest(file: string): Promise<{ manifest: LayerManifest; file: string; location: ManifestLocation }> {
  const abs = path.resolve(file);
  const text = await fs.readFile(abs, 'utf8').catch(() => {
    throw new UsageError(`Cannot read the manifest ${abs}.`);
  });
  const location = await manifestLocationOnDisk(abs);
  const { manifest, problems } = parseManifest(text, { location });
  const lines = formatProblems(path.relative(process.cwd(), abs) || abs, text, problems);
  if (!manifest) throw new UsageError(`The manifest has errors:\n${lines.join('\n')}`);
  return { manifest, file: abs, location };
}

const fromManifest = (m: { manifest: LayerManifest; file: string; location: ManifestLocation }): Resolved => ({ manifest: m.manifest, manifestFile: m.file, location: m.location, source: path.resolve(path.dirname(m.file), m.manifest.source) });

/** A manifest file, or an ad hoc layer from flags (--name with --zip or --dir). */
async function resolveInput(ctx: CliContext, values: Record<string, unknown>, positionals: string[]): Promise<Resolved> {
  const regionFlags = (values.regions as string[] | undefined) ?? [];
  const regions = regionFlags.length ? parseRegionList(regionFlags) : undefined;
  if (positionals[0]) {
    const loaded = await loadManifest(positionals[0]);
    return { ...fromManifest(loaded), manifest: { ...loaded.manifest, regions: regions ?? loaded.manifest.regions } };
  }
  const name = values.name as string | undefined;
  const zip = values.zip as string | undefined;
  const dir = values.dir as string | undefined;
  if (!name || (!zip && !dir) || (zip && dir)) throw new UsageError('Give a manifest file, or --name NAME with exactly one of --zip FILE or --dir DIR.');
  const build = (values.build as string | undefined) ?? (dir ? await ctx.core().layers.detectBuildKind(path.resolve(dir)) : 'none');
  if (!['nodejs', 'python', 'none'].includes(build)) throw new UsageError(`--build must be nodejs, python or none, not "${build}".`);
  const targetRegions = regions ?? ctx.settings.regions;
  if (!targetRegions.length) throw new UsageError('No Regions: pass --regions us-east-1,eu-west-1 (or --region).');
  const text = JSON.stringify({
    name,
    source: path.resolve(zip ?? dir ?? ''),
    build: zip ? 'none' : build,
    description: values.description,
    compatibleRuntimes: (values.runtime as string[] | undefined)?.flatMap((r) => r.split(',')) ?? [],
    compatibleArchitectures: (values.architecture as string[] | undefined)?.flatMap((r) => r.split(',')) ?? [],
    regions: targetRegions,
  });
  // --zip/--dir is a path the user typed: no workspace rule (that guards manifests, which arrive with repositories).
  const { manifest, problems } = parseManifest(text, { sourceFromCommandLine: true });
  if (!manifest) throw new UsageError(problems.filter((p) => p.severity === 'error').map((p) => p.message).join('\n'));
  return { manifest, source: manifest.source };
}

async function build(ctx: CliContext, r: Resolved): Promise<BuildResult> {
  const kind: BuildKind | 'zip' = r.manifest.sourceIsZip ? 'zip' : r.manifest.build;
  ctx.info(`Building ${r.manifest.name} (${kind}) from ${r.source}…`);
  if (r.manifestFile && r.location) await ctx.core().layers.manifestSource(r.manifestFile, r.manifest, r.location);
  const result = await ctx.core().layers.buildLayer({ source: r.source, kind, exclude: r.manifest.exclude }, { signal: ctx.signal, log: (l) => ctx.info(`  $ ${l}`) });
  for (const w of result.warnings) ctx.info(`warning: ${w}`);
  ctx.info(`Built ${result.fileCount} files: ${formatBytes(result.zippedSize)} zipped, ${formatBytes(result.unzippedSize)} unzipped, SHA-256 ${result.codeSha256} (${(result.ms / 1000).toFixed(1)} s)`);
  return result;
}

async function confirmPublic(ctx: CliContext, grants: readonly Grant[], allowed: boolean): Promise<void> {
  if (!grants.some((g) => g.kind === 'public') || allowed) return;
  const first = await ctx.confirm('The manifest makes every published version PUBLIC: any AWS account can use it. Continue?');
  const second = first && (await ctx.confirm('Really make it public? Type y again to confirm.'));
  if (!second) throw new UsageError('Not publishing: the manifest grants public access. Confirm twice on a terminal, or pass --allow-public.');
}

export const layersPublishCommand: CliCommand = {
  path: ['layers', 'publish'],
  args: '[MANIFEST.layer.json]',
  summary: 'Build a Lambda layer and publish it to many Regions in parallel, skipping Regions that already have it',
  help: `Options:
  --regions R[,R…]        Target Regions (overrides the manifest's "regions")
  --name NAME             Ad hoc layer without a manifest, with --zip FILE or --dir DIR
  --zip FILE | --dir DIR  The ready zip, or the folder to build (see --build)
  --build KIND            nodejs | python | none for --dir (default: from package.json / requirements.txt)
  --runtime RT            Compatible runtime (repeatable, e.g. nodejs20.x)
  --architecture ARCH     x86_64 | arm64 (repeatable)
  --description TEXT      Layer version description
  --concurrency N         Regions in flight at once (default 8)
  --allow-public          Allow a { "public": true } permission without asking twice

Each Region: ListLayerVersions (newest) + GetLayerVersion; if its CodeSha256 equals the local zip's the Region is
skipped ("unchanged, v12"), else PublishLayerVersion (inline, or staged in the manifest's S3 bucket for that
Region above the direct-upload limit) and AddLayerVersionPermission per grant. Re-running after a failure
publishes only where content differs, so it is the retry. Exit 1 if any Region failed.`,
  options: SOURCE_OPTIONS,
  async run(ctx, values, positionals) {
    const input = await resolveInput(ctx, values, positionals);
    const concurrency = values.concurrency === undefined ? 8 : Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError('--concurrency must be a whole number from 1 to 64.');
    await confirmPublic(ctx, input.manifest.permissions, Boolean(values['allow-public']));
    const zip = await build(ctx, input);
    const layers = ctx.core().layers;
    const factory = ctx.factory();
    const home = ctx.settings.regions[0] ?? (Array.isArray(input.manifest.regions) ? input.manifest.regions[0] : 'us-east-1');
    const regions = await layers.resolveRegions(factory, input.manifest.regions, home, ctx.signal);
    const target: LayerTarget = layers.targetFromManifest(input.manifest);
    if (target.permissions.length) ctx.info(`Grants: ${target.permissions.map(describeGrant).join(', ')}`);
    ctx.info(`Publishing ${target.name} ${shortHash(zip.codeSha256)} to ${regions.length} Regions (up to ${concurrency} at once)…`);
    const report = await layers.publishLayer(factory, target, { bytes: zip.bytes, codeSha256: zip.codeSha256, unzippedSize: zip.unzippedSize }, regions, {
      concurrency,
      signal: ctx.signal,
      homeRegion: home,
      onProgress: (region, phase, line) => {
        if (phase === 'done') ctx.info(`  ${region}: ${line}`);
      },
    });
    if (report.limits.note) ctx.info(`note: ${report.limits.note}`);
    ctx.info(`Size: ${formatBytes(zip.zippedSize)} zipped (direct upload up to ${formatBytes(report.limits.codeSizeZipped)}), ${formatBytes(zip.unzippedSize)} unzipped (function + layers up to ${formatBytes(report.limits.codeSizeUnzipped)}; ${report.limits.source})`);
    if (ctx.json) ctx.printJson({ manifest: input.manifestFile ?? null, build: { kind: zip.kind, zippedSize: zip.zippedSize, unzippedSize: zip.unzippedSize, files: zip.fileCount, warnings: zip.warnings }, ...report, failedRegions: failedRegions(report) });
    else ctx.out(renderResultTable(report));
    return failedRegions(report).length ? EXIT.error : EXIT.ok;
  },
};

export const layersStatusCommand: CliCommand = {
  path: ['layers', 'status'],
  args: 'NAME | MANIFEST.layer.json',
  summary: 'Show each Region\'s latest layer version and whether it is in sync, behind, drifted or missing',
  help: `Options:
  --regions R[,R…]   Regions to compare (default: the manifest's, else --region)
  --reference R      Compare with this Region's latest (default: the local build for a manifest, else the
                     most recently published Region)
  --no-build         With a manifest, compare with the most recent Region instead of building locally

Two reads per Region (ListLayerVersions newest + GetLayerVersion for its CodeSha256). Exit 1 if a Region could
not be read, 3 if any Region is behind, drifted or missing, 0 when all are in sync.`,
  options: { regions: { type: 'string', multiple: true }, reference: { type: 'string' }, 'no-build': { type: 'boolean' } },
  async run(ctx, values, positionals) {
    const arg = positionals[0];
    if (!arg) throw new UsageError('Give a layer name or a manifest file.');
    const regionFlags = (values.regions as string[] | undefined) ?? [];
    let name = arg;
    let regions: readonly string[] | 'all-enabled' = regionFlags.length ? parseRegionList(regionFlags) : ctx.settings.regions;
    let localSha: string | undefined;
    if (arg.endsWith('.json')) {
      const loaded = await loadManifest(arg);
      name = loaded.manifest.name;
      if (!regionFlags.length) regions = loaded.manifest.regions;
      if (!values['no-build'] && !values.reference) localSha = (await build(ctx, fromManifest(loaded))).codeSha256;
    }
    const layers = ctx.core().layers;
    const factory = ctx.factory();
    const home = ctx.settings.regions[0] ?? (Array.isArray(regions) ? regions[0] : undefined) ?? 'us-east-1';
    const list = await layers.resolveRegions(factory, regions, home, ctx.signal);
    if (!list.length) throw new UsageError('No Regions: pass --regions us-east-1,eu-west-1 (or --region).');
    const status = await layers.layerStatus(factory, name, list, { localSha, referenceRegion: values.reference as string | undefined, signal: ctx.signal });
    if (ctx.json) ctx.printJson({ layer: name, reference: status.reference ?? null, regions: status.drift });
    else {
      ctx.out(renderDriftTable(name, status.drift));
      ctx.out(status.reference ? `Reference: ${status.reference.source}${status.reference.version ? ` v${status.reference.version}` : ''} (${shortHash(status.reference.sha)})` : 'No Region has a version of this layer.');
    }
    if (status.drift.some((d) => d.state === 'unknown' && d.error)) return EXIT.error;
    return status.drift.every((d) => d.state === 'in-sync') ? EXIT.ok : EXIT.unhealthy;
  },
};

/**
 * The limits `layers build` reports the sizes against: GetAccountSettings (one call) when credentials and a
 * Region are at hand, else Lambda's documented quotas, saying which and why.
 */
async function buildLimits(ctx: CliContext, manifest: LayerManifest, offline: boolean): Promise<AccountLimitsInfo> {
  const layers = ctx.core().layers;
  const region = ctx.settings.regions[0] ?? (Array.isArray(manifest.regions) ? manifest.regions[0] : undefined);
  const why = offline ? '--offline' : !region ? 'no Region (pass --region or list Regions in the manifest)' : !ctx.settings.endpointUrl && !localCredentialsExist(ctx.settings) ? 'no AWS credentials found' : undefined;
  if (why) return { ...layers.DOCUMENTED_LIMITS, note: `${why}: using the documented quotas.` };
  return layers.accountLimits(ctx.factory(), region!, ctx.signal);
}

export const layersBuildCommand: CliCommand = {
  path: ['layers', 'build'],
  args: 'MANIFEST.layer.json',
  summary: 'Build a layer zip deterministically, print its SHA-256 (what Lambda reports as CodeSha256) and its sizes against the account limits',
  help: `Options:
  --out FILE   Write the zip here
  --offline    Compare the sizes with Lambda's documented quotas instead of calling GetAccountSettings

The same content always gives the same bytes: entries sorted, timestamps fixed, modes normalised. The zipped and
unzipped sizes are compared with the account's limits from one GetAccountSettings call (in --region, else the
manifest's first Region) when credentials are found, else with the documented quotas (50 MB zipped for a direct
upload, 250 MB unzipped for a function and its layers); the output says which. Exit 1 if the zip is over a limit.`,
  options: { out: { type: 'string' }, offline: { type: 'boolean' } },
  async run(ctx, values, positionals) {
    if (!positionals[0]) throw new UsageError('Give a manifest file.');
    const loaded = await loadManifest(positionals[0]);
    const manifest = loaded.manifest;
    const zip = await build(ctx, fromManifest(loaded));
    if (values.out) await fs.writeFile(path.resolve(values.out as string), zip.bytes);
    const limits = await buildLimits(ctx, manifest, Boolean(values.offline));
    const check = checkSizes(zip, limits);
    if (limits.note) ctx.info(`note: ${limits.note}`);
    const out = {
      name: manifest.name, kind: zip.kind, codeSha256: zip.codeSha256, zippedSize: zip.zippedSize, unzippedSize: zip.unzippedSize, files: zip.fileCount, warnings: zip.warnings, out: values.out ?? null,
      limits: { source: limits.source, codeSizeZipped: limits.codeSizeZipped, codeSizeUnzipped: limits.codeSizeUnzipped, note: limits.note ?? null },
      overLimits: check.over,
    };
    if (ctx.json) ctx.printJson(out);
    else {
      ctx.out(`${manifest.name}: ${zip.codeSha256} ${zip.fileCount} files${values.out ? ` → ${values.out as string}` : ''}`);
      ctx.out(`  zipped   ${formatBytes(zip.zippedSize)} of ${formatBytes(limits.codeSizeZipped)} (${check.zippedPct}%, direct upload)${check.over.includes('zipped') ? ' OVER: publish needs an S3 staging bucket ("s3Staging")' : ''}`);
      ctx.out(`  unzipped ${formatBytes(zip.unzippedSize)} of ${formatBytes(limits.codeSizeUnzipped)} (${check.unzippedPct}%, function and all its layers)${check.over.includes('unzipped') ? ' OVER: Lambda will refuse it' : ''}`);
      ctx.out(`  limits: ${limits.source === 'GetAccountSettings' ? 'this account (GetAccountSettings)' : "Lambda's documented quotas"}`);
    }
    // Over the zipped limit is still publishable (through S3 staging); over the unzipped one is not.
    return check.over.includes('unzipped') ? EXIT.error : EXIT.ok;
  },
};

/** The sizes against the limits, as percentages (one decimal), and which limits are exceeded. */
export function checkSizes(zip: { zippedSize: number; unzippedSize: number }, limits: Pick<AccountLimitsInfo, 'codeSizeZipped' | 'codeSizeUnzipped'>): { zippedPct: number; unzippedPct: number; over: Array<'zipped' | 'unzipped'> } {
  const over: Array<'zipped' | 'unzipped'> = [];
  if (zip.zippedSize > limits.codeSizeZipped) over.push('zipped');
  if (zip.unzippedSize > limits.codeSizeUnzipped) over.push('unzipped');
  const pct = (n: number, of: number) => Math.round((n / of) * 1000) / 10;
  return { zippedPct: pct(zip.zippedSize, limits.codeSizeZipped), unzippedPct: pct(zip.unzippedSize, limits.codeSizeUnzipped), over };
}

export const layerCommands: readonly CliCommand[] = [layersPublishCommand, layersStatusCommand, layersBuildCommand];
