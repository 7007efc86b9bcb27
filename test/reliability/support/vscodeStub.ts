/**
 * Outside the extension host there is no `vscode` module. src/shell/log.ts requires it when loaded (for its lazy
 * output channel) although Logger itself writes to any sink, so suites that test the real Logger import this
 * first: `vscode` then resolves to an empty module, and touching anything in it fails loudly.
 */
import Module = require('module');
import * as path from 'path';

const STUB = path.join(__dirname, 'vscodeStub.empty.js');
const M = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const original = M._resolveFilename;
M._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
  return request === 'vscode' ? STUB : original.call(this, request, ...rest);
};
