import type { Tools } from './tools.mjs';

export function realVsCodePrereqs(options?: { log?: (msg: string) => void }): Promise<{ tools: Tools } | { skipReason: string }>;
