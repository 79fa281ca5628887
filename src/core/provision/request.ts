/**
 * Lattice provisioning requests, and the field checks that the command, the
 * CLI and the planner share.
 */
import { latticeNameProblem } from '../rules/lattice';
import type { HostProfile } from '../rules/variables';

/** Key strategy: one seed for every host, or one seed per host with every public key in each host's issuers. */
export type KeyStrategy = 'shared' | 'per-host';

export const KEY_STRATEGIES: readonly KeyStrategy[] = ['shared', 'per-host'];

/** Authentication of one host connection to NATS. */
export type Credentials = { readonly kind: 'none' } | { readonly kind: 'creds-file'; readonly path: string } | { readonly kind: 'jwt'; readonly jwt: string; readonly seed: string };

/** Credentials per host connection. Providers use the RPC credentials when `providers` is not set. */
export interface ConnectionCredentials {
  readonly rpc: Credentials;
  readonly ctl: Credentials;
  readonly providers?: Credentials;
}

export const NO_CREDENTIALS: ConnectionCredentials = { rpc: { kind: 'none' }, ctl: { kind: 'none' } };

/** A NATS server as hosts read it: host name and port, and whether the connection uses TLS. */
export interface NatsServer {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
}

export interface ProvisionRequest {
  readonly lattice: string;
  /** Host names, also the file names (`<name>.env`) and the compose service names. */
  readonly hosts: readonly string[];
  readonly strategy: KeyStrategy;
  /** Hosts connect to one server each; with several servers, host i connects to server i modulo the count. */
  readonly servers: readonly NatsServer[];
  readonly hostVersion: HostProfile;
  readonly credentials: ConnectionCredentials;
  /** Whether to write a docker-compose.yml next to the host files. */
  readonly compose: boolean;
}

export const DEFAULT_NATS_PORT = 4222;
export const DEFAULT_SERVER: NatsServer = { host: '127.0.0.1', port: DEFAULT_NATS_PORT, tls: false };

/** Maximum number of hosts one request provisions; each gets a file, and per-host issuers lists grow with the count. */
export const MAX_HOSTS = 100;

/** Maximum length of a host name: a DNS label, because compose uses the name as the container's host name. */
const MAX_HOST_NAME_LENGTH = 63;
const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
/** The compose service that runs nats-server, so no host may take its name. */
export const NATS_SERVICE = 'nats';

/** Returns an error message for an invalid lattice name, or undefined. Uses the check of the `lattice-prefix-invalid` rule. */
export function validateLatticeName(value: string): string | undefined {
  const problem = latticeNameProblem(value);
  if (problem === undefined) {
    return undefined;
  }
  if (problem.index < 0) {
    return 'Enter a lattice name of letters, digits, \'_\' and \'-\', such as "prod".';
  }
  return `'${value}' is not a valid lattice name: ${problem.reason}. Use only letters, digits, '_' and '-'.`;
}

/**
 * Reads the host input: a count such as `3` (hosts `host-1` to `host-3`) or
 * comma-separated names. Returns the names or an error message.
 */
export function parseHostNames(input: string, compose = false): { names: string[] } | { error: string } {
  const trimmed = input.trim();
  if (trimmed === '') {
    return { error: 'Enter a number of hosts, such as 3, or host names separated by commas, such as east,west.' };
  }
  if (/^\d+$/.test(trimmed)) {
    const count = Number(trimmed);
    if (count < 1 || count > MAX_HOSTS) {
      return { error: `${trimmed} hosts is outside 1–${MAX_HOSTS}. Enter a count from 1 to ${MAX_HOSTS}.` };
    }
    return { names: hostNamesForCount(count) };
  }
  const names = trimmed.split(',').map((name) => name.trim());
  const error = validateHostNames(names, compose);
  return error === undefined ? { names } : { error };
}

/** Returns `host-1` … `host-<count>`. */
export function hostNamesForCount(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `host-${index + 1}`);
}

