import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { unzipSync } from 'fflate';
import { buildFromManifest, LocalBuildCache } from '../../../src/layers/build';
import { parseManifest, type LayerManifest } from '../../../src/layers/core/manifest';
import { placeManifest } from '../../../src/layers/core/placement';
import { MAX_EVENT_CHARS, PublishProgressText } from '../../../src/layers/core/progress';

const REGIONS_16 = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1', 'eu-west-1', 'eu-west-2',
  'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-southeast-1',
];

function manifestIn(dir: string, file: string, body: Record<string, unknown>): { file: string; manifest: LayerManifest } {
  const abs = path.join(dir, file);
  fs.writeFileSync(abs, JSON.stringify(body));
  const location = { dir: path.dirname(abs), root: dir, rootLabel: 'workspace folder' };
  const { manifest, problems } = parseManifest(fs.readFileSync(abs, 'utf8'), { location });
  assert.ok(manifest, JSON.stringify(problems));
  return { file: abs, manifest };
}

describe('layers: where "Create Layer Manifest from Folder" writes', () => {
  const ws = path.join(path.sep, 'ws', 'proj');

  it('next to a folder below the workspace root, with source "./<folder>"', () => {
    assert.deepStrictEqual(placeManifest(path.join(ws, 'layers', 'utils'), ws, 'utils'), { ok: true, file: path.join(ws, 'layers', 'utils.layer.json'), source: './utils', where: 'beside' });
    assert.deepStrictEqual(placeManifest(path.join(ws, 'utils'), ws, 'u'), { ok: true, file: path.join(ws, 'u.layer.json'), source: './utils', where: 'beside' });
  });

  it('inside the workspace root itself (never in its parent), with source "."', () => {
    const p = placeManifest(ws, ws, 'proj');
    assert.deepStrictEqual(p, { ok: true, file: path.join(ws, 'proj.layer.json'), source: '.', where: 'inside' });
  });

  it('nowhere for a folder outside every workspace folder', () => {
    for (const [folder, root] of [[path.join(path.sep, 'elsewhere'), ws], [path.dirname(ws), ws], [path.join(ws, 'x'), undefined]] as const) {
      const p = placeManifest(folder, root, 'x');
      assert.strictEqual(p.ok, false);
      assert.match((p as { error: string }).error, /not inside a workspace folder/);
    }
  });

  it('a manifest inside the folder it describes ("source": ".") is never zipped, nor any other *.layer.json', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-place-'));
    fs.mkdirSync(path.join(dir, 'nodejs', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'nodejs', 'a.js'), 'a');
    fs.writeFileSync(path.join(dir, 'nodejs', 'sub', 'other.layer.json'), '{}');
    const placed = placeManifest(dir, dir, 'root');
    assert.ok(placed.ok);
    const { file, manifest } = manifestIn(dir, path.basename(placed.file), { name: 'root', source: placed.source, regions: ['us-east-1'] });
    const built = await buildFromManifest(file, manifest, { location: { dir, root: dir, rootLabel: 'workspace folder' } });
    assert.deepStrictEqual(Object.keys(unzipSync(built.bytes)), ['nodejs/a.js']);
  });
});

describe('layers: publish progress text (one notification, 16 Regions)', () => {
  it('shows counts and the latest event, short whatever the number of Regions; a log line per finished Region', () => {
    const p = new PublishProgressText(REGIONS_16, 'abcd1234 2 KB');
    const lengths: number[] = [];
    const logs: string[] = [];
    let percent = 0;
    for (const r of REGIONS_16) lengths.push(p.update(r, 'checking', 'checking…').message.length);
    let last = '';
    REGIONS_16.forEach((r, i) => {
      const line = r === 'ap-south-1' ? `failed: ${'x'.repeat(200)}` : `published v${i + 1}`;
      const u = p.update(r, 'done', line);
      lengths.push(u.message.length);
      percent += u.increment ?? 0;
      if (u.logLine) logs.push(u.logLine);
      last = u.message;
      if (r === 'eu-west-2') assert.strictEqual(u.message, 'abcd1234 2 KB · 8/16 done · 8 in progress · eu-west-2: published v8');
    });
    assert.strictEqual(last, 'abcd1234 2 KB · 16/16 done · 1 failed · ap-southeast-1: published v16');
    // Every Region's outcome reaches the log, the bar reaches 100 %, and the message never grows with Regions.
    assert.strictEqual(logs.length, 16);
    assert.strictEqual(logs[6], 'eu-west-1: published v7');
    assert.ok(Math.abs(percent - 100) < 1e-9);
    assert.ok(Math.max(...lengths) <= 'abcd1234 2 KB · 16/16 done · 16 failed · 16 in progress · '.length + MAX_EVENT_CHARS, String(Math.max(...lengths)));
    // A Region reported done twice counts once.
    assert.strictEqual(p.update('us-east-1', 'done', 'published v1').logLine, undefined);
  });
});

describe('layers: the view\'s local build is cached by the source fingerprint', () => {
  it('does not re-zip when nothing changed; a changed, added or removed file rebuilds', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-cache-'));
    fs.mkdirSync(path.join(dir, 'src', 'python'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'src', 'python', 'm.py'), 'x = 1\n');
    const { file, manifest } = manifestIn(dir, 'm.layer.json', { name: 'm', source: './src', regions: ['us-east-1'] });
    let zips = 0;
    const cache = new LocalBuildCache(async (...args) => {
      zips++;
      return buildFromManifest(...args);
    });
    const first = await cache.codeSha256(file, manifest);
    assert.strictEqual(await cache.codeSha256(file, manifest), first);
    assert.strictEqual(await cache.codeSha256(file, manifest), first);
    assert.strictEqual(zips, 1);

    // Same size, new content: the mtime tells.
    const later = new Date(Date.now() + 5000);
    fs.writeFileSync(path.join(dir, 'src', 'python', 'm.py'), 'x = 2\n');
    fs.utimesSync(path.join(dir, 'src', 'python', 'm.py'), later, later);
    const second = await cache.codeSha256(file, manifest);
    assert.strictEqual(zips, 2);
    assert.notStrictEqual(second, first);
    assert.strictEqual(second, (await buildFromManifest(file, manifest)).codeSha256);

    fs.writeFileSync(path.join(dir, 'src', 'python', 'n.py'), 'y = 1\n');
    const third = await cache.codeSha256(file, manifest);
    assert.strictEqual(zips, 3);
    fs.rmSync(path.join(dir, 'src', 'python', 'n.py'));
    assert.strictEqual(await cache.codeSha256(file, manifest), second);
    assert.strictEqual(zips, 4);
    assert.notStrictEqual(third, second);

    // Excluded files are not part of the fingerprint (they are not part of the zip either).
    fs.writeFileSync(path.join(dir, 'src', 'python', 'notes.layer.json'), '{}');
    await cache.codeSha256(file, manifest);
    assert.strictEqual(zips, 4);
    // A changed exclude list rebuilds.
    await cache.codeSha256(file, { ...manifest, exclude: ['*.txt'] });
    assert.strictEqual(zips, 5);
    assert.strictEqual(cache.builds, 5);
  });
});
