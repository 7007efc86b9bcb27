// Python layer build (requirements.txt → python/ with pip install -t). This machine has no package index, so
// what can run here is a requirements.txt naming a local wheel (built by the test); a real requirements file
// with index packages goes through exactly the same command but is NOT exercised here.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { unzipSync } from 'fflate';
import { buildLayer } from '../../../src/layers/build';
import { deterministicZip } from '../../../src/layers/core/zip';
import { requireTool } from '../../support/tools';

/** A minimal pure-Python wheel (a zip with dist-info), so pip needs no network. */
function wheel(dir: string): void {
  const files: Record<string, string> = {
    'tinypkg/__init__.py': 'VALUE = 42\n',
    'tinypkg-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\nName: tinypkg\nVersion: 1.0\n',
    'tinypkg-1.0.dist-info/WHEEL': 'Wheel-Version: 1.0\nGenerator: opsdeck-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
  };
  const { createHash } = require('crypto') as typeof import('crypto');
  const record = Object.entries(files).map(([n, d]) => `${n},sha256=${createHash('sha256').update(d).digest('base64url')},${Buffer.byteLength(d)}`);
  files['tinypkg-1.0.dist-info/RECORD'] = `${[...record, 'tinypkg-1.0.dist-info/RECORD,,'].join('\n')}\n`;
  fs.writeFileSync(path.join(dir, 'tinypkg-1.0-py3-none-any.whl'), deterministicZip(Object.entries(files).map(([p, d]) => ({ path: p, data: Buffer.from(d) }))));
}

describe('layers: Python build (offline: a local wheel only)', function () {
  this.timeout(120_000);

  it('installs requirements into python/ without .pyc files, and two builds are byte-identical', async function () {
    const python = requireTool(this, 'python3 with pip', ['python3']);
    try {
      execFileSync(python, ['-m', 'pip', '--version'], { stdio: 'ignore' });
    } catch {
      requireTool(this, 'pip for python3', ['/nonexistent/pip']);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-py-layer-'));
    wheel(dir);
    fs.writeFileSync(path.join(dir, 'requirements.txt'), './tinypkg-1.0-py3-none-any.whl\n');
    const one = await buildLayer({ source: dir, kind: 'python' }, { pythonCommand: python });
    const two = await buildLayer({ source: dir, kind: 'python' }, { pythonCommand: python });
    const names = Object.keys(unzipSync(one.bytes));
    assert.ok(names.includes('python/tinypkg/__init__.py'), names.join('\n'));
    assert.ok(names.every((n) => n.startsWith('python/') && !n.endsWith('.pyc') && !n.includes('__pycache__')), names.join('\n'));
    assert.strictEqual(one.codeSha256, two.codeSha256);
  });

  it('says clearly when requirements.txt is missing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-py-layer-'));
    await assert.rejects(buildLayer({ source: dir, kind: 'python' }), /A Python layer needs .*requirements\.txt/);
  });
});
