import type { Tools } from './tools.mjs';

export interface CodeServer {
  /** Opens the workbench (on the workspace folder when one was given). */
  url: string;
  baseUrl: string;
  port: number;
  logFile: string;
  /** Ends code-server's whole process group. */
  stop(): Promise<void>;
}
export interface StartCodeServerOptions {
  userDataDir: string;
  extensionsDir: string;
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  smokeTestDriver?: boolean;
  workspaceFolder?: string;
  log?: (msg: string) => void;
  tools?: Tools;
  healthTimeoutMs?: number;
  /** Keep ambient AWS_* / OPSDECK_* env vars (default false: hermetic). */
  inheritAwsEnv?: boolean;
  /** Keep workspace trust on (default false): the folder opens in Restricted Mode, with no startup prompt. */
  workspaceTrust?: boolean;
}
export const QUIET_SETTINGS: Readonly<Record<string, unknown>>;
export const RESTRICTED_MODE_SETTINGS: Readonly<Record<string, unknown>>;
export function freePort(): Promise<number>;
export function startCodeServer(options: StartCodeServerOptions): Promise<CodeServer>;
export function installVsix(
  vsixPath: string,
  extensionsDir: string,
  options?: { userDataDir?: string; log?: (msg: string) => void; tools?: Tools },
): Promise<void>;
