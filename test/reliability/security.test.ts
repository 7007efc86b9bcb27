import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runSshG } from '../../src/devhosts/sshCheck';
import { renderSshConfig } from '../../src/devhosts/core/render';
import { resolveIdentities } from '../../src/devhosts/core/identities';
import type { Inventory } from '../../src/devhosts/core/model';
import { generate } from '../../src/devhosts/generate';
import { DEFAULT_DEVHOSTS_SETTINGS } from '../../src/devhosts/settings';
import { buildLayer } from '../../src/layers/build';
import { isFromWebview } from '../../src/msk/core/protocol';
import { requireTool } from '../support/tools';
import { ROOT } from './support/cli';

/**
 * Hostile data never becomes a command: no shell anywhere a user- or AWS-supplied value reaches a process
 * (static scan of src plus runtime probes), generated SSH config never turns host key checking off, webviews
 * have a strict CSP and validate what they receive, and an untrusted workspace does not run the extension.
 */
/**
 * Reviewed exceptions, `file: text of the line`, each with the reason it is safe.
 * (npm on Windows is a .cmd and needs a shell since Node 20.12; that is safe only with constant arguments.)
 */
const SHELL_ALLOWED: ReadonlyArray<string> = [
  // npm.cmd on Windows only, with constant arguments in a temp folder (see the comment in build.ts).
  'src/layers/build.ts: shell: npmShell,',
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.(ts|mts|js|mjs)$/.test(f)).map((f) => path.join(dir, f));
}

