export interface Tools {
  node24Bin: string;
  codeServerBin: string;
}
export const NODE_PKG: string;
export const NODE_VERSION: string;
export const CODE_SERVER_VERSION: string;
export function ensureTools(options?: { log?: (msg: string) => void }): Promise<Tools>;
export const SKIPPED_NATIVE: Readonly<Record<string, string>>;
export function nativeModules(
  shrinkwrap: { packages?: Record<string, { hasInstallScript?: boolean; dev?: boolean; optional?: boolean; os?: string[] }> },
  platform?: string,
): { name: string; optional: boolean }[];
export function keepsNpmSetting(key: string): boolean;
