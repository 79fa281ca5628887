// Makes sure Debian's nats-server is installed: installs it with apt-get when
// running as root, otherwise exits with the command to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];

function findNatsServer() {
  if (process.env.NATS_SERVER_BIN) {
    return process.env.NATS_SERVER_BIN;
  }
  const found = CANDIDATES.find((candidate) => existsSync(candidate));
  if (found) {
    return found;
  }
  const which = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() !== '' ? which.stdout.trim() : undefined;
}

/** Returns the path of nats-server, installing Debian's package first when it is missing. */
export function ensureNatsServer() {
  const existing = findNatsServer();
  if (existing) {
    return existing;
  }
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new Error('nats-server is missing. Install it with `sudo apt-get install -y nats-server`, or set NATS_SERVER_BIN to its path, then run the tests again.');
  }
  console.log('Installing nats-server with apt-get…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'nats-server'], { stdio: 'inherit', env });
  const installed = findNatsServer();
  if (!installed) {
    throw new Error('apt-get finished but nats-server is still not on PATH.');
  }
  return installed;
}
