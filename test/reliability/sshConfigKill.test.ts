import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeSshConfig } from '../../src/devhosts/configFiles';
import { BACKUP_SUFFIX } from '../../src/devhosts/core/atomicWrite';
import { mergeRegion, START_MARKER } from '../../src/devhosts/core/merge';
import { bundle } from './support/bundle';
import { managedText, USER_CONFIG } from './support/sshTexts';

/**
 * The SSH config writer killed with SIGKILL at random points, hundreds of times: the user's config (and the
 * managed file) must always be exactly the old or the new version, never partial, never empty, with the
 * backup of the original present. Two writers at once (two VS Code windows) must never corrupt it either.
 * The writer runs in a separate process (a bundled child) so the kill is a real process death mid-syscall.
 */
const KILLS = Number(process.env.OPSDECK_RELIABILITY_KILLS ?? 300);
// 300 kills take ≈ 25 s on an idle 2-core machine (node start-up ≈ 50 ms each); on a loaded one the time budget
// stops the loop early and the count is printed. CI may raise both through the environment.
const BUDGET_MS = Number(process.env.OPSDECK_RELIABILITY_KILL_BUDGET_MS ?? 50_000);
const MIN_KILLS = 20;
export const killStats = { kills: 0, survived: 0, midWrite: 0, staleTemps: 0 };

function startWriter(child: string, args: string[]): { proc: ChildProcess; ready: Promise<boolean>; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const ready = new Promise<boolean>((resolve) => {
    proc.stdout!.on('data', (d: Buffer) => { if (String(d).includes('ready')) resolve(true); });
    proc.on('exit', () => resolve(false));
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => {
    if (code) process.stderr.write(`writer failed: ${err}\n`);
    resolve(code);
  }));
  return { proc, ready, exited };
}

