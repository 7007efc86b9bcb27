// What `npm start` and `npm test` need from the machine, and what to do when something is missing.
// Pure: the probing and the installing live in machineCheck.mjs; this file only decides, so it is table-tested
// (test/unit/scripts/machineNeeds.test.ts).

/**
 * A program a command needs, the Debian package that ships it, and why. `paths` are checked as given (absolute)
 * or looked up on PATH (bare names); the first that exists counts.
 * @typedef {{ id: string, paths: string[], debian: string, why: string }} Need
 */

/** @type {Record<string, Need>} */
export const NEEDS = Object.freeze({
  // node-gyp builds code-server's few native modules (spdlog, the file watcher, …) with these.
  cxx: { id: 'cxx', paths: ['g++', 'c++'], debian: 'g++', why: "builds code-server's native modules" },
  make: { id: 'make', paths: ['make'], debian: 'make', why: "builds code-server's native modules" },
  python3: { id: 'python3', paths: ['python3'], debian: 'python3', why: 'node-gyp runs on it' },
  ssh: { id: 'ssh', paths: ['ssh'], debian: 'openssh-client', why: 'OpsDeck checks the SSH config it writes with ssh -G' },
  sshKeygen: { id: 'sshKeygen', paths: ['ssh-keygen'], debian: 'openssh-client', why: 'the SSH login test makes keys' },
  sshd: { id: 'sshd', paths: ['/usr/sbin/sshd', 'sshd'], debian: 'openssh-server', why: 'the SSH login test logs in through a real sshd' },
  chromium: { id: 'chromium', paths: [process.env.OPSDECK_CHROMIUM || '/usr/bin/chromium'], debian: 'chromium', why: 'the VS Code tests drive it' },
  aws: { id: 'aws', paths: ['/usr/bin/aws', 'aws'], debian: 'awscli', why: 'fleet files are checked by the real AWS CLI' },
  unzip: { id: 'unzip', paths: ['unzip'], debian: 'unzip', why: 'layer zips are checked by Info-ZIP' },
  openssl: { id: 'openssl', paths: ['openssl'], debian: 'openssl', why: 'hashes are checked against openssl' },
  ip: { id: 'ip', paths: ['/usr/sbin/ip', '/usr/bin/ip', 'ip'], debian: 'iproute2', why: 'the SSH login test puts the Mac in its own network namespace' },
});

/** Debian packages `.ci/run` installs: every package behind a need (a test asserts the two agree). */
export const CI_DEBIAN_PACKAGES = Object.freeze([...new Set(Object.values(NEEDS).map((n) => n.debian))].sort());

const TOOLCHAIN = ['cxx', 'make', 'python3'];

/**
 * The needs of one command. `start` runs the demo (code-server + the extension); `test` runs the given steps of
 * `npm test` (build, typecheck, lint and unit need nothing from the machine).
 * @param {'start' | 'test'} command
 * @param {{ profile?: boolean, steps?: string[] }} [options]
 * @returns {{ needs: Need[], moto: boolean }}
 */
export function needsFor(command, { profile = false, steps } = {}) {
  if (command === 'start') return { needs: [...TOOLCHAIN, 'ssh'].map((id) => NEEDS[id]), moto: !profile };
  const want = (step) => !steps || steps.includes(step);
  const ids = new Set();
  if (want('integration') || want('reliability')) ['ssh', 'sshKeygen', 'sshd', 'aws', 'unzip', 'openssl', 'ip'].forEach((id) => ids.add(id));
  // The extension-host and UI suites generate SSH config, which OpsDeck checks with ssh -G.
  if (want('vscode') || want('e2e')) [...TOOLCHAIN, 'chromium', 'ssh'].forEach((id) => ids.add(id));
  const moto = ['integration', 'reliability', 'vscode', 'e2e'].some(want);
  return { needs: Object.values(NEEDS).filter((n) => ids.has(n.id)), moto };
}

/**
 * What to do about the missing needs.
 * @param {{ missing: Need[], motoMissing: boolean, motoWhy?: 'not-found' | 'root-only', isRoot: boolean,
 *   hasApt: boolean, hasSudo: boolean, command: 'start' | 'test', isCI: boolean }} facts
 * @returns {{ kind: 'ok' } | { kind: 'install', packages: string[], then?: string }
 *   | { kind: 'tell', sentence: string, fatal: boolean }}
 *   `install`: run apt-get (root on Debian/Ubuntu); `then` is a sentence still to print (moto, which apt cannot
 *   install). `tell`: print the one sentence; `fatal` means the command cannot go on.
 */
