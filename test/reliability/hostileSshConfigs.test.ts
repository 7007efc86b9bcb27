import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { displayPath, writeSshConfig } from '../../src/devhosts/configFiles';
import { MarkerError, mergeRegion, removeRegion, includeLine, START_MARKER, END_MARKER } from '../../src/devhosts/core/merge';
import { checkWithSsh } from '../../src/devhosts/sshCheck';
import type { RenderedEntry } from '../../src/devhosts/core/render';
import { requireTool } from '../support/tools';
import { corpusFiles } from './support/corpus';

/**
 * Hostile SSH configs (test/fixtures/hostile/ssh) as the user's ~/.ssh/config: binary garbage, CRLF, a BOM,
 * NULs, Include loops, broken or doubled OpsDeck markers, a 100 KB line. The merge either refuses with a
 * MarkerError that says what to fix (and then nothing at all is written: no file change, no backup, no temp)
 * or puts OpsDeck's block in while keeping every other byte: taking the block out again gives back the
 * original exactly. ssh -G on the result never hangs (Include loops end in an error or a result).
 */
const BODY = includeLine('~/.ssh/opsdeck/config');

describe('reliability: hostile SSH configs through the marker merge and the writer', function () {
  this.timeout(120_000);
  const files = corpusFiles('ssh');
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-rel-sshcfg-'));
  });

  it(`the corpus holds ${files.length} SSH configs`, () => assert.ok(files.length >= 15));

  for (const f of files) {
    it(`${f.name}: refused with a clear MarkerError and nothing written, or merged keeping every other byte`, async () => {
      let merged: ReturnType<typeof mergeRegion> | undefined;
      let refusal: Error | undefined;
      try {
        merged = mergeRegion(f.bytes, BODY);
      } catch (err) {
        refusal = err as Error;
      }
      const userConfig = path.join(dir, 'config');
      const managedPath = path.join(dir, 'opsdeck', 'config');
      fs.writeFileSync(userConfig, f.bytes, { mode: 0o600 });
      if (refusal) {
        assert.ok(refusal instanceof MarkerError, `only marker problems may refuse, got ${refusal.name}: ${refusal.message}`);
        assert.match(refusal.message, /line\s?\(?s?\)?\s?\d|lines \d/i, 'says which line');
        assert.match(refusal.message, /nothing was changed/);
        await assert.rejects(writeSshConfig({ userConfig, managedPath, placement: 'include', managedText: 'Host a\n  HostName a\n' }), MarkerError);
        assert.ok(fs.readFileSync(userConfig).equals(f.bytes), 'the config is untouched');
        assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['config'], 'no backup, no temp file, no managed file');
        return;
      }
      const out = merged!.content;
      // Outside OpsDeck's block every byte stays (a file that already had a block is compared without it).
      const outside = removeRegion(f.bytes).content;
      const s = out.toString('latin1');
      assert.strictEqual(s.split(START_MARKER).length - 1, 1);
      assert.strictEqual(s.split(END_MARKER).length - 1, 1);
      assert.ok(removeRegion(out).content.equals(outside), 'removing the block gives back the original bytes');
      if (/\r\n/.test(f.bytes.toString('latin1').split('\n')[0] + '\n')) assert.match(s.split('\n')[0], /\r$/, 'CRLF files get CRLF lines');
      // Through the real writer: the same bytes land on disk, with a backup of the original.
      await writeSshConfig({ userConfig, managedPath, placement: 'include', managedText: 'Host a\n  HostName a\n' });
      const onDisk = fs.readFileSync(userConfig);
      assert.ok(removeRegion(onDisk).content.equals(outside));
      if (f.bytes.length) assert.ok(fs.readFileSync(`${userConfig}.opsdeck-backup`).equals(f.bytes), 'backup of the original');
      // And the merge is stable: a second write with the same body changes nothing.
      assert.strictEqual(mergeRegion(onDisk, includeLine(displayPath(managedPath))).changed, false);
    });
  }

  it('ssh -G over Include loops, self-includes and Include * ends (an error or a result), never hangs', async function () {
    const ssh = requireTool(this, 'OpenSSH client', ['ssh']);
    const src = path.resolve(__dirname, '../fixtures/hostile/ssh');
    for (const name of ['include-self.conf', 'include-loop-a.conf', 'include-glob-everything.conf', 'binary-garbage.conf', 'nul-bytes.conf', 'long-line.conf']) {
      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-rel-inc-'));
      for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(work, f));
      const entry: RenderedEntry = { alias: 'a', kind: 'mac', identity: 'admin', hostName: 'a.example.com', user: 'ec2-user' };
      const t0 = Date.now();
      // Relative Include paths resolve against ~/.ssh, so run with HOME pointing at a folder whose .ssh is `work`.
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-rel-home-'));
      fs.symlinkSync(work, path.join(home, '.ssh'));
      const r = await checkWithSsh([entry], path.join(work, name), { ssh, home });
      assert.ok(Date.now() - t0 < 15_000, `${name}: took ${Date.now() - t0} ms`);
      assert.strictEqual(r.checked, 1);
      for (const failure of r.failures) assert.ok(failure.error.length > 0 && failure.error.length < 5000, `${name}: ${failure.error.slice(0, 200)}`);
    }
  });
});
