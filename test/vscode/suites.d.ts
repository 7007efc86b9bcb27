// Virtual module generated at bundle time by scripts/lib/buildTests.mjs: every test/vscode/suite/**/*.test.ts.
declare module 'opsdeck:vscode-suites' {
  export const suites: ReadonlyArray<{ file: string; load: () => unknown }>;
}
