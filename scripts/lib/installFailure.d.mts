export function installFailureSentence(failure: { what: string; code: number | null; output: string; logPath: string }): string;
