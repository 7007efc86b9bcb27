import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { unzipSync } from 'fflate';
import { buildLayer, zipContents } from '../../../src/layers/build';
import { globToRegExp, makeExcluder } from '../../../src/layers/core/glob';
import { deterministicZip, normalisedMode, sha256Base64 } from '../../../src/layers/core/zip';

function tree(files: Record<string, string | { data: string; mode?: number; link?: string }>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-zip-test-'));
  for (const [rel, spec] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    if (typeof spec === 'string') fs.writeFileSync(abs, spec);
    else if (spec.link) fs.symlinkSync(spec.link, abs);
    else {
      fs.writeFileSync(abs, spec.data);
      fs.chmodSync(abs, spec.mode ?? 0o644);
    }
  }
  return dir;
}

describe('layers/core/zip and build (deterministic zips)', () => {
  it('gives byte-identical zips for the same files written in a different order, at different times and modes', async () => {
    const a = tree({ 'nodejs/node_modules/b/index.js': 'b', 'nodejs/node_modules/a/index.js': 'a', 'bin/tool': { data: '#!/bin/sh', mode: 0o700 } });
    await new Promise((r) => setTimeout(r, 1100));
    const b = tree({ 'bin/tool': { data: '#!/bin/sh', mode: 0o751 }, 'nodejs/node_modules/a/index.js': 'a', 'nodejs/node_modules/b/index.js': 'b' });
    fs.utimesSync(path.join(b, 'nodejs/node_modules/a/index.js'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const za = await buildLayer({ source: a, kind: 'none' });
    const zb = await buildLayer({ source: b, kind: 'none' });
    assert.strictEqual(Buffer.compare(Buffer.from(za.bytes), Buffer.from(zb.bytes)), 0);
    assert.strictEqual(za.codeSha256, zb.codeSha256);
    assert.strictEqual(za.fileCount, 3);
  });

  it('changes the hash when one byte of one file changes', async () => {
    const a = await buildLayer({ source: tree({ 'python/m.py': 'x = 1' }), kind: 'none' });
    const b = await buildLayer({ source: tree({ 'python/m.py': 'x = 2' }), kind: 'none' });
    assert.notStrictEqual(a.codeSha256, b.codeSha256);
  });

  it('does not depend on the time zone of the machine', () => {
    const script = "const z=require('./src/layers/core/zip');process.stdout.write(z.sha256Base64(z.deterministicZip([{path:'a/b.txt',data:Buffer.from('hello')}])))";
    const run = (tz: string) => execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { env: { ...process.env, TZ: tz }, cwd: path.join(__dirname, '../../..') }).toString();
    const utc = run('UTC');
    assert.strictEqual(run('Asia/Tokyo'), utc);
    assert.strictEqual(run('America/Los_Angeles'), utc);
  });

  it('sorts entries, fixes timestamps and normalises modes (read back with fflate and unzip -Z)', () => {
    const bytes = deterministicZip([
      { path: 'z.txt', data: Buffer.from('z'), mode: 0o600 },
      { path: 'a/run', data: Buffer.from('#!'), mode: 0o700 },
      { path: 'a/link', data: Buffer.from('run'), symlink: true },
    ]);
    assert.deepStrictEqual(Object.keys(unzipSync(bytes)), ['a/link', 'a/run', 'z.txt']);
    let listing: string;
    const file = path.join(os.tmpdir(), `opsdeck-zip-${process.pid}.zip`);
    fs.writeFileSync(file, bytes);
    try {
      listing = execFileSync('unzip', ['-Z', file]).toString();
    } catch {
      listing = '';
    }
    if (listing) {
      assert.match(listing, /lrwxrwxrwx .* 80-Jan-01 00:00 a\/link/);
      assert.match(listing, /-rwxr-xr-x .* 80-Jan-01 00:00 a\/run/);
      assert.match(listing, /-rw-r--r-- .* 80-Jan-01 00:00 z\.txt/);
    }
    assert.strictEqual(normalisedMode({ mode: 0o100600 }), 0o100644);
    assert.strictEqual(normalisedMode({ mode: 0o100744 }), 0o100755);
  });

  it('rejects paths that escape the layer and duplicates', () => {
    assert.throws(() => deterministicZip([{ path: '../x', data: Buffer.from('') }]), /".." segment/);
    assert.throws(() => deterministicZip([{ path: 'a', data: Buffer.from('') }, { path: 'a', data: Buffer.from('') }]), /twice/);
  });

  it('hashes as Lambda does: base64 of the SHA-256 of the bytes, checked against known vectors', () => {
    // FIPS 180-2 test vectors, base64 of the published hex digests.
    assert.strictEqual(sha256Base64(new Uint8Array(0)), '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    assert.strictEqual(sha256Base64(Buffer.from('abc')), Buffer.from('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'hex').toString('base64'));
  });

  it('hashes a zip as an independent sha256sum / openssl does (when either is installed)', function () {
    const bytes = deterministicZip([{ path: 'nodejs/x.js', data: Buffer.from('module.exports = 1;\n') }, { path: 'bin/run', data: Buffer.from('#!/bin/sh\n'), mode: 0o755 }]);
    const file = path.join(os.tmpdir(), `opsdeck-zip-sha-${process.pid}.zip`);
    fs.writeFileSync(file, bytes);
    const tools: Array<[string, string[]]> = [['sha256sum', [file]], ['openssl', ['dgst', '-sha256', '-r', file]], ['shasum', ['-a', '256', file]]];
    let hex: string | undefined;
    for (const [cmd, args] of tools) {
      try {
        hex = execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim().split(/\s+/)[0];
        break;
      } catch {
        /* next tool */
      }
    }
    fs.rmSync(file, { force: true });
    if (!hex) this.skip();
    assert.match(hex!, /^[0-9a-f]{64}$/);
    assert.strictEqual(sha256Base64(bytes), Buffer.from(hex!, 'hex').toString('base64'));
  });

  it('publishes a ready zip byte for byte and reads its sizes from the directory', async () => {
    const bytes = deterministicZip([{ path: 'nodejs/a.js', data: Buffer.alloc(1000, 1) }, { path: 'nodejs/b.js', data: Buffer.from('b') }]);
    const dir = tree({});
    const file = path.join(dir, 'l.zip');
    fs.writeFileSync(file, bytes);
    const r = await buildLayer({ source: file, kind: 'zip' });
    assert.strictEqual(Buffer.compare(Buffer.from(r.bytes), Buffer.from(bytes)), 0);
    assert.deepStrictEqual(zipContents(bytes), { unzippedSize: 1001, fileCount: 2 });
  });

  it('keeps symlinks as links and warns about links out of the layer', async () => {
    const dir = tree({ 'bin/real': 'x', 'bin/alias': { data: '', link: 'real' }, 'bin/out': { data: '', link: '/etc/passwd' } });
    const r = await buildLayer({ source: dir, kind: 'none' });
    const files = unzipSync(r.bytes);
    assert.strictEqual(Buffer.from(files['bin/alias']).toString(), 'real');
    assert.ok(r.warnings.some((w) => /bin\/out links outside/.test(w)));
  });

  it('applies default and manifest excludes and warns about folders no runtime reads', async () => {
    const dir = tree({ 'nodejs/a.js': 'a', 'nodejs/README.md': 'r', '.git/HEAD': 'h', 'x.layer.json': '{}', 'docs/d.txt': 'd' });
    const r = await buildLayer({ source: dir, kind: 'none', exclude: ['*.md'] });
    assert.deepStrictEqual(Object.keys(unzipSync(r.bytes)), ['docs/d.txt', 'nodejs/a.js']);
    assert.ok(r.warnings.some((w) => /Not used by any runtime: docs/.test(w)));
  });
});

describe('layers/core/glob', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*.md', 'README.md', true],
    ['*.md', 'nodejs/x/README.md', true],
    ['*.md', 'nodejs/x.mdx', false],
    ['docs/**', 'docs/a/b.txt', true],
    ['docs/**', 'nodejs/docs/a', false],
    ['**/test/', 'nodejs/node_modules/x/test/a.js', true],
    ['.git/', '.git/HEAD', true],
    ['a?c', 'abc', true],
    ['a?c', 'a/c', false],
  ];
  for (const [pattern, p, expected] of cases) it(`${pattern} ${expected ? 'matches' : 'does not match'} ${p}`, () => assert.strictEqual(globToRegExp(pattern).test(p), expected));
  it('ignores blank and comment patterns', () => assert.strictEqual(makeExcluder(['', '# x'])('x'), false));
});
