import {
  AddLayerVersionPermissionCommand,
  GetAccountSettingsCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  LambdaClient,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
  type Architecture as SdkArchitecture,
  type Runtime as SdkRuntime,
} from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { isCancellation, mapWithConcurrency } from '../aws/cancellation';
import type { ClientFactory } from '../aws/clientFactory';
import { toActionableError } from '../aws/errors';
import { listAccountRegions } from '../aws/regions';
import { errName, lambda, notFound } from './lambdaCalls';
import { describeGrant, permissionRequest, statementMatches, statementsOf, type PermissionRequest } from './core/grants';
import type { Grant, LayerManifest, StagingBucket } from './core/manifest';
import { judgeDrift, pickReference, planRegion, type DriftReference, type LatestVersion, type RegionDrift, type RegionObservation } from './core/plan';
import { formatBytes, type AccountLimitsInfo, type GrantOutcome, type PublishReport, type RegionResult } from './core/results';

export { buildFromManifest, buildLayer, detectBuildKind, LocalBuildCache, manifestSource, sourceFingerprint, zipContents, type BuildResult } from './build';
export { deleteVersion, listVersions, versionGrants, type LayerVersionInfo } from './versions';

/**
 * The Lambda layers feature's AWS calls. Every Region is independent: they run in parallel with a bound, a
 * failure is recorded in that Region's result and never stops the others, and every publish starts by
 * reading what the Region already has, so re-running (or retrying failed Regions) never publishes a duplicate.
 */
export interface LayerTarget {
  readonly name: string;
  readonly description?: string;
  readonly license?: string;
  readonly compatibleRuntimes: readonly string[];
  readonly compatibleArchitectures: readonly string[];
  readonly permissions: readonly Grant[];
  readonly s3Staging: Readonly<Record<string, StagingBucket>>;
}

export interface LayerZip {
  readonly bytes: Uint8Array;
  readonly codeSha256: string;
  readonly unzippedSize?: number;
}

export type RegionPhase = 'waiting' | 'checking' | 'staging' | 'publishing' | 'granting' | 'done';

export interface PublishOptions {
  /** Regions in flight at once (setting opsdeck.layers.concurrency, default 8). */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** Called as each Region moves on; `line` is what the progress notification shows for it. */
  readonly onProgress?: (region: string, phase: RegionPhase, line: string) => void;
  /** Limits to use instead of GetAccountSettings (tests, or a caller that already has them). */
  readonly limits?: AccountLimitsInfo;
  /** Region for account-wide calls (GetAccountSettings); the first target Region by default. */
  readonly homeRegion?: string;
}

export const DEFAULT_CONCURRENCY = 8;
/** Documented Lambda quotas, used when GetAccountSettings cannot be called. */
export const DOCUMENTED_LIMITS: AccountLimitsInfo = { codeSizeZipped: 52_428_800, codeSizeUnzipped: 262_144_000, totalCodeSize: 80_530_636_800, source: 'documented defaults' };

export function targetFromManifest(m: LayerManifest): LayerTarget {
  return {
    name: m.name,
    description: m.description,
    license: m.license,
    compatibleRuntimes: m.compatibleRuntimes,
    compatibleArchitectures: m.compatibleArchitectures,
    permissions: m.permissions,
    s3Staging: m.s3Staging,
  };
}


/**
 * PublishLayerVersion is not idempotent: if the SDK retried one whose answer was lost (a timeout, a reset
 * connection), Lambda would create a second version with the same content. So it goes through its own client
 * with SDK retries off (the factory caches it apart, by class name); `publishOnce` retries only throttling,
 * which Lambda answers before doing anything, and any other failure is followed by a fresh look at the Region.
 */
export class LambdaPublishClient extends LambdaClient {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(config: any) {
    super({ ...config, maxAttempts: 1 });
  }
}

const THROTTLED = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling']);

async function publishOnce(factory: ClientFactory, region: string, command: PublishLayerVersionCommand, signal?: AbortSignal) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await factory.client(LambdaPublishClient, region).send(command, { abortSignal: signal });
    } catch (err) {
      if (attempt >= 4 || !THROTTLED.has(errName(err))) throw err;
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt * (0.5 + Math.random())));
    }
  }
}
const message = (err: unknown, region: string, action: string) => toActionableError(err, { region, action }).message;

