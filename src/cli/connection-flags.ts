import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../core/nats/connect-options';
import { readNatsContexts } from '../core/nats/nats-context';
import { defaultProfile, readServerList, resolveUserPath, type ConnectionProfile, type UrlCredentials } from '../core/nats/profile';
import { UsageError } from './command';

export type OutputFormat = 'text' | 'json';

/** Options every lattice command accepts, for `parseArgs`. */
export const CONNECTION_OPTIONS = {
  server: { type: 'string', short: 's' },
  context: { type: 'string' },
  creds: { type: 'string' },
  nkey: { type: 'string' },
  user: { type: 'string' },
  password: { type: 'string' },
  token: { type: 'string' },
  'tls-ca': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-first': { type: 'boolean' },
  'js-domain': { type: 'string' },
  'connect-timeout': { type: 'string' },
  format: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
} as const satisfies ParseArgsConfig['options'];

/** Help text for the connection options, shared by the lattice commands. */
export const CONNECTION_OPTIONS_HELP = `Connection options (default: the selected NATS CLI context, else ${defaultProfile().servers[0]}):
  -s, --server URL[,URL...]  NATS server URLs
  --context NAME             Use a NATS CLI context (~/.config/nats/context/NAME.json)
  --creds FILE               User credentials file (JWT and seed)
  --nkey FILE                User nkey seed file
  --user USER --password PW  User and password
  --token TOKEN              Authentication token
  --tls-ca FILE              CA certificate to verify the server
  --tls-cert FILE --tls-key FILE
                             Client certificate and key
  --tls-first                Start TLS before the server's INFO (nats-server 2.10+ handshake_first)
  --js-domain DOMAIN         JetStream domain
  --connect-timeout MS       Connect timeout in milliseconds (default ${DEFAULT_CONNECT_TIMEOUT_MS})
  -v, --verbose              Print connection steps and error details to stderr (secrets redacted)`;

/** Runs `parseArgs` in strict mode and turns its errors into usage errors. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '.') : String(error));
  }
}

/** Reads `--format`, defaulting to text. */
export function outputFormat(values: Record<string, string | boolean | undefined>): OutputFormat {
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`Invalid --format '${String(format)}'. Use text or json.`);
  }
  return format;
}

/** Reads a positive whole number of milliseconds from an option. */
export function millisecondsOption(values: Record<string, string | boolean | undefined>, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) {
    return fallback;
  }
  const value = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw.trim()) || value < 1 || value > 600_000) {
    throw new UsageError(`--${name} must be a whole number of milliseconds between 1 and 600000, got '${String(raw)}'.`);
  }
  return value;
}

// Expected value of each string flag, for the message about an empty value.
const EXPECTED_VALUES: Record<string, string> = {
  server: 'a server URL such as nats://127.0.0.1:4222, or leave out --server to use the selected NATS context',
  context: 'the name of a NATS CLI context, or leave out --context',
  creds: 'the path of a creds file, or leave out --creds',
  nkey: 'the path of a user nkey seed file, or leave out --nkey',
  user: 'a user name, or leave out --user',
  password: 'the password, or leave out --password',
  token: 'the token, or leave out --token',
  'tls-ca': 'the path of a CA certificate file, or leave out --tls-ca',
  'tls-cert': 'the path of a client certificate file, or leave out --tls-cert',
  'tls-key': 'the path of a client key file, or leave out --tls-key',
  'js-domain': 'a JetStream domain, or leave out --js-domain',
};

/**
 * Reads a string flag, trimmed. An explicitly empty value (`-s ''`,
 * `--server=`, often an unset shell variable) is a usage error: falling back
 * to the selected NATS context instead could purge another server's cache.
 */
function stringValue(values: Record<string, string | boolean | undefined>, name: string, trim = true): string | undefined {
  const value = values[name];
  if (typeof value !== 'string') {
    return undefined;
  }
  if (value.trim() === '') {
    throw new UsageError(`--${name} is empty. Give ${EXPECTED_VALUES[name] ?? `a value, or leave out --${name}`}.`);
  }
  return trim ? value.trim() : value;
}

/** Returns how the connection of a command was chosen, for output that names the server: `NATS context "prod"`, or undefined for `--server`. */
export function connectionSourceNote(profile: ConnectionProfile, values: Record<string, string | boolean | undefined>): string | undefined {
  if (profile.source === 'nats-context') {
    return values.server === undefined ? `NATS context "${profile.name}"` : `NATS context "${profile.name}" with --server`;
  }
  if (values.server === undefined) {
    return 'the default server: no --server, --context or selected NATS context';
  }
  return undefined;
}

