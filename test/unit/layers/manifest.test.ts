import * as assert from 'assert';
import { formatProblems, KNOWN_KEYS, parseManifest, positionAt } from '../../../src/layers/core/manifest';
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
