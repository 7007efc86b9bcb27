/** Where and as whom OpsDeck talks to AWS. Shared by the extension and the CLI; no `vscode` here. */
export interface AwsConnectionSettings {
  /** Named profile; undefined means the default chain (AWS_PROFILE, env keys, `default`, SSO, metadata). */
  readonly profile?: string;
  /** Regions every view covers. */
  readonly regions: readonly string[];
  /** Explicit endpoint (moto, LocalStack). Undefined lets the SDK honour AWS_ENDPOINT_URL / profile endpoint_url. */
  readonly endpointUrl?: string;
  /** Total attempts per call, retries included (SDK default 3). */
  readonly maxAttempts: number;
  /** Per-request timeout in milliseconds. */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_CONNECTION: AwsConnectionSettings = {
  regions: [],
  maxAttempts: 3,
  requestTimeoutMs: 30_000,
};

/** A profile name as the user sees it: the configured one, else what the SDK would pick. */
export function effectiveProfileName(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (profile) return profile;
  if (env.AWS_PROFILE) return env.AWS_PROFILE;
  // With no profile named, the SDK's chain uses environment keys before the `default` profile.
  return env.AWS_ACCESS_KEY_ID ? 'environment' : 'default';
}

/** The Region for account-wide calls (STS, DescribeRegions): the first chosen Region, else the SDK's env, else us-east-1. */
export function homeRegion(settings: AwsConnectionSettings, env: NodeJS.ProcessEnv = process.env): string {
  return settings.regions[0] ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
}
