/** Exit codes shared by every subcommand. */
export const EXIT_OK = 0;
/** Findings: lint errors, an invalid key, a refused purge. */
export const EXIT_FINDINGS = 1;
/** Usage errors and I/O failures. */
export const EXIT_USAGE = 2;

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export interface CliCommand {
  /** The first word after `wasmcloud-lattice`. */
  readonly name: string;
  /** One line for the command list in `--help`. */
  readonly summary: string;
  /** Full help text printed by `wasmcloud-lattice <name> --help`. */
  readonly usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Thrown for a bad flag or argument; main() prints it with the usage hint and exits 2. */
export class UsageError extends Error {}