/**
 * The latest version of a layer in one Region with its CodeSha256: ListLayerVersions (MaxItems 1, newest first)
 * then GetLayerVersion. Two calls, because ListLayerVersions' items carry no `Content` (no CodeSha256) in the
 * Lambda API model; the SDK drops anything the model does not name, so this cannot be saved even where an
 * emulator returns more. Undefined when the layer has no version in the Region.
 */
export async function latestVersion(factory: ClientFactory, name: string, region: string, signal?: AbortSignal): Promise<LatestVersion | undefined> {
  const client = lambda(factory, region);
  let newest: number | undefined;
  try {
    const list = await client.send(new ListLayerVersionsCommand({ LayerName: name, MaxItems: 1 }), { abortSignal: signal });
    newest = list.LayerVersions?.[0]?.Version;
  } catch (err) {
    if (notFound(err)) return undefined;
    throw err;
  }
  if (newest === undefined) return undefined;
  const v = await client.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: newest }), { abortSignal: signal });
  return {
    version: v.Version ?? newest,
    arn: v.LayerVersionArn ?? '',
    codeSha256: v.Content?.CodeSha256 ?? '',
    codeSize: v.Content?.CodeSize,
    createdDate: v.CreatedDate,
  };
}

export async function observeRegions(factory: ClientFactory, name: string, regions: readonly string[], options: { concurrency?: number; signal?: AbortSignal } = {}): Promise<RegionObservation[]> {
  return mapWithConcurrency(regions, options.concurrency ?? DEFAULT_CONCURRENCY, async (region) => {
    try {
      return { region, latest: await latestVersion(factory, name, region, options.signal) };
    } catch (err) {
      if (isCancellation(err)) throw err;
      return { region, error: message(err, region, 'lambda:ListLayerVersions') };
    }
  });
}

/** Each Region against a reference: the local build's hash if given, else a reference Region's latest. */
export async function layerStatus(
  factory: ClientFactory,
  name: string,
  regions: readonly string[],
  options: { localSha?: string; referenceRegion?: string; concurrency?: number; signal?: AbortSignal } = {},
): Promise<{ reference?: DriftReference; drift: RegionDrift[]; observations: RegionObservation[] }> {
  const observations = await observeRegions(factory, name, regions, options);
  const reference: DriftReference | undefined = options.localSha ? { sha: options.localSha, source: 'local build' } : pickReference(observations, options.referenceRegion);
  return { reference, drift: judgeDrift(observations, reference), observations };
}

/** Code size limits from GetAccountSettings (one call); the documented quotas when it cannot be called. */
export async function accountLimits(factory: ClientFactory, region: string, signal?: AbortSignal): Promise<AccountLimitsInfo> {
  try {
    const out = await lambda(factory, region).send(new GetAccountSettingsCommand({}), { abortSignal: signal });
    const l = out.AccountLimit;
    if (!l?.CodeSizeZipped || !l.CodeSizeUnzipped) throw new Error('GetAccountSettings returned no AccountLimit');
    return { codeSizeZipped: l.CodeSizeZipped, codeSizeUnzipped: l.CodeSizeUnzipped, totalCodeSize: l.TotalCodeSize, source: 'GetAccountSettings' };
  } catch (err) {
    if (isCancellation(err)) throw err;
    return { ...DOCUMENTED_LIMITS, note: `GetAccountSettings failed (${message(err, region, 'lambda:GetAccountSettings')}); using the documented quotas.` };
  }
}

/** The manifest's Regions, or every enabled Region (DescribeRegions) for "all-enabled". */
export async function resolveRegions(factory: ClientFactory, regions: readonly string[] | 'all-enabled', homeRegion: string, signal?: AbortSignal): Promise<string[]> {
  if (regions !== 'all-enabled') return [...regions];
  const out = await listAccountRegions(factory, homeRegion, signal);
  if (out.offline) throw new Error(`Cannot list the account's enabled Regions (DescribeRegions failed: ${message(out.error, homeRegion, 'ec2:DescribeRegions')}). List the Regions in the manifest instead.`);
  return out.regions.filter((r) => r.optInStatus !== 'not-opted-in').map((r) => r.name);
}

