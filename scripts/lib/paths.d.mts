export const repoRoot: string;
export const toolsDir: string;
export const testResultsDir: string;
export const isCI: boolean;
export const chromiumPath: string;
