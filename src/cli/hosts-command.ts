import { DEFAULT_PING_TIMEOUT_MS, hostPingSubjects, pingLatticeHosts, type LatticeHost } from '../core/nats/host-ping';
import { EXIT_OK, UsageError, type CliCommand, type CliIo } from './command';
import { CONNECTION_OPTIONS, CONNECTION_OPTIONS_HELP, millisecondsOption, outputFormat, parseCommandArgs } from './connection-flags';
import { withLatticeSession } from './lattice-session';

const USAGE = `Usage:
  wasmcloud-lattice hosts <lattice> [--ping-timeout MS] [connection options] [--format text|json]

Ping the hosts of a lattice and list those that answer. Pings go to
${hostPingSubjects('<lattice>')
  .map((ping) => `${ping.subject} (${ping.hosts})`)
  .join(' and\n')}.

Options:
  --ping-timeout MS   How long to gather replies, in milliseconds (default ${DEFAULT_PING_TIMEOUT_MS})

${CONNECTION_OPTIONS_HELP}
  --format text|json         Output format (default: text)

Exit codes: 0 success (also when no host answers), 2 usage error or connection failure.
`;

const HOSTS_OPTIONS = {
  ...CONNECTION_OPTIONS,
  'ping-timeout': { type: 'string' },
} as const;

/** Converts a host to the object the CLI prints in JSON. */
export function hostJson(host: LatticeHost): { id: string; name: string; version: string | null; lattice: string | null; subject: string } {
  return { id: host.id, name: host.name, version: host.version ?? null, lattice: host.lattice ?? null, subject: host.subject };
}

/** `wasmcloud-lattice hosts <lattice>`. */
export const hostsCommand: CliCommand = {
  name: 'hosts',
  summary: 'List the hosts of a lattice that answer a ping',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, HOSTS_OPTIONS);
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length === 0 ? 'Missing the lattice name or prefix, e.g. default.' : `Expected one lattice, got '${positionals.join(' ')}'.`);
    }
    const lattice = positionals[0];
    if (lattice.trim() === '') {
      throw new UsageError("The lattice name is empty. Give the lattice name or prefix, e.g. 'default'.");
    }
    if (/[\s.*>]/.test(lattice)) {
      throw new UsageError(`Invalid lattice '${lattice}': a lattice name cannot contain spaces, '.', '*' or '>'.`);
    }
    const format = outputFormat(values);
    const timeoutMs = millisecondsOption(values, 'ping-timeout', DEFAULT_PING_TIMEOUT_MS);

    return withLatticeSession('hosts', values, io, async (session) => {
      const hosts = await pingLatticeHosts(session.nc, lattice, { timeoutMs, logger: session.logger });
      if (format === 'json') {
        io.stdout.write(`${JSON.stringify({ lattice, hosts: hosts.map(hostJson) })}\n`);
      } else if (hosts.length === 0) {
        io.stdout.write(`No host of lattice ${lattice} replied within ${timeoutMs} ms.\n`);
      } else {
        const rows = [['NAME', 'ID', 'VERSION', 'SUBJECT'], ...hosts.map((host) => [host.name, host.id, host.version ?? '-', host.subject])];
        const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
        io.stdout.write(`${rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ')).join('\n')}\n`);
      }
      return EXIT_OK;
    });
  },
};
