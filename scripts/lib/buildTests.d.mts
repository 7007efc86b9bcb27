export const testsEntry: string;
export const suiteDir: string;
export const testsBundle: string;
export function findSuiteFiles(dir?: string): string[];
export function buildTests(options?: { log?: (msg: string) => void; outfile?: string }): Promise<{ outfile: string; suiteFiles: string[] }>;
