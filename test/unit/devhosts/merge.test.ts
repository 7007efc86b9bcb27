import * as assert from 'assert';
import fc from 'fast-check';
import { END_MARKER, START_MARKER, MarkerError, findRegion, includeLine, mergeRegion, removeRegion, regionBody, linesBeforeRegion } from '../../../src/devhosts/core/merge';

const buf = (s: string): Buffer => Buffer.from(s, 'utf8');
const INCLUDE = includeLine('~/.ssh/opsdeck/config');

describe('devhosts: merging OpsDeck\'s block into the user\'s SSH config', () => {
  it('inserts at the very top (before any Host *), in the file\'s own line endings', () => {
    const user = 'Host *\r\n  User root\r\n';
    const r = mergeRegion(buf(user), INCLUDE);
    assert.strictEqual(r.action, 'inserted');
    assert.strictEqual(r.content.toString(), `${START_MARKER}\r\n${INCLUDE}\r\n${END_MARKER}\r\n${user}`);
    assert.deepStrictEqual(r.lines, { from: 1, to: 3 });
  });

  it('keeps a UTF-8 BOM first', () => {
    const r = mergeRegion(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), buf('Host a\n')]), INCLUDE);
    assert.deepStrictEqual([...r.content.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.ok(r.content.subarray(3).toString().startsWith(START_MARKER));
  });

  it('replaces the block in place wherever the user moved it, and reports unchanged when equal', () => {
    const user = `Host a\n  User x\n${START_MARKER}\nold\n${END_MARKER}\nHost b\n`;
    const r = mergeRegion(buf(user), INCLUDE);
    assert.strictEqual(r.content.toString(), `Host a\n  User x\n${START_MARKER}\n${INCLUDE}\n${END_MARKER}\nHost b\n`);
    assert.strictEqual(r.action, 'replaced');
    const again = mergeRegion(r.content, INCLUDE);
    assert.strictEqual(again.action, 'unchanged');
    assert.strictEqual(again.changed, false);
    assert.deepStrictEqual(linesBeforeRegion(r.content), [1, 2]);
  });

  it('a block at end of file without a final newline stays without one', () => {
    const user = `Host a\n${START_MARKER}\nold\n${END_MARKER}`;
    assert.strictEqual(mergeRegion(buf(user), 'new').content.toString(), `Host a\n${START_MARKER}\nnew\n${END_MARKER}`);
  });

  const broken: [string, string, RegExp][] = [
    ['two START markers', `${START_MARKER}\n${START_MARKER}\n${END_MARKER}\n`, /appears 2 times \(lines 1, 2\)/],
    ['two END markers', `${START_MARKER}\n${END_MARKER}\n${END_MARKER}\n`, /END marker appears 2 times/],
    ['START without END', `Host a\n${START_MARKER}\nInclude x\n`, /line 2 has no END/],
    ['END without START', `Host a\n${END_MARKER}\n`, /line 2 has no START/],
    ['END before START', `${END_MARKER}\n${START_MARKER}\n`, /comes before/],
    ['START with trailing text', `  ${START_MARKER} edited\nx\n`, /no END/],
  ];
  for (const [name, text, msg] of broken) {
    it(`refuses broken markers: ${name}`, () => {
      assert.throws(() => mergeRegion(buf(text), INCLUDE), (e: Error) => e instanceof MarkerError && msg.test(e.message) && /nothing was changed/.test(e.message));
      assert.throws(() => removeRegion(buf(text)), MarkerError);
    });
  }

  it('undo removes exactly the block', () => {
    const user = 'Host a\n\tUser b\n';
    const merged = mergeRegion(buf(user), INCLUDE).content;
    assert.strictEqual(regionBody(merged), INCLUDE);
    assert.strictEqual(removeRegion(merged).content.toString(), user);
    assert.strictEqual(removeRegion(buf(user)).action, 'absent');
  });

  it('keeps invalid UTF-8 bytes byte for byte', () => {
    const user = Buffer.from([0x48, 0x6f, 0x73, 0x74, 0x20, 0xff, 0xfe, 0x0a, 0xc3, 0x28, 0x0a]);
    const merged = mergeRegion(user, 'Host \u00e9\n').content;
    assert.ok(removeRegion(merged).content.equals(user));
    assert.strictEqual(regionBody(merged), 'Host \u00e9');
  });
});

/**
 * Lines a real config might have: CRLF, tabs, comments, Match blocks, odd spacing, raw (invalid UTF-8) bytes, and
 * real Unicode: every code point (astral emoji, CJK, RTL, combining marks) as graphemes, written as UTF-8.
 */
