import { redactSecrets, silentLogger, type Logger } from '../core/log';
import { NatsFailure } from '../core/nats/errors';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../core/nats/connect-options';
import { openSession, type LatticeSession } from '../core/nats/session';
import { EXIT_USAGE, type CliIo } from './command';
import { millisecondsOption, profileFromFlags } from './connection-flags';

/** Logger that writes redacted lines to stderr, for `--verbose`. */
function stderrLogger(io: CliIo): Logger {
  const write = (level: string, message: string): void => {
    io.stderr.write(`${level}: ${redactSecrets(message)}\n`);
  };
  return {
    trace: () => undefined,
    debug: (message) => write('debug', message),
    info: (message) => write('info', message),
    warn: (message) => write('warning', message),
    error: (message, error) => write('error', error === undefined ? message : `${message}: ${String(error)}`),
  };
}

/**
 * Connects with the connection flags in `values`, runs `body` and closes the
 * connection. A `NatsFailure` from connecting or from `body` is printed as
 * `wasmcloud-lattice <command>: <message>` and gives exit code 2.
 */
export async function withLatticeSession(
  command: string,
  values: Record<string, string | boolean | undefined>,
  io: CliIo,
  body: (session: LatticeSession) => Promise<number>,
): Promise<number> {
  const profile = await profileFromFlags(values);
  const logger = values.verbose === true ? stderrLogger(io) : silentLogger;
  let session: LatticeSession | undefined;
  try {
    session = await openSession(profile, {
      timeoutMs: millisecondsOption(values, 'connect-timeout', DEFAULT_CONNECT_TIMEOUT_MS),
      clientName: `wasmcloud-lattice ${command}`,
      // A one-shot command fails rather than waiting for reconnects.
      maxReconnectAttempts: 0,
      logger,
    });
    return await body(session);
  } catch (error) {
    if (error instanceof NatsFailure) {
      io.stderr.write(`wasmcloud-lattice ${command}: ${error.message}\n`);
      if (values.verbose === true) {
        io.stderr.write(`detail: ${redactSecrets(error.detail)}\n`);
      }
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    await session?.close();
  }
}
