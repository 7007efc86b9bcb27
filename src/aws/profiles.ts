import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';

export type ProfileKind = 'sso' | 'role' | 'process' | 'static' | 'webIdentity' | 'other';

export interface ProfileSummary {
  readonly name: string;
  readonly kind: ProfileKind;
  readonly region?: string;
  readonly ssoSession?: string;
}

/**
 * Every profile in the shared config and credentials files (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE
 * honoured), read fresh each call. Parsing is linear, so thousands of profiles cost a few milliseconds.
 */
export async function listProfiles(): Promise<ProfileSummary[]> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const merged = new Map<string, Record<string, string | undefined>>();
  for (const file of [configFile, credentialsFile]) {
    for (const [name, values] of Object.entries(file)) merged.set(name, { ...merged.get(name), ...values });
  }
  return [...merged.entries()]
    .map(([name, v]) => ({ name, kind: kindOf(v), region: v.region, ssoSession: v.sso_session }))
    .sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

export function kindOf(v: Record<string, string | undefined>): ProfileKind {
  if (v.sso_session || v.sso_start_url) return 'sso';
  if (v.role_arn && v.web_identity_token_file) return 'webIdentity';
  if (v.role_arn) return 'role';
  if (v.credential_process) return 'process';
  if (v.aws_access_key_id) return 'static';
  return 'other';
}

/**
 * The `region` a profile sets in the shared config file, as the AWS CLI falls back to when neither a flag nor
 * AWS_REGION / AWS_DEFAULT_REGION names one. Unreadable files mean "no Region", not an error.
 */
export async function profileRegion(profileName: string): Promise<string | undefined> {
  try {
    const { configFile } = await loadSharedConfigFiles({ ignoreCache: true });
    return configFile[profileName]?.region?.trim() || undefined;
  } catch {
    return undefined;
  }
}
