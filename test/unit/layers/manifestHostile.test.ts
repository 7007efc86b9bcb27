import * as assert from 'assert';
import { nestingTooDeep } from '../../../src/common/jsonDepth';
import { MAX_NESTING_DEPTH, parseManifest } from '../../../src/layers/core/manifest';

describe('layers/core/manifest with hostile input', () => {
  const depthCases: Array<[string, string, boolean]> = [
    ['flat object', '{"a": [1, {"b": 2}]}', false],
    ['brackets inside strings do not count', `{"a": "${'['.repeat(1000)}"}`, false],
    ['brackets inside comments do not count', `{ // ${'{'.repeat(1000)}\n "a": 1 /* ${'['.repeat(1000)} */ }`, false],
    ['an escaped quote does not end the string', `{"a": "\\"${'['.repeat(1000)}"}`, false],
    [`exactly ${MAX_NESTING_DEPTH} levels`, `${'['.repeat(MAX_NESTING_DEPTH)}${']'.repeat(MAX_NESTING_DEPTH)}`, false],
    [`${MAX_NESTING_DEPTH + 1} levels`, `${'['.repeat(MAX_NESTING_DEPTH + 1)}`, true],
  ];
  for (const [name, text, deep] of depthCases) {
    it(`nesting depth: ${name}`, () => assert.strictEqual(nestingTooDeep(text, MAX_NESTING_DEPTH) !== undefined, deep));
  }

  it('20,000 nested brackets: an error that says why, no stack overflow', () => {
    const r = parseManifest(`{"name": ${'['.repeat(20_000)}`);
    assert.strictEqual(r.manifest, undefined);
    assert.match(r.problems[0].message, /nested more than \d+ levels/);
  });

  it('duplicate keys: the last one is used (as JSON.parse does) and each earlier one is flagged', () => {
    const text = '{"name": "first", "name": "second", "source": ".", "regions": ["us-east-1"], "regions": ["eu-west-1"]}';
    const r = parseManifest(text);
    assert.strictEqual(r.manifest?.name, 'second');
    assert.deepStrictEqual(r.manifest?.regions, ['eu-west-1']);
    const dupes = r.problems.filter((p) => /appears more than once/.test(p.message));
    assert.deepStrictEqual(dupes.map((p) => text.slice(p.offset, p.offset + p.length)), ['"name"', '"regions"']);
  });

  it('a 100,000-character value is clipped in the message', () => {
    const r = parseManifest(`{"name": "${'x'.repeat(100_000)}", "source": ".", "regions": ["us-east-1"]}`);
    assert.ok(r.problems.length > 0);
    for (const p of r.problems) assert.ok(p.message.length < 600, `${p.message.length} characters`);
  });
});