const RICH = ['é', 'e\u0301', '日本', '🍎', '👩‍💻', 'ש\u05c1לום', 'مرحبا', '\u200f', 'Å', '\u0915\u094d\u0937'];
const textLine = (s: string): string => s.replace(/[\r\n]/g, '');
const lineArb: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constantFrom('Host *', 'Host github.com', '\tUser git', '  IdentityFile ~/.ssh/id_ed25519', 'Match host *.internal exec "true"', 'Match all',
    '# a comment', '#', '', '   ', '\t', 'Include ~/.ssh/conf.d/*', 'Host bastion', '  ProxyJump jump', 'Host café 日本 🍎', '  HostName=1.2.3.4',
    '# --- START CODER VSCODE x ---', '# --- END CODER VSCODE x ---', '# --- START OPSDECK', 'Host macos1\r').map((l) => Buffer.from(l, 'utf8')),
  fc.string({ unit: 'grapheme', maxLength: 30 }).map((l) => Buffer.from(textLine(l), 'utf8')),
  fc.array(fc.oneof(fc.constantFrom(...RICH), fc.string({ unit: 'binary-ascii', maxLength: 4 })), { maxLength: 8 }).map((parts) => Buffer.from(textLine(`# ${parts.join('')}`), 'utf8')),
  fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(Array.from(a).filter((b) => b !== 0x0a))),
);
const fileArb = fc.record({
  lines: fc.array(lineArb, { maxLength: 30 }),
  eol: fc.constantFrom('\n', '\r\n'),
  mixedEol: fc.boolean(),
  trailing: fc.boolean(),
  bom: fc.boolean(),
}).map(({ lines, eol, mixedEol, trailing, bom }) => {
  const safe = lines.filter((l) => !l.toString('latin1').trim().startsWith('# --- START OPSDECK MAC DEV HOSTS') && !l.toString('latin1').trim().startsWith('# --- END OPSDECK MAC DEV HOSTS'));
  const bytes = Buffer.concat(safe.flatMap((l, i) => [l, Buffer.from(i < safe.length - 1 || trailing ? (mixedEol && i % 3 === 1 ? '\r\n' : eol) : '', 'latin1')]));
  return bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]) : bytes;
});
const bodyArb = fc.array(fc.oneof(fc.constantFrom('Include ~/.ssh/opsdeck/config', 'Host macos1', '  HostName 10.0.0.1', '# "café" · i-0123', ''), fc.string({ unit: 'grapheme', maxLength: 20 }).map((l) => `# ${textLine(l)}`)), { minLength: 1, maxLength: 8 }).map((l) => l.join('\n'));

export const PROPERTY_RUNS = 2000;

describe('devhosts: property: merging never loses a user byte', () => {
  it('the generated configs hold real multi-byte UTF-8 (2-, 3- and 4-byte sequences, combining marks, RTL), not just ASCII', () => {
    const samples = fc.sample(fileArb, { numRuns: 300, seed: 11 }).map((b) => b.toString('utf8'));
    const all = samples.join('\n');
    assert.match(all, /[\u0080-\u07ff]/u, '2-byte');
    assert.match(all, /[\u0800-\uffff]/u, '3-byte');
    assert.match(all, /[\u{10000}-\u{10ffff}]/u, '4-byte (astral)');
    assert.match(all, /\p{M}/u, 'combining marks');
    assert.match(all, /[\u0590-\u08ff]/u, 'right-to-left scripts');
    const multiByteFiles = samples.filter((t) => /[^\x00-\x7f]/.test(t.replace(/\ufffd/g, ''))).length;
    assert.ok(multiByteFiles > 150, `${multiByteFiles}/300 files hold non-ASCII text`);
  });

  it(`insert, replace, replace again, undo: everything outside the markers is unchanged (${PROPERTY_RUNS} generated configs × 4 operations)`, () => {
    fc.assert(fc.property(fileArb, bodyArb, bodyArb, (user, body1, body2) => {
      const m1 = mergeRegion(user, body1).content;
      const region1 = findRegion(m1.toString('latin1'))!;
      const s1 = m1.toString('latin1');
      const outside1 = s1.slice(0, region1.start) + s1.slice(region1.end);
      if (outside1 !== user.toString('latin1')) return false;
      const m2 = mergeRegion(m1, body2).content;
      const region2 = findRegion(m2.toString('latin1'))!;
      const s2 = m2.toString('latin1');
      if (s2.slice(0, region2.start) + s2.slice(region2.end) !== user.toString('latin1')) return false;
      if (regionBody(m2) !== body2.replace(/\n+$/, '')) return false;
      if (mergeRegion(m2, body2).changed) return false; // idempotent
      return removeRegion(m2).content.equals(user); // undo restores the original bytes exactly
    }), { numRuns: PROPERTY_RUNS, seed: Number(process.env.FC_SEED ?? 20261126) });
  });

  it(`a block the user moved (anywhere, any line ending) is replaced in place, not duplicated (${PROPERTY_RUNS / 2} runs)`, () => {
    fc.assert(fc.property(fileArb, fileArb, bodyArb, (head, tail, body) => {
      const user = Buffer.concat([head, Buffer.from(head.length && !head.toString('latin1').endsWith('\n') ? '\n' : ''), Buffer.from(`${START_MARKER}\r\nstale\r\n${END_MARKER}\n`), tail]);
      const out = mergeRegion(user, body).content.toString('latin1');
      const s = user.toString('latin1');
      const r = findRegion(s)!;
      const r2 = findRegion(out)!;
      return out.slice(0, r2.start) === s.slice(0, r.start) && out.slice(r2.end) === s.slice(r.end) && out.split(START_MARKER).length === 2;
    }), { numRuns: PROPERTY_RUNS / 2, seed: 7 });
  });
});
