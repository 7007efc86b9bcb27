// For contributors with internet: runs the extension-host suites in a downloaded desktop VS Code through
// @vscode/test-electron (`npm run test:electron`). CI uses code-server instead (scripts/run-vscode-tests.mjs),
// because this machine cannot download VS Code.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'out/test/vscode/suite/**/*.test.js',
  version: '1.139.0',
  workspaceFolder: './test/fixtures/workspace',
  mocha: { ui: 'bdd', timeout: 60000 },
});
