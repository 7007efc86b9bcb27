import * as assert from 'node:assert/strict';
import { isOnThisMachine, needsLocalFolder, whereIs } from '../../../src/common/localFolder';

const uri = (scheme: string, authority: string, p: string) => ({ scheme, authority, path: p });

describe('local folder check (remote windows)', () => {
  it('only file: URIs are on this machine', () => {
    assert.equal(isOnThisMachine(uri('file', '', '/home/me/layer.layer.json')), true);
    assert.equal(isOnThisMachine(uri('vscode-remote', 'ssh-remote+mac-1', '/Users/ec2-user/x.layer.json')), false);
    assert.equal(isOnThisMachine(uri('vscode-vfs', 'github', '/o/r/x.layer.json')), false);
  });

  const places: Array<[string, string, string]> = [
    ['vscode-remote', 'ssh-remote+mac-1', 'the SSH host mac-1'],
    ['vscode-remote', 'ssh-remote+user%40mac-1.example', 'the SSH host user@mac-1.example'],
    ['vscode-remote', 'wsl+Ubuntu', 'WSL Ubuntu'],
    ['vscode-remote', 'dev-container+abc', 'the remote dev-container abc'],
    ['vscode-vfs', 'github', 'a vscode-vfs: file system'],
  ];
  for (const [scheme, authority, expected] of places) {
    it(`${scheme}://${authority} is ${expected}`, () => assert.equal(whereIs(uri(scheme, authority, '/x')), expected));
  }

  it('says what cannot run, where the folder is, and what to do instead', () => {
    assert.equal(needsLocalFolder('Publishing layer shared', uri('file', '', '/w/shared.layer.json')), undefined);
    const msg = needsLocalFolder('Publishing layer shared', uri('vscode-remote', 'ssh-remote+mac-1', '/Users/me/w/shared.layer.json'));
    assert.ok(msg);
    assert.match(msg, /^Publishing layer shared reads the layer's folder/);
    assert.match(msg, /\/Users\/me\/w\/shared\.layer\.json is on the SSH host mac-1/);
    assert.match(msg, /opsdeck layers publish shared\.layer\.json/);
  });
});
