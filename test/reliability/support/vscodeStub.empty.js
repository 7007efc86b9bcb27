// An empty stand-in for `vscode` (see vscodeStub.ts): any property read throws, so nothing uses it silently.
module.exports = new Proxy({}, { get(_t, key) { if (key === '__esModule' || typeof key === 'symbol' || key === 'then') return undefined; throw new Error(`vscode.${String(key)} is not available outside the extension host`); } });
