import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { manifestSource } from '../../../src/layers/build';
import { manifestLocationOnDisk } from '../../../src/layers/cli';
import { runCli } from '../../support/cli';
import { formatProblems, KNOWN_KEYS, parseManifest, positionAt, type ManifestLocation } from '../../../src/layers/core/manifest';
import { KNOWN_RUNTIMES } from '../../../src/layers/core/runtimes';

const valid = {
  name: 'shared-utils',
  source: './layer',
  build: 'nodejs',
  compatibleRuntimes: ['nodejs20.x', 'nodejs22.x'],
  compatibleArchitectures: ['x86_64', 'arm64'],
  regions: ['us-east-1', 'eu-west-1'],
  permissions: [{ account: '123456789012' }, { organization: 'o-a1b2c3d4e5' }],
  s3Staging: { 'eu-west-1': 'my-bucket', 'us-east-1': { bucket: 'other-bucket', prefix: 'layers' } },
};
const text = (o: unknown) => JSON.stringify(o, null, 2);

describe('layers/core/manifest', () => {
  it('parses a complete manifest', () => {
    const r = parseManifest(text(valid));
    assert.deepStrictEqual(r.problems, []);
    assert.ok(r.manifest);
    assert.strictEqual(r.manifest.build, 'nodejs');
    assert.deepStrictEqual(r.manifest.permissions, [{ kind: 'account', account: '123456789012' }, { kind: 'organization', organizationId: 'o-a1b2c3d4e5' }]);
    assert.deepStrictEqual(r.manifest.s3Staging['us-east-1'], { bucket: 'other-bucket', prefix: 'layers/' });
    assert.deepStrictEqual(r.manifest.s3Staging['eu-west-1'], { bucket: 'my-bucket', prefix: 'opsdeck-layers/' });
  });

  it('accepts comments, trailing commas and "all-enabled"', () => {
    const r = parseManifest('{\n // a layer\n "name": "x", "source": "dist/l.zip", "regions": "all-enabled",\n}');
    assert.strictEqual(r.manifest?.regions, 'all-enabled');
    assert.strictEqual(r.manifest?.sourceIsZip, true);
    assert.strictEqual(r.manifest?.build, 'none');
  });

  const cases: Array<[string, Record<string, unknown>, RegExp, (string | number)[], 'error' | 'warning']> = [
    ['missing name', { ...valid, name: undefined }, /"name" is required/, ['name'], 'error'],
    ['bad name', { ...valid, name: 'has space' }, /"name" "has space" is not valid/, ['name'], 'error'],
    ['long description', { ...valid, description: 'x'.repeat(257) }, /257 characters; Lambda allows 256/, ['description'], 'error'],
    ['bad build', { ...valid, build: 'java' }, /must be one of/, ['build'], 'error'],
    ['zip with build', { ...valid, source: 'l.zip', build: 'nodejs' }, /published as is/, ['build'], 'error'],
    ['bad region', { ...valid, regions: ['us-east-1', 'mars-1'] }, /"mars-1" is not a Region name/, ['regions', 1], 'error'],
    ['empty regions', { ...valid, regions: [] }, /at least 1/, ['regions'], 'error'],
    ['regions string', { ...valid, regions: 'everywhere' }, /"all-enabled"/, ['regions'], 'error'],
    ['no regions', { ...valid, regions: undefined }, /"regions" is required/, [], 'error'],
    ['too many archs', { ...valid, compatibleArchitectures: ['x86_64', 'arm64', 'x86_64'] }, /listed twice/, ['compatibleArchitectures', 2], 'warning'],
    ['bad arch', { ...valid, compatibleArchitectures: ['ppc'] }, /not one of x86_64, arm64/, ['compatibleArchitectures', 0], 'error'],
    ['too many runtimes', { ...valid, compatibleRuntimes: Array.from({ length: 16 }, (_, i) => `nodejs${i}.x`) }, /lists 16; Lambda allows 15/, ['compatibleRuntimes'], 'error'],
    ['unknown runtime', { ...valid, compatibleRuntimes: ['nodejs99.x'] }, /not a Lambda runtime OpsDeck knows/, ['compatibleRuntimes', 0], 'warning'],
    ['runtime mismatch', { ...valid, compatibleRuntimes: ['python3.12'] }, /only helps Node.js/, ['compatibleRuntimes'], 'warning'],
    ['bad account', { ...valid, permissions: [{ account: '1234' }] }, /12 digits/, ['permissions', 0, 'account'], 'error'],
    ['bad org', { ...valid, permissions: [{ organization: 'org1' }] }, /o-a1b2c3d4e5/, ['permissions', 0, 'organization'], 'error'],
    ['public warns', { ...valid, permissions: [{ public: true }] }, /every AWS account/, ['permissions', 0, 'public'], 'warning'],
    ['public false', { ...valid, permissions: [{ public: false }] }, /"public": true/, ['permissions', 0, 'public'], 'error'],
    ['two keys', { ...valid, permissions: [{ account: '123456789012', public: true }] }, /exactly one/, ['permissions', 0], 'error'],
    ['unknown key', { ...valid, colour: 'red' }, /Unknown property "colour"/, ['colour'], 'warning'],
    ['bad bucket', { ...valid, s3Staging: { 'eu-west-1': 'Bad_Bucket' } }, /staging bucket is a bucket name/, ['s3Staging', 'eu-west-1'], 'error'],
    ['staging not a target', { ...valid, s3Staging: { 'ap-south-1': 'my-bucket' } }, /not a target Region/, ['s3Staging', 'ap-south-1'], 'warning'],
  ];
  for (const [title, obj, re, path, severity] of cases) {
    it(`reports ${title} at its value`, () => {
      const src = text(obj);
      const r = parseManifest(src);
      const p = r.problems.find((x) => re.test(x.message));
      assert.ok(p, `no problem matching ${re}: ${JSON.stringify(r.problems.map((x) => x.message))}`);
      assert.strictEqual(p.severity, severity);
      assert.deepStrictEqual(p.path, path);
      assert.strictEqual(r.manifest === undefined, r.problems.some((x) => x.severity === 'error'));
      if (path.length && !/required/.test(p.message)) assert.ok(p.offset > 1, 'the problem points into the document, not at its start');
    });
  }

  it('reports JSON syntax errors with positions', () => {
    const src = '{\n  "name": "x",\n  "source" "a"\n}';
    const r = parseManifest(src);
    assert.strictEqual(r.manifest, undefined);
    const lines = formatProblems('l.layer.json', src, r.problems);
    assert.match(lines[0], /^l\.layer\.json:3:\d+: error: JSON syntax: ColonExpected/);
  });

  it('points exactly at the offending value', () => {
    const src = text({ ...valid, regions: ['us-east-1', 'mars-1'] });
    const p = parseManifest(src).problems[0];
    assert.strictEqual(src.slice(p.offset, p.offset + p.length), '"mars-1"');
  });

  it('positionAt counts lines and columns from 1', () => {
    assert.deepStrictEqual(positionAt('ab\ncd', 4), { line: 2, column: 2 });
    assert.deepStrictEqual(positionAt('ab', 0), { line: 1, column: 1 });
  });
});

