import * as readline from 'node:readline/promises';
import { listLatticeCaches, parseCacheStreamName, type LatticeCaches } from '../core/nats/cache-streams';
import { displayText } from '../core/nats/display-text';
import { formatBytes } from '../core/nats/format';
import { DEFAULT_PING_TIMEOUT_MS, describeHost, type LatticeHost } from '../core/nats/host-ping';
import { NatsFailure } from '../core/nats/errors';
import { checkRunningHosts, countPurgeTarget, describePurgeTarget, purgeCacheStream, type PurgeTarget } from '../core/nats/purge';
import type { LatticeSession } from '../core/nats/session';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CliCommand, type CliIo } from './command';
import { CONNECTION_OPTIONS, CONNECTION_OPTIONS_HELP, connectionSourceNote, millisecondsOption, outputFormat, parseCommandArgs, type OutputFormat } from './connection-flags';
import { withLatticeSession } from './lattice-session';
import { hostJson } from './hosts-command';

const USAGE = `Usage:
  wasmcloud-lattice cache ls [connection options] [--format text|json]
  wasmcloud-lattice cache purge <stream> [--subject FILTER] [--yes] [--force]
                                [--ping-timeout MS] [connection options] [--format text|json]

List the lattice caches on a NATS server, or purge one.

Commands:
  ls              List every lattice cache stream (LATTICECACHE_, KV_LATTICEDATA_,
                  KV_CONFIGDATA_, OBJ_) by lattice, with message count, bytes and
                  last activity.
  purge <stream>  Purge a cache stream (a KV bucket through its stream). Before
                  purging, pings the lattice's hosts; the documented procedure is
                  to stop every host first, so it refuses while any host answers.

Purge options:
  --subject FILTER    Purge only messages on subjects matching FILTER,
                      e.g. lc.default.linkdefs.>
  -y, --yes           Purge without asking (required when stdin is not a terminal)
  --force             Purge even when hosts answer the ping
  --ping-timeout MS   How long to gather ping replies, in milliseconds (default ${DEFAULT_PING_TIMEOUT_MS})

${CONNECTION_OPTIONS_HELP}
  --format text|json         Output format (default: text)

Exit codes: 0 success, 1 purge refused or cancelled (hosts replied to the
ping, no confirmation), 2 usage error, connection failure or stream not found.
`;

const PURGE_OPTIONS = {
  ...CONNECTION_OPTIONS,
  subject: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  force: { type: 'boolean' },
  'ping-timeout': { type: 'string' },
} as const;

/** The `cache ls` JSON document. */
export interface CacheListJson {
  lattices: {
    name: string;
    caches: { stream: string; kind: string; messages: number; bytes: number; lastActivity: string | null }[];
  }[];
}

export function cacheListJson(lattices: LatticeCaches[]): CacheListJson {
  return {
    lattices: lattices.map((lattice) => ({
      name: lattice.name,
      caches: lattice.caches.map((cache) => ({
        stream: cache.stream,
        kind: cache.kind,
        messages: cache.messages,
        bytes: cache.bytes,
        lastActivity: cache.lastActivity?.toISOString() ?? null,
      })),
    })),
  };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ')).join('\n');
}

type FlagValues = Record<string, string | boolean | undefined>;

/** Formats the server a command used and how it was chosen: `nats://… (NATS context "prod")`. */
function serverWithSource(session: LatticeSession, values: FlagValues): string {
  const note = connectionSourceNote(session.profile, values);
  return note === undefined ? session.server : `${session.server} (${note})`;
}

function writeCacheList(io: CliIo, session: LatticeSession, values: FlagValues, lattices: LatticeCaches[], format: OutputFormat): void {
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(cacheListJson(lattices))}\n`);
    return;
  }
  if (lattices.length === 0) {
    io.stdout.write(`No lattice caches on ${serverWithSource(session, values)}.\n`);
    return;
  }
  io.stdout.write(`Lattice caches on ${serverWithSource(session, values)}:\n`);
  const rows = [['LATTICE', 'STREAM', 'KIND', 'MESSAGES', 'BYTES', 'LAST ACTIVITY']];
  for (const lattice of lattices) {
    for (const cache of lattice.caches) {
      // Stream names come from the server; JSON output keeps them exact for scripts.
      rows.push([
        displayText(lattice.name),
        displayText(cache.stream),
        cache.kind,
        String(cache.messages),
        formatBytes(cache.bytes),
        cache.lastActivity === undefined ? '-' : cache.lastActivity.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ]);
    }
  }
  io.stdout.write(`${table(rows)}\n`);
}

async function runList(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, CONNECTION_OPTIONS);
  if (positionals.length > 0) {
    throw new UsageError(`cache ls takes no arguments, got '${positionals.join(' ')}'.`);
  }
  const format = outputFormat(values);
  return withLatticeSession('cache ls', values, io, async (session) => {
    writeCacheList(io, session, values, await listLatticeCaches(session), format);
    return EXIT_OK;
  });
}

/** Asks on the terminal; resolves true for "y" or "yes". */
async function confirmOnTerminal(io: CliIo, question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

interface PurgeJson {
  stream: string;
  purged: number;
  hosts: ReturnType<typeof hostJson>[];
}

function writePurgeResult(io: CliIo, format: OutputFormat, result: PurgeJson, text: string): void {
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(result)}\n`);
  } else if (text !== '') {
    io.stdout.write(`${text}\n`);
  }
}

