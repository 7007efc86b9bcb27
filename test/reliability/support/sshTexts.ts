/** Managed SSH config texts big enough (≈60 KB) that a write takes several syscalls, each recognisable. */
export function managedText(version: string, hosts = 400): string {
  const lines = [`# Managed by AWS OpsDeck (Mac dev hosts). version ${version}`];
  for (let i = 0; i < hosts; i++) {
    lines.push('', `# mac ${i} of version ${version}`, `Host mac-${version}-${i}`, `  HostName 10.0.${i >> 8}.${i & 255}`, '  User ec2-user', `  HostKeyAlias i-${(0x10000000 + i).toString(16)}`, '  StrictHostKeyChecking accept-new');
  }
  return `${lines.join('\n')}\n`;
}

/** The user's own config around OpsDeck's block: CRLF-free, with a Host * that must survive every write. */
export const USER_CONFIG = '# my own config\nHost *\n  ServerAliveInterval 60\n\nHost work\n  HostName work.example.com\n';
