import * as assert from 'assert';
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { validateFleet } from '../../../src/fleets/core/validate';
import { articleFacts, FIXTURES } from './fixtures';

/** The malformed corpus (test/fixtures/fleets/malformed, made by make-corpus.mjs): each file breaks one rule. */
const dir = path.join(FIXTURES, 'malformed');
const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<string, { code: string; covers: string | null }>;
const files = readdirSync(dir).filter((f) => f.endsWith('.fleet.json')).sort();

describe(`fleets: malformed corpus (${files.length} files)`, () => {
  it('has an expectation for every file and a file for every expectation', () => {
    assert.deepStrictEqual(files, Object.keys(expected).sort());
    assert.ok(files.length >= 50);
  });

  for (const file of files) {
    it(`${file}: ${expected[file].code}${expected[file].covers ? ` on ${expected[file].covers}` : ''}`, () => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const { diagnostics } = validateFleet(text, articleFacts());
      for (const d of diagnostics) {
        assert.ok(d.offset >= 0 && d.length >= 0 && d.offset + d.length <= text.length, `${d.code} range inside the text`);
      }
      const { code, covers } = expected[file];
      const hits = diagnostics.filter((d) => d.code === code);
      assert.ok(hits.length, `${code} expected, got ${diagnostics.map((d) => d.code).join(', ') || 'nothing'}`);
      if (covers !== null) {
        assert.ok(hits.some((d) => text.slice(d.offset, d.offset + d.length) === covers), `${code} should cover ${covers}, covers ${hits.map((d) => text.slice(d.offset, d.offset + d.length)).join(' | ')}`);
      }
    });
  }
});