async function purgeWithChecks(io: CliIo, session: LatticeSession, target: PurgeTarget, values: FlagValues, format: OutputFormat): Promise<number> {
  const pingTimeoutMs = millisecondsOption(values, 'ping-timeout', DEFAULT_PING_TIMEOUT_MS);
  const force = values.force === true;
  const count = await countPurgeTarget(session, target);

  let hosts: LatticeHost[] = [];
  try {
    hosts = await checkRunningHosts(session, target.stream, pingTimeoutMs);
  } catch (error) {
    if (!(error instanceof NatsFailure && error.kind === 'permission')) {
      throw error;
    }
    if (!force) {
      io.stderr.write(`Refusing to purge ${describePurgeTarget(target)}: ${error.message} Pass --force to purge without the check.\n`);
      writePurgeResult(io, format, { stream: target.stream, purged: 0, hosts: [] }, '');
      return EXIT_FINDINGS;
    }
    io.stderr.write(`warning: ${error.message} Purging anyway (--force).\n`);
  }
  const result: PurgeJson = { stream: target.stream, purged: 0, hosts: hosts.map(hostJson) };

  if (hosts.length > 0) {
    const lattice = parseCacheStreamName(target.stream)?.lattice ?? '';
    const list = hosts.map((host) => `  ${describeHost(host)}`).join('\n');
    if (!force) {
      io.stderr.write(
        `Refusing to purge ${describePurgeTarget(target)}: ${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'} of lattice ${lattice} replied to the ping:\n${list}\n` +
          'The documented procedure is to stop every host before purging the lattice cache. Stop them, or pass --force to purge anyway.\n',
      );
      writePurgeResult(io, format, result, '');
      return EXIT_FINDINGS;
    }
    io.stderr.write(`warning: purging while ${hosts.length} ${hosts.length === 1 ? 'host is' : 'hosts are'} running (--force):\n${list}\n`);
  }

  const server = serverWithSource(session, values);
  if (values.yes !== true) {
    const question = `Purge ${count} ${count === 1 ? 'message' : 'messages'} from ${describePurgeTarget(target)} on ${server}?`;
    if (io.stdin.isTTY !== true) {
      io.stderr.write(`Refusing to purge without confirmation: stdin is not a terminal. ${question} Pass --yes to confirm.\n`);
      writePurgeResult(io, format, result, '');
      return EXIT_FINDINGS;
    }
    if (!(await confirmOnTerminal(io, question))) {
      io.stderr.write('Purge cancelled.\n');
      writePurgeResult(io, format, result, '');
      return EXIT_FINDINGS;
    }
  }

  result.purged = await purgeCacheStream(session, target, { howToCheck: 'run `wasmcloud-lattice cache ls` to check' });
  writePurgeResult(io, format, result, `Purged ${result.purged} ${result.purged === 1 ? 'message' : 'messages'} from ${describePurgeTarget(target)} on ${server}.`);
  return EXIT_OK;
}

async function runPurge(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, PURGE_OPTIONS);
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'Missing the stream to purge, e.g. LATTICECACHE_default.' : `Expected one stream, got '${positionals.join(' ')}'.`);
  }
  const format = outputFormat(values);
  const stream = positionals[0];
  const subject = typeof values.subject === 'string' ? values.subject.trim() : undefined;
  // An empty filter, often an unset shell variable, must not widen to the whole stream.
  if (subject === '') {
    throw new UsageError('--subject is empty. Give a subject filter such as lc.default.linkdefs.>, or leave out --subject to purge the whole stream.');
  }
  if (parseCacheStreamName(stream) === undefined) {
    throw new UsageError(`${stream} is not a lattice cache stream; expected LATTICECACHE_{prefix}, KV_LATTICEDATA_{lattice}, KV_CONFIGDATA_{lattice} or OBJ_{lattice}.`);
  }
  millisecondsOption(values, 'ping-timeout', DEFAULT_PING_TIMEOUT_MS);
  return withLatticeSession('cache purge', values, io, (session) => purgeWithChecks(io, session, { stream, subject }, values, format));
}

/** `wasmcloud-lattice cache ls|purge`. */
export const cacheCommand: CliCommand = {
  name: 'cache',
  summary: 'List lattice cache streams on NATS, or purge one safely',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const [subcommand, ...rest] = args;
    switch (subcommand) {
      case 'ls':
      case 'list':
        return runList(rest, io);
      case 'purge':
        return runPurge(rest, io);
      case undefined:
        throw new UsageError('Missing subcommand: ls or purge.');
      default:
        throw new UsageError(`Unknown subcommand '${subcommand}'. Use ls or purge.`);
    }
  },
};
