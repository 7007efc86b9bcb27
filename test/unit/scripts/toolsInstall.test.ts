// The code-server install without kerberos (scripts/lib/tools.mjs) and its one-sentence failures.
import assert from 'node:assert/strict';
import { installFailureSentence } from '../../../scripts/lib/installFailure.mjs';
import { keepsNpmSetting, nativeModules, SKIPPED_NATIVE } from '../../../scripts/lib/tools.mjs';

describe('tools install: native modules and failures', () => {
  const shrinkwrap = {
    packages: {
      '': { hasInstallScript: true },
      'node_modules/kerberos': { hasInstallScript: true },
      'node_modules/@vscode/sqlite3': { hasInstallScript: true },
      'node_modules/@vscode/spdlog': { hasInstallScript: true },
      'node_modules/@vscode/windows-ca-certs': { hasInstallScript: true, optional: true, os: ['win32'] },
      'node_modules/cpu-features': { hasInstallScript: true, optional: true },
      'node_modules/@github/copilot-sdk/node_modules/koffi': { hasInstallScript: true },
      'node_modules/esbuild': { hasInstallScript: true, dev: true },
      'node_modules/plain': {},
    },
  };

  it('builds every module with an install script but kerberos and sqlite3, other OSes and dev tools', () => {
    assert.deepEqual(nativeModules(shrinkwrap, 'linux'), [
      { name: '@vscode/spdlog', optional: false },
      { name: 'cpu-features', optional: true },
      { name: 'koffi', optional: false },
    ]);
    assert.deepEqual(Object.keys(SKIPPED_NATIVE).sort(), ['@vscode/sqlite3', 'kerberos']);
    assert.ok(nativeModules(shrinkwrap, 'win32').some((m) => m.name === '@vscode/windows-ca-certs'));
  });

  const sentence = (output: string) => installFailureSentence({ what: 'building the native module x', code: 1, output, logPath: '.tools/logs/install.log' });

  it('turns a compiler dump into one sentence with the cause and the log path', () => {
    const dump = 'npm error ../src/unix/kerberos_gss.h:21:14: fatal error: gssapi/gssapi.h: No such file or directory\n'.repeat(30);
    assert.equal(sentence(dump), 'building the native module x failed: the Kerberos headers are missing (apt-get install -y libkrb5-dev). Full output: .tools/logs/install.log');
    assert.match(sentence('gyp ERR! stack Error: not found: make'), /make is missing/);
    assert.match(sentence('/bin/sh: 1: g++: not found'), /C\+\+ compiler is missing/);
    assert.match(sentence('gyp ERR! find Python'), /no Python/);
    assert.match(sentence('npm error code EAI_AGAIN'), /registry could not be reached/);
    assert.match(sentence('ENOSPC: no space left'), /disk is full/);
    assert.match(sentence('gyp ERR! build error'), /did not compile/);
    assert.match(sentence('??'), /exited with 1\./);
    assert.ok(!sentence('x\n'.repeat(100)).includes('\n'), 'one line');
  });

  it("the inner npm keeps the user's registry settings and drops the outer npm's run state", () => {
    for (const key of ['npm_config_registry', 'npm_config_@acme:registry', 'npm_config_cafile', 'npm_config_strict_ssl', 'npm_config_https_proxy', 'npm_config_userconfig']) {
      assert.ok(keepsNpmSetting(key), key);
    }
    for (const key of ['npm_config_user_agent', 'npm_node_execpath', 'npm_lifecycle_event', 'npm_config_prefix', 'npm_config_local_prefix', 'npm_package_name', 'npm_execpath']) {
      assert.ok(!keepsNpmSetting(key), key);
    }
  });
});
