import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AwsConnectionSettings } from './target';

/**
 * Whether any credential source is visible locally (a named profile, env keys, container/web-identity
 * variables, or the shared files). Files and env only: it runs at activation, which must not touch the network.
 */
export function localCredentialsExist(settings: Pick<AwsConnectionSettings, 'profile'>, env: NodeJS.ProcessEnv = process.env): boolean {
  if (settings.profile || env.AWS_PROFILE) return true;
  if (env.AWS_ACCESS_KEY_ID || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_WEB_IDENTITY_TOKEN_FILE) return true;
  const home = env.HOME || os.homedir();
  const configFile = env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config');
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials');
  return fs.existsSync(configFile) || fs.existsSync(credentialsFile);
}
