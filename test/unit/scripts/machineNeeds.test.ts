// What `npm start` / `npm test` do about a machine that lacks something (scripts/lib/machineNeeds.mjs).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aptFailure, aptSteps, CI_DEBIAN_PACKAGES, describe as describeMissing, NEEDS, needsFor, planFor } from '../../../scripts/lib/machineNeeds.mjs';

const root = join(__dirname, '..', '..', '..');
const base = { motoMissing: false, isRoot: false, hasApt: true, hasSudo: true, isCI: false } as const;

describe('machine needs (npm start / npm test prerequisites)', () => {
  it('npm start needs the toolchain, the OpenSSH client and moto; never chromium or libkrb5-dev', () => {
    const { needs, moto } = needsFor('start');
    assert.deepEqual(needs.map((n) => n.debian).sort(), ['g++', 'make', 'openssh-client', 'python3']);
    assert.equal(moto, true);
    assert.equal(needsFor('start', { profile: true }).moto, false, 'against real AWS no emulator is needed');
  });

  it('npm test needs by step: unit alone needs nothing; e2e needs chromium, the toolchain and the OpenSSH client (ssh -G checks the SSH config it writes)', () => {
    assert.deepEqual(needsFor('test', { steps: ['unit'] }), { needs: [], moto: false });
    const e2e = needsFor('test', { steps: ['e2e'] });
    assert.deepEqual(e2e.needs.map((n) => n.debian).sort(), ['chromium', 'g++', 'make', 'openssh-client', 'python3']);
    const all = needsFor('test').needs.map((n) => n.debian);
    for (const pkg of ['chromium', 'openssh-server', 'openssh-client', 'awscli', 'unzip', 'iproute2']) assert.ok(all.includes(pkg), pkg);
  });

  it('.ci/run installs every package behind a need, and no libkrb5-dev', () => {
    const ci = readFileSync(join(root, '.ci/run'), 'utf8');
    const installLine = ci.slice(ci.indexOf('apt-get install')).split('\n\n')[0];
    for (const pkg of CI_DEBIAN_PACKAGES) assert.match(installLine, new RegExp(`(\\s)${pkg.replace('+', '\\+')}(\\s|$)`), pkg);
    assert.doesNotMatch(ci, /libkrb5-dev\s/);
  });

  it('nothing missing: go on', () => {
    assert.deepEqual(planFor({ ...base, missing: [], command: 'start' }), { kind: 'ok' });
  });

  it('root on Debian: install exactly the missing packages, each once, with apt-get update first', () => {
    const plan = planFor({ ...base, isRoot: true, missing: [NEEDS.chromium, NEEDS.ssh, NEEDS.sshKeygen], command: 'test' });
    assert.deepEqual(plan, { kind: 'install', packages: ['chromium', 'openssh-client'] });
    const steps = aptSteps(['chromium', 'openssh-client']);
    assert.deepEqual(steps.map((s) => s.args[0]), ['update', 'install']);
    assert.deepEqual(steps[1].args.slice(-2), ['chromium', 'openssh-client']);
    assert.ok(steps[1].args.includes('--no-install-recommends'));
  });

  it('not root: one sentence naming the exact sudo command; fatal for start, a loud skip for test', () => {
    const start = planFor({ ...base, missing: [NEEDS.cxx, NEEDS.make], command: 'start' });
    assert.equal(start.kind, 'tell');
    if (start.kind !== 'tell') return;
    assert.equal(start.fatal, true);
    assert.match(start.sentence, /run `sudo apt-get install -y --no-install-recommends g\+\+ make`, then `npm start` again\./);
    assert.equal(start.sentence.split(/(?<=\.)\s+(?=[A-Z])/).length, 1, `one sentence: ${start.sentence}`);
    const test = planFor({ ...base, missing: [NEEDS.chromium], command: 'test' });
    assert.ok(test.kind === 'tell' && !test.fatal && /skipped/.test(test.sentence));
    const ci = planFor({ ...base, isCI: true, missing: [NEEDS.chromium], command: 'test' });
    assert.ok(ci.kind === 'tell' && ci.fatal, 'under CI a missing tool stops the run');
  });

  it('no sudo: says to run it as root; no apt: names the Debian packages for another package manager', () => {
    const noSudo = planFor({ ...base, hasSudo: false, missing: [NEEDS.aws], command: 'test' });
    // "as root" outside the backticks: what is between them is a command to paste.
    assert.ok(noSudo.kind === 'tell' && noSudo.sentence.includes('as root, run `apt-get install -y --no-install-recommends awscli`'), noSudo.kind === 'tell' ? noSudo.sentence : noSudo.kind);
    const mac = planFor({ ...base, hasApt: false, missing: [NEEDS.aws, NEEDS.sshd], command: 'test' });
    assert.ok(mac.kind === 'tell' && /Debian package names: awscli, openssh-server/.test(mac.sentence) && !mac.sentence.includes('apt-get'));
  });

  it('moto cannot come from apt: always a sentence with the pip command; fatal for start', () => {
    const start = planFor({ ...base, isRoot: true, motoMissing: true, missing: [], command: 'start' });
    assert.ok(start.kind === 'tell' && start.fatal && start.sentence.includes('pip install "moto[server]==5.2.1"'));
    const both = planFor({ ...base, isRoot: true, motoMissing: true, missing: [NEEDS.unzip], command: 'test' });
    assert.ok(both.kind === 'install' && both.then?.includes('moto_server'));
  });

  it('moto installed only under /root: a non-root user is told to run as root, not to install it again', () => {
    const plan = planFor({ ...base, motoMissing: true, motoWhy: 'root-only', missing: [], command: 'start' });
    assert.ok(plan.kind === 'tell' && plan.fatal, plan.kind);
    assert.match(plan.sentence, /installed under \/root\/\.pyenv, which this user cannot read: run `npm start` as root/);
    assert.ok(!plan.sentence.includes('pip install'), plan.sentence);
    // With a missing package too: one sentence that sends the user to root, who can do both.
    const both = planFor({ ...base, hasSudo: false, motoMissing: true, motoWhy: 'root-only', missing: [NEEDS.ssh], command: 'start' });
    assert.ok(both.kind === 'tell' && both.fatal, both.kind);
    assert.match(both.sentence, /run `npm start` as root, which installs openssh-client itself and finds moto there/);
    assert.equal(both.sentence.split(/\.(?= [A-Z])/).length, 1, `one sentence: ${both.sentence}`);
  });

  it('names each missing program with why', () => {
    assert.equal(describeMissing([NEEDS.chromium]), 'chromium (the VS Code tests drive it)');
    assert.match(describeMissing([NEEDS.chromium, NEEDS.sshd, NEEDS.aws]), /^chromium \(.*\), sshd \(.*\) and aws \(.*\)$/);
  });

  it('a failed apt-get step is one sentence with the cause and the log path', () => {
    assert.equal(
      aptFailure('apt-get install chromium', 100, 'E: Could not get lock /var/lib/dpkg/lock-frontend', '.tools/logs/apt.log'),
      'apt-get install chromium failed: another package manager is running (wait for it, then try again). Full output: .tools/logs/apt.log',
    );
    assert.match(aptFailure('x', 100, 'E: Unable to locate package awscli', 'l'), /package lists have no awscli/);
    assert.match(aptFailure('x', 100, 'W: Failed to fetch http://example.invalid/', 'l'), /could not be reached/);
    assert.match(aptFailure('x', 9, 'something else', 'l'), /exited with 9\. Full output: l$/);
  });
});