/** S3 key for a staged zip: content-addressed, so re-staging the same content overwrites the same object. */
export function stagingKey(staging: StagingBucket, name: string, codeSha256: string): string {
  const hex = Buffer.from(codeSha256, 'base64').toString('hex');
  return `${staging.prefix}${name}/${hex}.zip`;
}

/**
 * Publishes `zip` as a new version of `target.name` in each Region that does not already have this content
 * as its latest version, then grants the manifest's permissions. Returns one result per Region, in order.
 */
export async function publishLayer(factory: ClientFactory, target: LayerTarget, zip: LayerZip, regions: readonly string[], options: PublishOptions = {}): Promise<PublishReport> {
  const started = Date.now();
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
  const home = options.homeRegion ?? regions[0] ?? 'us-east-1';
  // Limits are read once, and only when some Region actually needs a publish (an unchanged re-run skips it).
  // A cancelled read counts as "not read", so the report can still be returned.
  let limitsPromise: Promise<AccountLimitsInfo> | undefined = options.limits ? Promise.resolve(options.limits) : undefined;
  const limits = () => (limitsPromise ??= accountLimits(factory, home, options.signal).catch(() => ({ ...DOCUMENTED_LIMITS, note: 'GetAccountSettings was cancelled; using the documented quotas.' })));
  for (const r of regions) options.onProgress?.(r, 'waiting', 'waiting');

  const results = await mapWithConcurrency(regions, concurrency, (region) => publishRegion(factory, target, zip, region, limits, options));
  return {
    layerName: target.name,
    codeSha256: zip.codeSha256,
    zipBytes: zip.bytes.length,
    results,
    wallMs: Date.now() - started,
    concurrency,
    limits: limitsPromise ? await limitsPromise : DOCUMENTED_LIMITS,
  };
}

/**
 * The limits this Region's decision (inline or staged, too big) is made against. GetAccountSettings is started
 * by the first Region that has to publish, but waited for only when its answer can change the decision: Lambda's
 * direct-upload (50 MB) and unzipped (250 MB) quotas are fixed, not adjustable, so a zip within both documented
 * values goes inline whatever the call says, and waiting would put one round trip before every first publish.
 * The report still carries the live values (the call is over long before the Regions finish).
 */
async function limitsFor(zip: LayerZip, limits: () => Promise<AccountLimitsInfo>, given: AccountLimitsInfo | undefined): Promise<AccountLimitsInfo> {
  const live = limits();
  if (given) return given;
  const withinDocumented = zip.bytes.length <= DOCUMENTED_LIMITS.codeSizeZipped && (zip.unzippedSize ?? 0) <= DOCUMENTED_LIMITS.codeSizeUnzipped;
  return withinDocumented ? DOCUMENTED_LIMITS : live;
}