export function planFor({ missing, motoMissing, motoWhy, isRoot, hasApt, hasSudo, command, isCI }) {
  const packages = [...new Set(missing.map((n) => n.debian))].sort();
  const motoSentence = motoMissing ? motoAdvice(command, motoWhy) : undefined;
  // npm start cannot run without its needs; npm test outside CI skips the tests that need a missing tool, loudly.
  const fatal = command === 'start' || isCI;
  if (packages.length === 0) return motoSentence ? { kind: 'tell', sentence: motoSentence, fatal } : { kind: 'ok' };
  if (isRoot && hasApt) return { kind: 'install', packages, ...(motoSentence ? { then: motoSentence } : {}) };
  const what = describe(missing);
  const apt = `apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  // Root can do both (apt-get, and root's moto): one sentence that says so beats two with a dead end each.
  const rootDoesBoth = motoMissing && motoWhy === 'root-only' && hasApt;
  let sentence;
  if (rootDoesBoth) {
    sentence = `${intro(command)} ${what}, and ${MOTO_ROOT_ONLY}: run \`npm ${command}\` as root, which installs ${packages.join(' ')} itself and finds moto there (or, as root, \`${apt}\`, and set MOTO_SERVER to a moto_server this user can run).`;
  } else if (hasApt) {
    // Only the command goes between the backticks (it is copied and pasted): without sudo, "as root" stands outside.
    const how = isRoot || hasSudo ? 'run' : 'as root, run';
    const sudo = !isRoot && hasSudo ? 'sudo ' : '';
    sentence = `${intro(command)} ${what}: ${how} \`${sudo}${apt}\`, then \`npm ${command}\` again.`;
  } else {
    sentence = `${intro(command)} ${what} (Debian package names: ${packages.join(', ')}): install them with this system's package manager, then \`npm ${command}\` again.`;
  }
  if (command === 'test' && !isCI) sentence += ' Until then the tests that need them are skipped.';
  if (motoSentence && !rootDoesBoth) sentence += ` ${motoSentence}`;
  return { kind: 'tell', sentence, fatal };
}

const intro = (command) => (command === 'start' ? 'The OpsDeck demo needs' : "OpsDeck's tests need");

/** "chromium (the VS Code tests drive it) and sshd (…)": each missing program once, with why. */
export function describe(missing) {
  const parts = missing.map((n) => `${n.paths[0].split('/').pop()} (${n.why})`);
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

const MOTO_ROOT_ONLY = 'moto_server (the local AWS emulator) is installed under /root/.pyenv, which this user cannot read';

/**
 * moto comes from Python's package index, which no apt-get can reach: always a sentence.
 * @param {'start' | 'test'} command
 * @param {'not-found' | 'root-only'} [why] 'root-only': it is installed, but under /root, which this user cannot read.
 */
export function motoAdvice(command, why = 'not-found') {
  if (why === 'root-only') return `${MOTO_ROOT_ONLY}: run \`npm ${command}\` as root, or set MOTO_SERVER to a moto_server this user can run.`;
  return `moto_server (the local AWS emulator) is missing: install it with \`pip install "moto[server]==5.2.1"\` (or set MOTO_SERVER to its path), then \`npm ${command}\` again.`;
}

/**
 * The apt-get steps for `install`, each with the line the user sees while it runs.
 * @param {string[]} packages
 */
export function aptSteps(packages) {
  return [
    { label: 'apt-get update (package lists)', args: ['update', '-q'] },
    { label: `apt-get install ${packages.join(' ')}`, args: ['install', '-y', '-q', '--no-install-recommends', ...packages] },
  ];
}

/**
 * One sentence for a failed apt-get step, from its output: the cause when it is a known one.
 * @param {string} label the step's label
 * @param {number | null} code its exit code
 * @param {string} output what it printed
 * @param {string} logPath where the whole output is
 */
export function aptFailure(label, code, output, logPath) {
  const cause =
    /Could not get lock|Unable to acquire the dpkg frontend lock/.test(output) ? 'another package manager is running (wait for it, then try again)'
      : /Unable to locate package ([\w.+-]+)/.test(output) ? `this system's package lists have no ${output.match(/Unable to locate package ([\w.+-]+)/)[1]} (is it Debian 12 or Ubuntu with the main/universe archives?)`
        : /Temporary failure resolving|Could not resolve|Failed to fetch/.test(output) ? 'the package archive could not be reached'
          : /No space left on device/.test(output) ? 'the disk is full'
            : `it exited with ${code}`;
  return `${label} failed: ${cause}. Full output: ${logPath}`;
}
