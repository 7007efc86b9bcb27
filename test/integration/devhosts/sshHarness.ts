import { spawn, execFileSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

/**
 * Two real OpenSSH servers on loopback for the login test: a "Mac" and a bastion, each with its own host key and
 * authorized keys, StrictModes off, everything in a temp folder. When the kernel allows it (root, or
 * unprivileged user namespaces), the Mac runs in its own network namespace with only a loopback: nothing in
 * the test's namespace can reach it, and the bastion (`sshd -i`, one per connection, entered into the Mac's
 * namespace with nsenter) is the only way in, so a successful login proves the ProxyJump hop.
 */
export interface SshServer {
  readonly port: number;
  readonly hostKey: string;
  readonly log: string;
  stop(): Promise<void>;
}

export function keygen(file: string, comment: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
}

function sshdConfig(dir: string, name: string, opts: { port?: number; authorizedKeys: string; hostKey: string; forwarding: boolean }): string {
  const file = path.join(dir, `${name}.sshd_config`);
  fs.writeFileSync(file, [
    ...(opts.port ? [`Port ${opts.port}`, 'ListenAddress 127.0.0.1'] : []),
    `HostKey ${opts.hostKey}`,
    `AuthorizedKeysFile ${opts.authorizedKeys}`,
    `PidFile ${path.join(dir, `${name}.pid`)}`,
    'StrictModes no',
    'UsePAM no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin prohibit-password',
    `AllowTcpForwarding ${opts.forwarding ? 'yes' : 'no'}`,
    'LogLevel DEBUG1',
    '',
  ].join('\n'));
  return file;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** sshd logs "Server listening on 127.0.0.1 port N" once its socket is bound (works inside a namespace too). */
async function waitForListening(log: string, port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
    if (text.includes(`port ${port}`) && /Server listening/.test(text)) return;
    if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}): ${text.slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`sshd on port ${port} did not start: ${text.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(resolve, 2000);
  });
}

/** Can this process make a network namespace and enter it? (root in a container usually can.) */
export function namespacesWork(): boolean {
  try {
    execFileSync('unshare', ['-n', 'true'], { stdio: 'ignore' });
    execFileSync('sh', ['-c', 'command -v nsenter'], { stdio: 'ignore' });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
}

/** The "Mac": a long-running sshd, in its own network namespace when `isolated`. */
export async function startMac(sshd: string, dir: string, authorizedKeys: string, isolated: boolean, hostKeyName = 'mac_host_key'): Promise<SshServer & { pid: number }> {
  const hostKey = path.join(dir, hostKeyName);
  if (!fs.existsSync(hostKey)) keygen(hostKey, 'mac-host');
  const port = await freePort();
  const cfg = sshdConfig(dir, 'mac', { port, authorizedKeys, hostKey, forwarding: false });
  const log = path.join(dir, 'mac.log');
  fs.rmSync(log, { force: true });
  const args = ['-D', '-e', '-f', cfg, '-E', log];
  const child = isolated
    ? spawn('unshare', ['-n', 'sh', '-c', `ip link set lo up && exec ${sshd} ${args.map((a) => `'${a}'`).join(' ')}`], { stdio: 'ignore' })
    : spawn(sshd, args, { stdio: 'ignore' });
  await waitForListening(log, port, child);
  return { port, hostKey, log, pid: child.pid!, stop: () => stopChild(child) };
}

/**
 * The bastion: a TCP listener in the test's namespace that hands each connection to `sshd -i` running inside
 * the Mac's namespace (when isolated) — the one bridge between the two networks.
 */
export async function startBastion(sshd: string, dir: string, authorizedKeys: string, macPid: number | undefined): Promise<SshServer & { connections: () => number }> {
  const hostKey = path.join(dir, 'bastion_host_key');
  if (!fs.existsSync(hostKey)) keygen(hostKey, 'bastion-host');
  const cfg = sshdConfig(dir, 'bastion', { authorizedKeys, hostKey, forwarding: true });
  const log = path.join(dir, 'bastion.log');
  let connections = 0;
  const children = new Set<ChildProcess>();
  const server = net.createServer((socket) => {
    connections++;
    const cmd = macPid ? 'nsenter' : sshd;
    const args = [...(macPid ? ['-t', String(macPid), '-n', sshd] : []), '-i', '-e', '-f', cfg, '-E', log];
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    children.add(child);
    socket.pipe(child.stdin!);
    child.stdout!.pipe(socket);
    const end = (): void => { socket.destroy(); child.kill('SIGTERM'); };
    socket.on('error', end);
    socket.on('close', end);
    child.on('exit', () => { children.delete(child); socket.end(); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    hostKey,
    log,
    connections: () => connections,
    stop: async () => {
      for (const c of children) c.kill('SIGTERM');
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
