import { productVersion } from '../core/version';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliCommand, type CliIo } from './command';
import { cacheCommand } from './cache-command';
import { hostsCommand } from './hosts-command';
import { keysCommand } from './keys';
import { lintCommand } from './lint';
import { provisionCommand } from './provision';

// Subcommands register here, in the order `--help` lists them.
const commands: CliCommand[] = [keysCommand, lintCommand, provisionCommand, cacheCommand, hostsCommand];

function usage(): string {
  const width = Math.max(0, ...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    'Usage: wasmcloud-lattice <command> [options]',
    '',
    'Generate wasmCloud keys, lint host .env files and manage lattice caches on NATS.',
    '',
    'Commands:',
    ...(lines.length > 0 ? lines : ['  (none yet)']),
    '',
    'Options:',
    '  -h, --help     Show help for wasmcloud-lattice or a command',
    '  -V, --version  Show the version',
    '',
    "Run 'wasmcloud-lattice <command> --help' for a command's options.",
    '',
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    io.stdout.write(usage());
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === '-V' || first === '--version') {
    io.stdout.write(`wasmcloud-lattice ${productVersion}\n`);
    return EXIT_OK;
  }

  const command = commands.find((candidate) => candidate.name === first);
  if (command === undefined) {
    io.stderr.write(`wasmcloud-lattice: unknown command '${first}'. Run 'wasmcloud-lattice --help' for the list of commands.\n`);
    return EXIT_USAGE;
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    io.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return EXIT_OK;
  }

  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`wasmcloud-lattice ${command.name}: ${error.message}\nRun 'wasmcloud-lattice ${command.name} --help' for usage.\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

// A reader that stops early, as in `wasmcloud-lattice lint | head`, closes
// the pipe. That ends the output, not the run, so it is no error.
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      process.exit(process.exitCode ?? EXIT_OK);
    }
    throw error;
  });
}

if (require.main === module) {
  exitQuietlyOnClosedPipe(process.stdout);
  exitQuietlyOnClosedPipe(process.stderr);
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin })
    .catch((error: unknown) => {
      process.stderr.write(`wasmcloud-lattice: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT_USAGE;
    })
    .then((code) => {
      // Exit once the output is flushed instead of waiting for the event loop
      // to drain: nats.js 3.4 can leave a socket open after a connect timeout.
      process.exitCode = code;
      process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
    });
}