/** Returns an error message for the first invalid or repeated host name, or undefined when every name can be used. */
export function validateHostNames(names: readonly string[], compose = false): string | undefined {
  if (names.length === 0) {
    return 'Enter at least one host name.';
  }
  if (names.length > MAX_HOSTS) {
    return `${names.length} hosts are more than ${MAX_HOSTS}. Provision at most ${MAX_HOSTS} hosts at once.`;
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '') {
      return 'A host name is empty: remove the extra comma.';
    }
    if (name.length > MAX_HOST_NAME_LENGTH) {
      return `Host name '${name.slice(0, 20)}…' has ${name.length} characters. Use at most ${MAX_HOST_NAME_LENGTH}.`;
    }
    if (!HOST_NAME.test(name)) {
      return `Host name '${name}' is invalid: use letters, digits, '_' and '-', starting with a letter or digit, because it becomes the file name ${name}.env.`;
    }
    // File systems on macOS and Windows ignore case, so 'East' and 'east' would be one file.
    const folded = name.toLowerCase();
    if (seen.has(folded)) {
      return `Host name '${name}' appears twice. Give every host its own name.`;
    }
    seen.add(folded);
    if (compose && folded === NATS_SERVICE) {
      return `Host name '${name}' is taken by the NATS server's service in docker-compose.yml. Choose another name.`;
    }
  }
  return undefined;
}

/** Where the wizard takes credentials instead, for the message about a user or password in a URL. */
const WIZARD_CREDENTIALS_HINT = 'choose the credentials in the next step';

/**
 * Parses one NATS server URL: `nats://host:port`, `tls://host:port`,
 * `host:port` or `host`. Hosts read a host name and a port, so a path, a user
 * or a password in the URL is rejected. `credentialsHint` ends the message
 * about a user or password with where the caller takes credentials instead.
 * Returns the server or an error message.
 */
export function parseServerUrl(input: string, credentialsHint = WIZARD_CREDENTIALS_HINT): { server: NatsServer } | { error: string } {
  const text = input.trim();
  if (text === '') {
    return { error: 'A server URL is empty. Enter a URL such as nats://127.0.0.1:4222.' };
  }
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  const scheme = schemeMatch?.[1].toLowerCase() ?? 'nats';
  if (scheme !== 'nats' && scheme !== 'tls') {
    return { error: `'${text}' uses ${scheme}://, but wasmCloud hosts connect with the NATS protocol. Use nats://host:port or tls://host:port.` };
  }

  let url: URL;
  try {
    url = new URL(`${scheme}://${text.slice(schemeMatch?.[0].length ?? 0)}`);
  } catch {
    return { error: `'${text}' is not a valid server URL. Use nats://host:port, such as nats://127.0.0.1:4222.` };
  }
  if (url.username !== '' || url.password !== '') {
    return { error: `The server URL for ${url.hostname} contains a user or password. Hosts do not read credentials from the URL, so remove them and ${credentialsHint}.` };
  }
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '') {
    return { error: `'${text}' has a path or query, which hosts cannot use. Use only nats://host:port.` };
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') {
    return { error: `'${text}' names no host. Use nats://host:port, such as nats://127.0.0.1:4222.` };
  }
  // URL drops a port that equals the scheme's default, and nats: has none, so an empty port is 4222.
  const port = url.port === '' ? DEFAULT_NATS_PORT : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return { error: `The port in '${text}' is outside 1–65535.` };
  }
  return { server: { host, port, tls: scheme === 'tls' } };
}

/** Parses comma-separated server URLs. Returns the servers or the first error message. */
export function parseServerUrls(input: string, credentialsHint = WIZARD_CREDENTIALS_HINT): { servers: NatsServer[] } | { error: string } {
  const parts = input.split(',').filter((part) => part.trim() !== '');
  if (parts.length === 0) {
    return { error: 'Enter at least one NATS server URL, such as nats://127.0.0.1:4222.' };
  }
  const servers: NatsServer[] = [];
  for (const part of parts) {
    const parsed = parseServerUrl(part, credentialsHint);
    if ('error' in parsed) {
      return parsed;
    }
    servers.push(parsed.server);
  }
  return { servers };
}

/** Formats a server as the URL a user would type. */
export function formatServer(server: NatsServer): string {
  const host = server.host.includes(':') ? `[${server.host}]` : server.host;
  return `${server.tls ? 'tls' : 'nats'}://${host}:${server.port}`;
}
