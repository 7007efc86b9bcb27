// One sentence for a failed tools install (npm, node-gyp), from its output, instead of a page of compiler
// output. Pure (test/unit/scripts/installFailure.test.ts); the whole output stays in the log file it names.

const CAUSES = [
  [/gssapi\/gssapi\.h/, 'the Kerberos headers are missing (apt-get install -y libkrb5-dev)'],
  [/gyp ERR! find Python|Could not find any Python|python3?: not found/i, 'node-gyp found no Python (apt-get install -y python3)'],
  [/not found: make|make: not found|make: No such file/, 'make is missing (apt-get install -y make g++)'],
  [/(g\+\+|c\+\+|cc): (not found|No such file|command not found)|not found: (g\+\+|c\+\+)/, 'the C++ compiler is missing (apt-get install -y g++ make)'],
  [/ENOSPC|No space left on device/, 'the disk is full'],
  [/EAI_AGAIN|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|network request .* failed|request to .* failed/i,
    'the npm registry could not be reached (check `npm config get registry` and the network)'],
  [/EACCES|EPERM/, 'permission denied (is the tools folder owned by another user?)'],
  [/gyp ERR! /, 'a native module did not compile'],
];

/**
 * @param {{ what: string, code: number | null, output: string, logPath: string }} failure
 *   `what`: the step in words ("building the native module @vscode/spdlog")
 * @returns {string}
 */
export function installFailureSentence({ what, code, output, logPath }) {
  const cause = CAUSES.find(([pattern]) => pattern.test(output))?.[1] ?? `it exited with ${code}`;
  return `${what} failed: ${cause}. Full output: ${logPath}`;
}
