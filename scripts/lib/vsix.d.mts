import type { installVsix } from './codeServer.mjs';

export function packageExtension(options?: { log?: (msg: string) => void; extensionPath?: string; build?: boolean }): Promise<string>;
export const installPackagedExtension: typeof installVsix;
