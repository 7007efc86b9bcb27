export interface Tools {
  node24Bin: string;
  codeServerBin: string;
}
export const NODE_PKG: string;
export const NODE_VERSION: string;
export const CODE_SERVER_VERSION: string;
export function ensureTools(options?: { log?: (msg: string) => void }): Promise<Tools>;
