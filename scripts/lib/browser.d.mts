import type { BrowserContext } from 'playwright-core';

export const CHROMIUM_ARGS: readonly string[];
export function hasChromium(): boolean;
export function launchChromium(
  profileDir: string,
  options?: { viewport?: { width: number; height: number } },
): Promise<BrowserContext>;