describe('layers/core/manifest: where "source" may point', () => {
  // The manifest is /work/repo/infra/layers/x.layer.json; the repository (or workspace folder) is /work/repo.
  const location: ManifestLocation = { dir: '/work/repo/infra/layers', root: '/work/repo', rootLabel: 'repository' };
  const withSource = (source: string) => text({ name: 'l', source, regions: ['us-east-1'] });
  const sourceProblems = (source: string, options: Parameters<typeof parseManifest>[1]) => {
    const src = withSource(source);
    const r = parseManifest(src, options);
    return { r, problems: r.problems.map((p) => ({ severity: p.severity, message: p.message, at: src.slice(p.offset, p.offset + p.length), path: p.path })) };
  };

  it('refuses a source that leads outside the repository, on the exact value', () => {
    const { r, problems } = sourceProblems('../../../../etc', { location });
    assert.strictEqual(r.manifest, undefined);
    assert.strictEqual(problems.length, 1);
    assert.deepStrictEqual({ severity: problems[0].severity, at: problems[0].at, path: problems[0].path }, { severity: 'error', at: '"../../../../etc"', path: ['source'] });
    assert.match(problems[0].message, /^"source" resolves to \/etc, outside the repository \/work\/repo\. A manifest may package only files inside the repository/);
    assert.ok(problems[0].message.length < 500, 'not clipped');
    assert.strictEqual(sourceProblems('../../../.aws', { location }).r.manifest, undefined, 'one level above the root is outside too');
    assert.strictEqual(sourceProblems('../../../repo-other/x', { location }).r.manifest, undefined, 'a sibling whose name starts like the root');
  });

  it('allows climbing out of the manifest\'s folder while staying inside (a monorepo\'s packages/)', () => {
    for (const ok of ['../../packages/shared', './layer', 'dist/l.zip', '..', '../..']) {
      const { r, problems } = sourceProblems(ok, { location });
      assert.deepStrictEqual(problems, [], ok);
      assert.ok(r.manifest, ok);
    }
  });

  it('refuses absolute paths (POSIX, Windows drive, UNC) and "~", suggesting the relative path when it is inside', () => {
    const inside = sourceProblems('/work/repo/packages/shared', { location }).problems[0];
    assert.strictEqual(inside.severity, 'error');
    assert.strictEqual(inside.at, '"/work/repo/packages/shared"');
    assert.match(inside.message, /"source" is an absolute path \(\/work\/repo\/packages\/shared\): it works on this machine only .* Write it relative to the manifest's folder: "\.\.\/\.\.\/packages\/shared"\.$/);
    assert.match(sourceProblems('/etc', { location }).problems[0].message, /absolute path \(\/etc\).*also outside the repository \/work\/repo/);
    for (const abs of ['C:\\Users\\me\\layer', 'c:layer', '\\\\server\\share\\layer', '/etc']) {
      const { r, problems } = sourceProblems(abs, {});
      assert.strictEqual(r.manifest, undefined, abs);
      assert.match(problems[0].message, /absolute path/, abs);
    }
    const home = sourceProblems('~/.aws', { location }).problems[0];
    assert.deepStrictEqual([home.severity, home.at], ['error', '"~/.aws"']);
    assert.match(home.message, /"~", which is not expanded/);
  });

  it('without a location (text only), leaving the folder is a warning; a path typed on the command line is not checked', () => {
    const { r, problems } = sourceProblems('../../etc', {});
    assert.ok(r.manifest, 'a warning does not stop parsing');
    assert.deepStrictEqual(problems.map((p) => [p.severity, p.at]), [['warning', '"../../etc"']]);
    assert.match(problems[0].message, /leaves the manifest's folder/);
    assert.deepStrictEqual(sourceProblems('/home/me/layer', { sourceFromCommandLine: true }).problems, []);
  });

  it('the build follows links: a source inside the repository that links outside is refused', async function () {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-src-'));
    try {
      const repo = path.join(tmp, 'repo');
      fs.mkdirSync(path.join(repo, 'infra'), { recursive: true });
      fs.mkdirSync(path.join(repo, '.git'));
      fs.mkdirSync(path.join(tmp, 'secrets'));
      fs.mkdirSync(path.join(repo, 'real-layer'));
      fs.symlinkSync(path.join(tmp, 'secrets'), path.join(repo, 'infra', 'linked'));
      const file = path.join(repo, 'infra', 'x.layer.json');
      const loc = await manifestLocationOnDisk(file);
      assert.deepStrictEqual(loc, { dir: path.join(repo, 'infra'), root: repo, rootLabel: 'repository' }, 'the nearest folder with a .git');
      const m = (source: string) => parseManifest(withSource(source), { location: loc }).manifest!;
      await assert.rejects(manifestSource(file, m('./linked'), loc), /leads to .*secrets \(through a symbolic link\), outside the repository/);
      assert.strictEqual(await manifestSource(file, m('../real-layer'), loc), path.join(repo, 'real-layer'));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('opsdeck layers build refuses such a manifest with file:line:col (exit 2) before building anything', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-src-'));
    try {
      fs.mkdirSync(path.join(tmp, 'repo', '.git'), { recursive: true });
      fs.mkdirSync(path.join(tmp, 'outside', 'nodejs'), { recursive: true });
      fs.writeFileSync(path.join(tmp, 'outside', 'nodejs', 'index.js'), 'x');
      const file = path.join(tmp, 'repo', 'x.layer.json');
      fs.writeFileSync(file, '{\n  "name": "l",\n  "source": "../outside",\n  "regions": ["us-east-1"]\n}\n');
      const r = await runCli(['layers', 'build', file]);
      assert.strictEqual(r.code, 2);
      assert.match(r.stderr, /x\.layer\.json:3:13: error: "source" resolves to .*outside, outside the repository/);
      assert.doesNotMatch(r.stderr + r.stdout, /Building/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('layers: the JSON schema (jsonValidation) agrees with the validator', () => {
  const schema = require('../../../schemas/layer-manifest.schema.json') as { properties: Record<string, { properties?: unknown; items?: { anyOf?: Array<{ enum?: string[] }> } }>; required: string[] };
  it('names the same properties and required ones', () => {
    assert.deepStrictEqual(Object.keys(schema.properties).sort(), [...KNOWN_KEYS].sort());
    assert.deepStrictEqual(schema.required, ['name', 'source', 'regions']);
  });
  it('offers the runtimes the validator knows', () => {
    assert.deepStrictEqual(schema.properties.compatibleRuntimes.items?.anyOf?.[0].enum, [...KNOWN_RUNTIMES]);
  });
  it('is contributed for *.layer.json', () => {
    const contributes = require('../../../src/layers/contributes.json') as { jsonValidation: Array<{ fileMatch: string; url: string }> };
    assert.deepStrictEqual(contributes.jsonValidation, [{ fileMatch: '*.layer.json', url: './schemas/layer-manifest.schema.json' }]);
  });
});