async function publishRegion(
  factory: ClientFactory,
  target: LayerTarget,
  zip: LayerZip,
  region: string,
  limits: () => Promise<AccountLimitsInfo>,
  options: PublishOptions,
): Promise<RegionResult> {
  const t0 = Date.now();
  const progress = (phase: RegionPhase, line: string) => options.onProgress?.(region, phase, line);
  const done = (r: Omit<RegionResult, 'region' | 'ms'>): RegionResult => {
    const result = { region, ms: Date.now() - t0, ...r };
    progress('done', r.action === 'failed' ? `failed: ${r.error ?? r.detail}` : r.action === 'skipped' ? r.detail : r.action === 'cancelled' ? 'cancelled' : `published v${r.version}`);
    return result;
  };
  if (options.signal?.aborted) return done({ action: 'cancelled', detail: 'cancelled before it started', grants: [] });
  let step = 'lambda:ListLayerVersions';
  try {
    progress('checking', 'checking…');
    const latest = await latestVersion(factory, target.name, region, options.signal);
    const plan = planRegion(zip.codeSha256, { region, latest });
    if (plan.action === 'skip' && latest) {
      step = 'lambda:AddLayerVersionPermission';
      const grants = target.permissions.length ? await ensureGrants(factory, target, region, latest.version, options.signal, progress) : [];
      const failedGrant = grants.find((g) => g.status === 'failed');
      return done({ action: failedGrant ? 'failed' : 'skipped', detail: plan.detail, version: latest.version, arn: latest.arn, codeSha256: latest.codeSha256, grants, error: failedGrant?.error });
    }

    const l = await limitsFor(zip, limits, options.limits);
    if (zip.unzippedSize !== undefined && zip.unzippedSize > l.codeSizeUnzipped) {
      return done({ action: 'failed', detail: plan.detail, grants: [], error: `Unzipped size ${formatBytes(zip.unzippedSize)} is over Lambda's ${formatBytes(l.codeSizeUnzipped)} limit for a function and its layers.` });
    }
    const content: { ZipFile?: Uint8Array; S3Bucket?: string; S3Key?: string } = {};
    let upload: 'inline' | 's3' = 'inline';
    if (zip.bytes.length > l.codeSizeZipped) {
      const staging = target.s3Staging[region];
      if (!staging) {
        return done({
          action: 'failed', detail: plan.detail, grants: [],
          error: `The zip is ${formatBytes(zip.bytes.length)}, over the ${formatBytes(l.codeSizeZipped)} direct-upload limit, and no S3 staging bucket is configured for ${region}. Add "s3Staging": { "${region}": "<bucket in ${region}>" } to the manifest.`,
        });
      }
      step = 's3:PutObject';
      progress('staging', `uploading ${formatBytes(zip.bytes.length)} to s3://${staging.bucket}…`);
      const key = stagingKey(staging, target.name, zip.codeSha256);
      await factory.client(S3Client, region).send(new PutObjectCommand({ Bucket: staging.bucket, Key: key, Body: zip.bytes, ChecksumSHA256: zip.codeSha256 }), { abortSignal: options.signal });
      Object.assign(content, { S3Bucket: staging.bucket, S3Key: key });
      upload = 's3';
    } else {
      content.ZipFile = zip.bytes;
    }

    step = 'lambda:PublishLayerVersion';
    progress('publishing', latest ? `publishing (was v${latest.version}, other content)…` : 'publishing (first version here)…');
    let published: { version: number; arn: string; codeSha256?: string };
    try {
      const out = await publishOnce(factory, region, new PublishLayerVersionCommand({
        LayerName: target.name,
        Description: target.description,
        LicenseInfo: target.license,
        CompatibleRuntimes: target.compatibleRuntimes.length ? (target.compatibleRuntimes as SdkRuntime[]) : undefined,
        CompatibleArchitectures: target.compatibleArchitectures.length ? (target.compatibleArchitectures as SdkArchitecture[]) : undefined,
        Content: content,
      }), options.signal);
      published = { version: out.Version ?? 0, arn: out.LayerVersionArn ?? '', codeSha256: out.Content?.CodeSha256 };
    } catch (err) {
      // The request may have reached Lambda even though we saw an error (a timeout, a dropped connection):
      // look again before calling it a failure, so the result says what really happened.
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (isCancellation(err) || (status !== undefined && status < 500)) throw err;
      const again = await latestVersion(factory, target.name, region, options.signal).catch(() => undefined);
      if (!again || again.codeSha256 !== zip.codeSha256 || (latest && again.version === latest.version)) throw err;
      published = { version: again.version, arn: again.arn, codeSha256: again.codeSha256 };
    }
    if (published.codeSha256 && published.codeSha256 !== zip.codeSha256) {
      return done({ action: 'failed', detail: plan.detail, version: published.version, arn: published.arn, grants: [], upload, error: `Lambda reports CodeSha256 ${published.codeSha256} for v${published.version}, but the local zip is ${zip.codeSha256}.` });
    }
    step = 'lambda:AddLayerVersionPermission';
    // Each grant is its own statement on the new version: they are added side by side (a conflict from a
    // concurrent policy update is retried in addGrant).
    if (target.permissions.length) progress('granting', `v${published.version}: granting ${target.permissions.map(describeGrant).join(', ')}…`);
    const grants = await Promise.all(target.permissions.map((grant) => addGrant(factory, target.name, region, published.version, permissionRequest(grant), options.signal)));
    const failedGrant = grants.find((g) => g.status === 'failed');
    return done({
      action: failedGrant ? 'failed' : 'published',
      detail: latest ? `v${latest.version} had other content` : 'first version here',
      version: published.version,
      arn: published.arn,
      codeSha256: published.codeSha256 ?? zip.codeSha256,
      upload,
      grants,
      error: failedGrant ? `published v${published.version}, but a permission failed: ${failedGrant.error}` : undefined,
    });
  } catch (err) {
    if (isCancellation(err)) return done({ action: 'cancelled', detail: 'cancelled', grants: [] });
    return done({ action: 'failed', detail: 'failed', grants: [], error: message(err, region, step) });
  }
}

