import * as assert from 'assert';
import { parseManifest } from '../../src/layers/core/manifest';
import { validateFleet } from '../../src/fleets/core/validate';
import { validateLaunchTemplateFile } from '../../src/fleets/core/launchTemplateFile';
import { corpusFiles, tenMegabytes } from './support/corpus';

/**
 * Hostile and malformed JSON (test/fixtures/hostile/json plus a 10 MB document made here) through the three
 * validators users feed files to: the layer manifest, the fleet file and the launch template file. Each must
 * return (never throw: in the editor a throw kills the diagnostics for the file), say what is wrong in an error
 * with a message, and agree with JSON.parse on what a duplicated key means (or flag it).
 */
interface Outcome { ok: boolean; errors: string[]; warnings: string[]; value?: Record<string, unknown> }

const VALIDATORS: Array<[string, (text: string) => Outcome]> = [
  ['layer manifest', (t) => {
    const r = parseManifest(t);
    return { ok: !!r.manifest, errors: r.problems.filter((p) => p.severity === 'error').map((p) => p.message), warnings: r.problems.filter((p) => p.severity !== 'error').map((p) => p.message), value: r.manifest as unknown as Record<string, unknown> };
  }],
  ['fleet file', (t) => {
    const r = validateFleet(t);
    const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    return { ok: !errors.length, errors, warnings: r.diagnostics.filter((d) => d.severity !== 'error').map((d) => d.message), value: r.request as unknown as Record<string, unknown> };
  }],
  ['launch template file', (t) => {
    const r = validateLaunchTemplateFile(t);
    const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    return { ok: !!r.file && !errors.length, errors, warnings: r.diagnostics.filter((d) => d.severity !== 'error').map((d) => d.message) };
  }],
];

/** Files no validator may accept. */
const MUST_FAIL = new Set(['truncated.json', 'empty.json', 'whitespace.json', 'not-an-object-array.json', 'not-an-object-string.json', 'null.json', 'wrong-types.json', 'nan-infinity.json', 'deep-nesting.json', 'deep-object-nesting.json', 'invalid-utf8.json', 'unicode-escapes-lone-surrogate.json', 'control-chars-in-strings.json']);

describe('reliability: hostile JSON through the manifest, fleet and launch template validators', function () {
  this.timeout(120_000);
  const files = corpusFiles('json');

  it(`the corpus holds ${files.length} JSON files (plus a 10 MB one made at run time)`, () => {
    assert.ok(files.length >= 20);
  });

  for (const [name, validate] of VALIDATORS) {
    describe(name, () => {
      for (const f of files) {
        it(`${f.name}: returns (no throw)${MUST_FAIL.has(f.name) ? ', with an error that says why' : ''}`, () => {
          const text = f.bytes.toString('utf8');
          let out: Outcome;
          try {
            out = validate(text);
          } catch (err) {
            assert.fail(`${name} threw on ${f.name}: ${(err as Error).name}: ${(err as Error).message}`);
          }
          if (MUST_FAIL.has(f.name)) {
            assert.strictEqual(out.ok, false, `${f.name} was accepted`);
            assert.ok(out.errors.length > 0 && out.errors.every((m) => typeof m === 'string' && m.length > 3 && m.length < 2000), JSON.stringify(out.errors.slice(0, 3)));
          }
          for (const m of [...out.errors, ...out.warnings].slice(0, 50)) assert.ok(m.length < 2000, `a message of ${m.length} characters`);
        });
      }

      it('duplicate keys: the value used is the one JSON.parse (and the AWS CLI) reads, or the duplicate is reported', () => {
        const f = files.find((x) => x.name === 'duplicate-keys.json')!;
        const text = f.bytes.toString('utf8');
        const out = validate(text);
        const flagged = [...out.errors, ...out.warnings].some((m) => /duplicate/i.test(m));
        if (flagged || !out.value) return;
        const parsed = JSON.parse(text) as Record<string, unknown>;
        for (const key of ['name', 'regions', 'Type'] as const) {
          if (key in out.value) assert.deepStrictEqual(out.value[key], parsed[key], `"${key}" is read as ${JSON.stringify(out.value[key])} here but as ${JSON.stringify(parsed[key])} by JSON.parse`);
        }
      });

      it('a 10 MB document: returns within 15 s, no throw', () => {
        const text = tenMegabytes();
        assert.ok(text.length >= 10 * 1024 * 1024);
        const t0 = Date.now();
        validate(text);
        assert.ok(Date.now() - t0 < 15_000, `took ${Date.now() - t0} ms`);
      });
    });
  }
});
