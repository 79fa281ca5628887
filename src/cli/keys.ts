import { generateKey } from '../core/keys/generate';
import { inspectKey, type KeyInspection } from '../core/keys/inspect';
import { KEY_KINDS, findKeyKind } from '../core/keys/kinds';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CliCommand, type CliIo } from './command';

type OutputFormat = 'text' | 'json';

function kindList(): string {
  return KEY_KINDS.map((info) => (info.aliases.length > 0 ? `${info.kind} (${info.aliases.join(', ')})` : info.kind)).join(', ');
}

const USAGE = `Usage:
  wasmcloud-lattice keys gen <kind> [-o text|json]
  wasmcloud-lattice keys inspect <key | -> [-o text|json]

Generate an nkey pair, or check a public key or seed.

Commands:
  gen <kind>      Generate a key pair. Kinds: ${kindList()}.
  inspect <key>   Show a key's type and kind, whether it is valid and why not,
                  and a seed's public key. Pass '-' to read the key from stdin,
                  which keeps a seed out of the shell history and process list.

Options:
  -o, --output text|json   Output format (default: text)
  -h, --help               Show this help

Exit codes: 0 success, 1 invalid key (inspect), 2 usage error.
`;

interface ParsedArgs {
  positional: string[];
  output: OutputFormat;
}

function parseArgs(args: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  let output: OutputFormat = 'text';
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    let value: string | undefined;
    if (arg === '-o' || arg === '--output') {
      value = args[++index];
      if (value === undefined) {
        throw new UsageError(`${arg} needs a value: text or json.`);
      }
    } else if (arg.startsWith('--output=')) {
      value = arg.slice('--output='.length);
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`Unknown option '${arg}'.`);
    } else {
      positional.push(arg);
      continue;
    }
    if (value !== 'text' && value !== 'json') {
      throw new UsageError(`Invalid output format '${value}'. Use text or json.`);
    }
    output = value;
  }
  return { positional, output };
}

function runGenerate(args: readonly string[], io: CliIo): number {
  const { positional, output } = parseArgs(args);
  if (positional.length === 0) {
    throw new UsageError(`Missing key kind. Use one of: ${kindList()}.`);
  }
  if (positional.length > 1) {
    throw new UsageError(`Expected one key kind, got ${positional.length} arguments.`);
  }
  // An unknown word is rejected, so a typo cannot silently produce another kind of key.
  const kind = findKeyKind(positional[0]);
  if (kind === undefined) {
    throw new UsageError(`Unknown key kind '${positional[0]}'. Use one of: ${kindList()}.`);
  }

  const { publicKey, seed } = generateKey(kind);
  if (output === 'json') {
    io.stdout.write(`${JSON.stringify({ public_key: publicKey, seed })}\n`);
  } else {
    io.stdout.write(`Public Key: ${publicKey}\nSeed: ${seed}\n\nKeep the seed secret, because anyone who has it can act as this key.\n`);
  }
  return EXIT_OK;
}

async function readKeyFromStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  // Drop the one line break that `echo` or a file adds, and keep everything
  // else so that inspect still reports stray whitespace.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** JSON output of inspect. `kind` and `type` are "unknown" when the prefix names no key kind, as in the text output. */
function inspectionJson(inspection: KeyInspection): Record<string, unknown> {
  const json: Record<string, unknown> = { kind: inspection.kind ?? 'unknown', type: inspection.type, valid: inspection.valid };
  if (!inspection.valid) {
    json.reason = inspection.reason;
  } else if (inspection.type === 'seed') {
    json.public_key = inspection.publicKey;
  }
  return json;
}

function inspectionText(inspection: KeyInspection): string {
  const rows: Array<[string, string]> = [
    ['Type', inspection.type],
    ['Kind', inspection.kind ?? 'unknown'],
    ['Valid', inspection.valid ? 'yes' : 'no'],
  ];
  if (!inspection.valid && inspection.reason !== undefined) {
    rows.push(['Reason', inspection.reason]);
  }
  if (inspection.valid && inspection.type === 'seed' && inspection.publicKey !== undefined) {
    rows.push(['Public Key', inspection.publicKey]);
  }
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width)} ${value}\n`).join('');
}

async function runInspect(args: readonly string[], io: CliIo): Promise<number> {
  const { positional, output } = parseArgs(args);
  if (positional.length > 1) {
    throw new UsageError(`Expected one key, got ${positional.length} arguments. Quote a key that contains spaces.`);
  }
  let key = positional[0];
  if (key === undefined) {
    if (io.stdin.isTTY) {
      throw new UsageError("Missing key. Pass it as an argument, or pass '-' and pipe it to stdin.");
    }
    key = '-';
  }
  if (key === '-') {
    key = await readKeyFromStdin(io);
  }

  // The output never contains the key itself, so a seed is not echoed.
  const inspection = inspectKey(key);
  if (output === 'json') {
    io.stdout.write(`${JSON.stringify(inspectionJson(inspection))}\n`);
  } else {
    io.stdout.write(inspectionText(inspection));
  }
  return inspection.valid ? EXIT_OK : EXIT_FINDINGS;
}

export const keysCommand: CliCommand = {
  name: 'keys',
  summary: 'Generate nkey pairs and inspect keys',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const [subcommand, ...rest] = args;
    switch (subcommand) {
      case 'gen':
        return runGenerate(rest, io);
      case 'inspect':
        return runInspect(rest, io);
      case undefined:
        throw new UsageError('Missing subcommand: gen or inspect.');
      default:
        throw new UsageError(`Unknown subcommand '${subcommand}'. Use gen or inspect.`);
    }
  },
};