const temps = (d: string): string[] => (fs.existsSync(d) ? fs.readdirSync(d).filter((f) => f.endsWith('.tmp')).map((f) => path.join(d, f)) : []);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('reliability: SSH config writer killed with SIGKILL at random points', function () {
  this.timeout(BUDGET_MS + 90_000);
  let child: string;
  let dir: string;
  before(async () => {
    child = await bundle(path.join(__dirname, 'support/writerChild.ts'));
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-rel-kill-'));
  });

  for (const placement of ['inplace', 'include'] as const) {
    it(`${placement}: after every kill the files are the old or the new version, never partial; the backup is there`, async () => {
      const versions = ['v-1', 'v-2'];
      const validManaged = versions.map((v) => Buffer.from(managedText(v)));
      const kills = Math.max(1, Math.floor(KILLS / 2));
      const started = Date.now();
      let done = 0;
      let midWrite = 0;
      const seen = { 'v-1': 0, 'v-2': 0 } as Record<string, number>;

      /** One lane: its own folder, killed writer after killed writer (lanes run in parallel: node start-up is the cost). */
      const lane = async (n: number): Promise<void> => {
        const home = path.join(dir, `lane-${n}`);
        const userConfig = path.join(home, 'config');
        const managedPath = path.join(home, 'opsdeck', 'config');
        fs.mkdirSync(home, { mode: 0o700 });
        fs.writeFileSync(userConfig, USER_CONFIG, { mode: 0o600 });
        await writeSshConfig({ userConfig, managedPath, placement, managedText: managedText('v-1') });
        const includeState = fs.readFileSync(userConfig);
        const validUser = placement === 'inplace' ? versions.map((v) => mergeRegion(Buffer.from(USER_CONFIG), managedText(v)).content) : [includeState];
        const backup = `${userConfig}${BACKUP_SUFFIX}`;
        while (done < kills && Date.now() - started < BUDGET_MS / 2) {
          const w = startWriter(child, [userConfig, managedPath, placement, 'forever', 'v']);
          assert.ok(await w.ready, 'the writer started');
          await sleep(Math.random() * 30); // somewhere inside one of the next rewrites (one takes ≈ 5–30 ms here)
          w.proc.kill('SIGKILL');
          await w.exited;
          const k = done++;
          const left = [...temps(home), ...temps(path.dirname(managedPath))];
          if (left.length) midWrite++; // a temp file left behind: this kill landed between open and rename
          // Each writer removed the temp files of the writers killed before it: at most the last one's is left,
          // and it was never more readable than the config (0600 from its creation).
          assert.ok(left.length <= 1, `kill ${k}: stale temp files pile up: ${left.map((t) => path.basename(t)).join(', ')}`);
          for (const t of left) assert.strictEqual((fs.statSync(t).mode & 0o777).toString(8), '600', `kill ${k}: ${path.basename(t)} mode`);
          const user = fs.readFileSync(userConfig);
          assert.ok(validUser.some((v) => v.equals(user)), `kill ${k}: ${userConfig} is partial or unknown (${user.length} bytes)`);
          if (placement === 'include') {
            const managed = fs.readFileSync(managedPath);
            const i = validManaged.findIndex((v) => v.equals(managed));
            assert.ok(i >= 0, `kill ${k}: managed file is partial (${managed.length} bytes)`);
            seen[versions[i]]++;
          } else {
            seen[versions[validUser.findIndex((v) => v.equals(user))]]++;
          }
          assert.strictEqual(fs.readFileSync(backup, 'utf8'), USER_CONFIG, 'the backup of the original is intact');
          assert.strictEqual((fs.statSync(userConfig).mode & 0o777).toString(8), '600');
        }
        // The next successful write (a new text, so both files really change) removes the last killed writer's temp.
        await writeSshConfig({ userConfig, managedPath, placement, managedText: managedText(`after-${n}`) });
        const stale = [...temps(home), ...temps(path.dirname(managedPath))];
        killStats.staleTemps += stale.length;
        assert.deepStrictEqual(stale.map((t) => path.basename(t)), [], 'no stale temp file survives the next successful write');
      };
      await Promise.all([0, 1].map(lane));
      killStats.kills += done;
      killStats.survived += done;
      assert.ok(done >= Math.min(kills, MIN_KILLS), `only ${done} kills fit the time budget`);
      if (done >= 2 * MIN_KILLS) assert.ok(seen['v-1'] > 0 && seen['v-2'] > 0, `kills landed on both versions: ${JSON.stringify(seen)}`);
      console.log(`      ${placement}: ${done} kills in ${Date.now() - started} ms (${midWrite} between open and rename of the temp file), versions found after the kills ${JSON.stringify(seen)}`);
      killStats.midWrite += midWrite;
    });
  }

  it('two writers at once (two VS Code windows): every read sees a whole version, the block appears once', async () => {
    const userConfig = path.join(dir, 'config');
    const managedPath = path.join(dir, 'opsdeck', 'config');
    fs.writeFileSync(userConfig, USER_CONFIG, { mode: 0o600 });
    const all = ['a-1', 'a-2', 'b-1', 'b-2'];
    const valid = [Buffer.from(USER_CONFIG), ...all.map((v) => mergeRegion(Buffer.from(USER_CONFIG), managedText(v)).content)];
    const a = startWriter(child, [userConfig, managedPath, 'inplace', '60', 'a']);
    const b = startWriter(child, [userConfig, managedPath, 'inplace', '60', 'b']);
    let reads = 0;
    let finished = false;
    const codes = Promise.all([a.exited, b.exited]).then((c) => { finished = true; return c; });
    while (!finished) {
      let bytes: Buffer | undefined;
      try {
        bytes = fs.readFileSync(userConfig);
      } catch { /* between unlink and rename there is no gap with rename(2); a read error would be a bug */ }
      assert.ok(bytes, 'the config never vanished');
      assert.ok(valid.some((v) => v.equals(bytes!)), `read ${reads}: a torn or unknown config (${bytes!.length} bytes)`);
      reads++;
      await sleep(1);
    }
    assert.deepStrictEqual(await codes, [0, 0], 'both writers finished without error');
    const final = fs.readFileSync(userConfig, 'utf8');
    assert.strictEqual(final.split(START_MARKER).length - 1, 1, 'OpsDeck\'s block appears once');
    assert.ok(final.includes('Host work'), 'the user\'s own hosts survive');
    console.log(`      two writers: ${reads} reads during 120 concurrent writes, all whole`);
  });
});
