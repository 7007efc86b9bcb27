import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '../../..');
const metaFile = path.join(root, 'dist/meta.json');

/** The build writes dist/meta.json (esbuild's inputs per bundle): the proof of what each bundle contains. */
describe('bundles', function () {
  before(function () {
    if (!fs.existsSync(metaFile)) {
      if (process.env.CI === 'true') throw new Error('dist/meta.json missing: the build must run before unit tests');
      console.warn('\n  !!! SKIPPED: run `npm run build` first\n');
      this.skip();
    }
  });
  const meta = (): Record<string, { bytes: number; inputs: string[] }> => JSON.parse(fs.readFileSync(metaFile, 'utf8'));

  it('keeps every AWS SDK module out of the activation bundle', () => {
    const sdk = meta()['dist/extension.js'].inputs.filter((i) => /@aws-sdk|@smithy|src\/core\.ts|service\.ts|\/service\//.test(i));
    assert.deepStrictEqual(sdk, []);
  });

  it('keeps the features out of the activation bundle (they load from dist/features.js just after)', () => {
    const features = meta()['dist/extension.js'].inputs.filter((i) => /src\/(devhosts|batch|msk|layers|fleets)\//.test(i));
    assert.deepStrictEqual(features, []);
  });

  it('keeps the shell and the AWS layer out of the activation bundle: it only registers the commands', () => {
    // Log channel, session, command registry, status bar and pickers load with dist/features.js, just after.
    const inputs = meta()['dist/extension.js'].inputs;
    assert.deepStrictEqual(inputs.filter((i) => /src\/(shell|aws)\/|src\/coreLoader\.ts/.test(i)), []);
    assert.ok(meta()['dist/features.js'].inputs.includes('src/shell/start.ts'), 'dist/features.js does not start the shell');
  });

  it('requires vscode in the activation bundle without copying its namespace (esbuild’s __toESM costs ~5 ms at load)', () => {
    // `import * as vscode from 'vscode'` becomes __toESM(require("vscode")): a getter per API name, per module.
    const code = fs.readFileSync(path.join(root, 'dist/extension.js'), 'utf8');
    assert.ok(code.includes('require("vscode")'), 'the entry bundle does not require vscode at all: this check would see nothing');
    assert.deepStrictEqual(code.match(/__toESM\(require\("vscode"\)\)/g) ?? [], []);
  });

  it('keeps the SDK out of the features bundle too: views reach AWS only through dist/core.js', () => {
    const sdk = meta()['dist/features.js'].inputs.filter((i) => /@aws-sdk|@smithy|src\/core\.ts|service\.ts|\/service\//.test(i));
    assert.deepStrictEqual(sdk, []);
  });

  for (const bundle of ['dist/extension.js', 'dist/features.js']) {
    it(`gives ${bundle} no way to open a socket (no http, https, net, tls, dgram, fetch)`, () => {
      // The entry, and the features' views that load on the next tick: with the SDK out (above) and no networking
      // module in, neither can do network I/O. Only dist/core.js, loaded on a view's first AWS call, can.
      const code = fs.readFileSync(path.join(root, bundle), 'utf8');
      assert.ok(code.length > 1000, `${bundle} is nearly empty: this check would see nothing`);
      const networking = code.match(/require\(["'](node:)?(http|https|http2|net|tls|dgram)["']\)|(?<![.\w$]|async )fetch\(/g) ?? [];
      assert.deepStrictEqual(networking, []);
    });
  }

  it('keeps the SDK out of the CLI front end (commands load dist/core.js on demand)', () => {
    const sdk = meta()['dist/cli.js'].inputs.filter((i) => /@aws-sdk|@smithy/.test(i));
    assert.deepStrictEqual(sdk, []);
  });

  it('puts the SDK clients in dist/core.js', () => {
    const inputs = meta()['dist/core.js'].inputs;
    assert.ok(inputs.some((i) => i.includes('@aws-sdk/client-ec2')));
  });
});