describe('reliability: hostile data never becomes a command; security settings hold', function () {
  this.timeout(60_000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-rel-sec-'));
  });

  it('src never runs a shell: no exec/execSync, no `shell:` option other than false on spawn/execFile', () => {
    const problems: string[] = [];
    for (const file of sourceFiles(path.join(ROOT, 'src'))) {
      const text = fs.readFileSync(file, 'utf8');
      if (!/child_process/.test(text)) continue;
      const rel = path.relative(ROOT, file);
      text.split('\n').forEach((line, i) => {
        if (/\b(exec|execSync)\s*\(/.test(line) && !/\.exec\(/.test(line)) problems.push(`${rel}:${i + 1}: ${line.trim()} (exec runs a shell)`);
        const m = /\bshell\s*:\s*([^,}\n]+)/.exec(line);
        if (m && m[1].trim() !== 'false' && !SHELL_ALLOWED.includes(`${rel}: ${line.trim()}`)) problems.push(`${rel}:${i + 1}: shell: ${m[1].trim()}`);
      });
    }
    assert.deepStrictEqual(problems, [], 'a shell re-parses arguments: a path or tag with & | ; $() would run as a command');
  });

  it('ssh -G with an alias that looks like an option (-oProxyCommand=…) runs nothing', async function () {
    const ssh = requireTool(this, 'OpenSSH client', ['ssh']);
    const marker = path.join(tmp, 'pwned-by-alias');
    const config = path.join(tmp, 'ssh_config');
    fs.writeFileSync(config, 'Host x\n  HostName x.example.com\n');
    await runSshG(ssh, config, `-oProxyCommand=touch ${marker}`).catch(() => undefined);
    await runSshG(ssh, config, `x; touch ${marker}`).catch(() => undefined);
    await runSshG(ssh, config, `$(touch ${marker})`).catch(() => undefined);
    assert.ok(!fs.existsSync(marker));
  });

  it('a layer source folder named with shell metacharacters reaches pip verbatim, as one argument', async () => {
    const marker = path.join(tmp, 'pwned-by-path');
    const source = path.join(tmp, `src $(touch ${marker}) & touch ${marker}; \`touch ${marker}\``);
    fs.mkdirSync(source, { recursive: true });
    fs.writeFileSync(path.join(source, 'requirements.txt'), 'requests\n');
    const argvFile = path.join(tmp, 'argv.json');
    const fakePython = path.join(tmp, 'fake-python');
    fs.writeFileSync(fakePython, `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(argvFile)}, JSON.stringify(process.argv.slice(2)));\n`, { mode: 0o755 });
    await buildLayer({ source, kind: 'python' }, { pythonCommand: fakePython }).catch(() => undefined);
    assert.ok(!fs.existsSync(marker), 'nothing ran');
    const argv = JSON.parse(fs.readFileSync(argvFile, 'utf8')) as string[];
    assert.ok(argv.includes(path.join(source, 'requirements.txt')), 'the path arrived as one argument');
  });

  it('generated SSH config never turns host key checking off, whatever the setting says', () => {
    const inv: Inventory = { regions: [{ region: 'us-east-1', hosts: [], bastions: [], instances: [{ instanceId: 'i-0123456789abcdef0', region: 'us-east-1', state: 'running', name: 'mac', privateIp: '10.0.0.1', publicIp: '3.3.3.3', tags: {} }] }] };
    const { identities } = resolveIdentities(undefined);
    for (const value of [undefined, 'accept-new', 'yes', 'ask', 'no', 'off', 'false', 'No', 'accept-new\nProxyCommand touch /tmp/x', ''] as const) {
      const text = renderSshConfig(inv, { mode: 'direct', identities, strictHostKeyChecking: value as never }).text;
      const values = [...text.matchAll(/^\s*StrictHostKeyChecking\s+(.*)$/gim)].map((m) => m[1].trim().toLowerCase());
      assert.ok(values.length > 0, 'every entry says how host keys are checked');
      for (const v of values) assert.ok(['accept-new', 'yes', 'ask'].includes(v), `setting ${JSON.stringify(value)} rendered StrictHostKeyChecking ${v}`);
      assert.doesNotMatch(text, /UserKnownHostsFile\s+\/dev\/null/i);
      assert.doesNotMatch(text, /^\s*ProxyCommand/m);
    }
  });

  it('host keys: the DEFAULT is StrictHostKeyChecking ask (generated config and ssh -G); accept-new only when opted in', async function () {
    const ssh = requireTool(this, 'OpenSSH client', ['ssh']);
    const inv: Inventory = { regions: [{ region: 'us-east-1', hosts: [], instances: [{ instanceId: 'i-0123456789abcdef0', region: 'us-east-1', state: 'running', name: 'mac', privateIp: '10.0.0.1', tags: {} }], bastions: [{ instanceId: 'i-0bbbbbbbbbbbbbbbb', region: 'us-east-1', state: 'running', publicIp: '3.3.3.3' }] }] };
    const { identities } = resolveIdentities(undefined);
    assert.strictEqual(DEFAULT_DEVHOSTS_SETTINGS.strictHostKeyChecking, 'ask', 'the settings default');
    const shk = (text: string): string[] => [...text.matchAll(/^\s*StrictHostKeyChecking\s+(.*)$/gim)].map((m) => m[1].trim());
    // The setting unset (renderer default) and the feature's defaults as the CLI and the view pass them.
    const unset = renderSshConfig(inv, { mode: 'bastion', identities });
    const byDefault = generate(inv, DEFAULT_DEVHOSTS_SETTINGS, { userConfig: path.join(tmp, 'unused') }).render;
    for (const r of [unset, byDefault]) {
      assert.strictEqual(shk(r.text).length, r.entries.length, 'every entry (Macs and bastions) says how host keys are checked');
      assert.deepStrictEqual([...new Set(shk(r.text))], ['ask']);
      assert.doesNotMatch(r.text, /accept-new/i);
    }
    const optedIn = renderSshConfig(inv, { mode: 'bastion', identities, strictHostKeyChecking: 'accept-new' });
    assert.deepStrictEqual([...new Set(shk(optedIn.text))], ['accept-new'], 'accept-new when the user opts in');
    // What OpenSSH itself resolves for each alias.
    const config = path.join(tmp, 'shk-config');
    for (const [r, want] of [[unset, 'ask'], [optedIn, 'accept-new']] as const) {
      fs.writeFileSync(config, r.text, { mode: 0o600 });
      for (const e of r.entries) {
        const line = (await runSshG(ssh, config, e.alias)).split('\n').find((l) => l.startsWith('stricthostkeychecking '));
        // OpenSSH prints accept-new as "accept-new" and ask as "ask".
        assert.strictEqual(line, `stricthostkeychecking ${want}`, `${e.alias}: ${line}`);
      }
    }
  });

  it('webviews: strict CSP (default-src none, scripts only by nonce), no remote content, messages validated', () => {
    const panels = sourceFiles(path.join(ROOT, 'src')).filter((f) => /createWebviewPanel|Content-Security-Policy/.test(fs.readFileSync(f, 'utf8')));
    assert.ok(panels.length >= 2, `webview files: ${panels.map((p) => path.relative(ROOT, p))}`);
    for (const file of panels) {
      const text = fs.readFileSync(file, 'utf8');
      const rel = path.relative(ROOT, file);
      if (/enableScripts:\s*true/.test(text) || /<script/.test(text)) {
        assert.match(text, /default-src 'none'/, `${rel}: default-src 'none'`);
        assert.match(text, /script-src 'nonce-\$\{nonce\}'/, `${rel}: scripts by nonce only`);
        assert.doesNotMatch(text, /script-src[^;"]*(unsafe-inline|unsafe-eval|https?:)/, `${rel}: no unsafe or remote scripts`);
      }
      if (/Content-Security-Policy/.test(text)) assert.match(text, /default-src 'none'/, `${rel}: default-src 'none'`);
      assert.doesNotMatch(text, /<(script|link|img)[^>]+(src|href)="https?:\/\//, `${rel}: no remote content`);
    }
    const junk: unknown[] = [null, undefined, 42, 'ready', [], {}, { type: 42 }, { type: 'exec', command: 'rm -rf /' }, { type: 'range' }, { type: 'range', rangeId: 7 }, { type: 'rendered', charts: '3' }, { type: '__proto__' }, Object.create(null),
      { type: 'range', rangeId: '2h' }, { type: 'range', rangeId: 'x'.repeat(100_000) }, { type: 'ready', extra: 1 }, { type: 'rendered', charts: 1e9 }, { type: 'toString' }];
    for (const m of junk) assert.strictEqual(isFromWebview(m), false, JSON.stringify(m) ?? String(m));
    assert.strictEqual(isFromWebview({ type: 'ready' }), true);
    assert.strictEqual(isFromWebview({ type: 'range', rangeId: '7d' }), true);
    // The panel hands every message to core/protocol.ts before acting on it (the webview is untrusted input).
    const panel = fs.readFileSync(path.join(ROOT, 'src/msk/view/dashboardPanel.ts'), 'utf8');
    assert.match(panel, /onDidReceiveMessage\(\(msg: unknown\) => this\.onMessage\(msg\)\)/);
    assert.match(panel, /const action = webviewAction\(msg, /);
  });

  it('an untrusted workspace does not run the extension (no untrustedWorkspaces support declared, or limited)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { capabilities?: { untrustedWorkspaces?: { supported?: boolean | string; restrictedConfigurations?: string[] } } };
    const support = pkg.capabilities?.untrustedWorkspaces?.supported;
    assert.notStrictEqual(support, true, 'supported: true would let a cloned repo\'s manifests and settings drive publishes and writes');
    if (support === 'limited') {
      const restricted = pkg.capabilities!.untrustedWorkspaces!.restrictedConfigurations ?? [];
      for (const key of ['opsdeck.endpointUrl', 'opsdeck.devHosts.managedConfigPath']) assert.ok(restricted.includes(key), `${key} must be restricted`);
    }
  });
});