function urlAuth(credentials: UrlCredentials): ConnectionProfile['auth'] {
  return credentials.kind === 'token' ? { kind: 'token', token: credentials.token } : { kind: 'user-password', user: credentials.user, password: credentials.password };
}

/**
 * Builds the connection profile for a command: `--context` or the selected
 * NATS CLI context as the base (the default server when there is none), with
 * every connection flag given overriding it. A user and password or a token
 * in a `--server` URL authenticate, as they do for the `nats` CLI, and the
 * profile keeps the URLs without them.
 */
export async function profileFromFlags(values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv = process.env): Promise<ConnectionProfile> {
  const server = stringValue(values, 'server');
  const contextName = stringValue(values, 'context');

  let base: ConnectionProfile = { ...defaultProfile(), id: 'command-line:default', name: 'command line', source: 'command-line' };
  if (contextName !== undefined || server === undefined) {
    const contexts = await readNatsContexts({ env });
    if (contextName !== undefined) {
      const found = contexts.profiles.find((profile) => profile.name === contextName);
      if (found === undefined) {
        const problem = contexts.problems.find((message) => message.includes(`"${contextName}"`));
        throw new UsageError(problem ?? `NATS context '${contextName}' was not found in ${contexts.directory}.`);
      }
      base = found;
    } else {
      base = contexts.profiles.find((profile) => profile.selected) ?? base;
    }
  }

  const profile: ConnectionProfile = { ...base, tls: base.tls === undefined ? undefined : { ...base.tls } };
  let urlCredentials: UrlCredentials | undefined;
  if (server !== undefined) {
    const list = readServerList(server);
    const problem = list.problem ?? (list.servers.length === 0 ? 'The --server list is empty.' : undefined);
    if (problem !== undefined) {
      throw new UsageError(problem);
    }
    profile.servers = list.servers;
    urlCredentials = list.credentials;
  }

  const creds = stringValue(values, 'creds');
  const nkey = stringValue(values, 'nkey');
  const user = stringValue(values, 'user');
  // A password keeps its spaces.
  const password = stringValue(values, 'password', false);
  const token = stringValue(values, 'token');
  const authFlags = [creds, nkey, user, token].filter((value) => value !== undefined).length;
  if (authFlags > 1) {
    throw new UsageError('Use only one of --creds, --nkey, --user and --token.');
  }
  if (password !== undefined && user === undefined) {
    throw new UsageError('--password needs --user.');
  }
  if (urlCredentials !== undefined && authFlags > 0) {
    throw new UsageError('The --server URL contains a user and password or a token, and --creds, --nkey, --user or --token is given too. Give the credentials one way.');
  }
  if (urlCredentials !== undefined) {
    profile.auth = urlAuth(urlCredentials);
  } else if (creds !== undefined) {
    profile.auth = { kind: 'creds', credsFile: resolveUserPath(creds) };
  } else if (nkey !== undefined) {
    profile.auth = { kind: 'nkey', seedFile: resolveUserPath(nkey) };
  } else if (user !== undefined) {
    profile.auth = { kind: 'user-password', user, password };
  } else if (token !== undefined) {
    profile.auth = { kind: 'token', token };
  }

  const tlsCa = stringValue(values, 'tls-ca');
  const tlsCert = stringValue(values, 'tls-cert');
  const tlsKey = stringValue(values, 'tls-key');
  const tlsFirst = values['tls-first'] === true;
  if (tlsCa !== undefined || tlsCert !== undefined || tlsKey !== undefined || tlsFirst) {
    const tls = profile.tls ?? { handshakeFirst: false };
    profile.tls = {
      caFile: tlsCa === undefined ? tls.caFile : resolveUserPath(tlsCa),
      certFile: tlsCert === undefined ? tls.certFile : resolveUserPath(tlsCert),
      keyFile: tlsKey === undefined ? tls.keyFile : resolveUserPath(tlsKey),
      handshakeFirst: tlsFirst || tls.handshakeFirst,
    };
  }

  const domain = stringValue(values, 'js-domain');
  if (domain !== undefined) {
    profile.jetstreamDomain = domain;
    profile.jetstreamApiPrefix = undefined;
  }
  return profile;
}