/** Conflicts from a concurrent update of the same version's policy retried before giving up. */
const GRANT_CONFLICT_ATTEMPTS = 4;

/**
 * Adds one permission; an existing statement with the same id and the same grant counts as done.
 * ResourceConflictException means "the statement exists" or "another operation is in progress" (grants added
 * side by side, another pipeline): the policy tells which, and only the second is retried.
 */
async function addGrant(factory: ClientFactory, name: string, region: string, version: number, req: PermissionRequest, signal?: AbortSignal): Promise<GrantOutcome> {
  const client = lambda(factory, region);
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(new AddLayerVersionPermissionCommand({
        LayerName: name,
        VersionNumber: version,
        StatementId: req.statementId,
        Action: req.action,
        Principal: req.principal,
        OrganizationId: req.organizationId,
      }), { abortSignal: signal });
      return { statementId: req.statementId, status: 'added' };
    } catch (err) {
      if (isCancellation(err)) throw err;
      if (errName(err) !== 'ResourceConflictException') return { statementId: req.statementId, status: 'failed', error: message(err, region, 'lambda:AddLayerVersionPermission') };
      const policy = await client.send(new GetLayerVersionPolicyCommand({ LayerName: name, VersionNumber: version }), { abortSignal: signal }).catch((e: unknown) => {
        if (isCancellation(e)) throw e;
        return undefined;
      });
      const existing = statementsOf(policy?.Policy).get(req.statementId);
      if (statementMatches(existing, req)) return { statementId: req.statementId, status: 'already granted' };
      if (existing) return { statementId: req.statementId, status: 'failed', error: `statement ${req.statementId} already exists on v${version} with a different grant; remove it (RemoveLayerVersionPermission) and retry.` };
      if (attempt >= GRANT_CONFLICT_ATTEMPTS) return { statementId: req.statementId, status: 'failed', error: `${message(err, region, 'lambda:AddLayerVersionPermission')} (the policy of v${version} was still being changed after ${attempt} attempts)` };
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt * (0.5 + Math.random())));
    }
  }
}

/**
 * For a Region that already has the content: make sure its permissions are in step (one GetLayerVersionPolicy,
 * then only the missing grants). This is what repairs a Region where a publish succeeded and a grant failed.
 */
async function ensureGrants(factory: ClientFactory, target: LayerTarget, region: string, version: number, signal: AbortSignal | undefined, progress: (p: RegionPhase, l: string) => void): Promise<GrantOutcome[]> {
  let policy: string | undefined;
  try {
    policy = (await lambda(factory, region).send(new GetLayerVersionPolicyCommand({ LayerName: target.name, VersionNumber: version }), { abortSignal: signal })).Policy;
  } catch (err) {
    if (!notFound(err)) throw err;
  }
  const existing = statementsOf(policy);
  const missing = target.permissions.filter((g) => !statementMatches(existing.get(permissionRequest(g).statementId), permissionRequest(g)));
  if (missing.length) progress('granting', `v${version}: granting ${missing.map(describeGrant).join(', ')}…`);
  return Promise.all(target.permissions.map(async (grant): Promise<GrantOutcome> => {
    const req = permissionRequest(grant);
    if (!missing.includes(grant)) return { statementId: req.statementId, status: 'already granted' };
    return addGrant(factory, target.name, region, version, req, signal);
  }));
}
