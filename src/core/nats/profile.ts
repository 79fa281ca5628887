import { homedir } from 'node:os';
import * as path from 'node:path';

/** Source a connection profile was read from. */
export type ProfileSource = 'settings' | 'nats-context' | 'default' | 'command-line';

export type AuthKind = 'none' | 'user-password' | 'token' | 'nkey' | 'creds';

/**
 * Authentication of a profile. A password or token is present only when its
 * source stores it in plain text (a NATS CLI context or a command-line flag).
 * Profiles from settings keep them in the editor's secret storage, and the
 * caller passes them to `buildConnectOptions` as `ProfileSecrets`.
 */
export type ProfileAuth =
  | { kind: 'none' }
  | { kind: 'user-password'; user: string; password?: string }
  | { kind: 'token'; token?: string }
  | { kind: 'nkey'; seedFile: string }
  | { kind: 'creds'; credsFile: string };

export interface ProfileTls {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  /** Starts TLS before the server's INFO line (nats-server `handshake_first`, 2.10 and later). */
  handshakeFirst: boolean;
}

/** One NATS connection the explorer or the CLI can open. */
export interface ConnectionProfile {
  /** Stable id: the source and the name, e.g. `settings:demo`. */
  id: string;
  name: string;
  source: ProfileSource;
  servers: string[];
  auth: ProfileAuth;
  tls?: ProfileTls;
  jetstreamDomain?: string;
  jetstreamApiPrefix?: string;
  inboxPrefix?: string;
  description?: string;
  /** True for the NATS CLI context named in `context.txt`. */
  selected: boolean;
  /** File the profile was read from, for messages (a context file). */
  origin?: string;
}

/** The server nats-server and the NATS CLI use when nothing else is configured. */
export const DEFAULT_SERVER_URL = 'nats://127.0.0.1:4222';

/** Returns the profile used when no connection is configured anywhere. */
export function defaultProfile(): ConnectionProfile {
  return {
    id: 'default:local',
    name: 'Local NATS',
    source: 'default',
    servers: [DEFAULT_SERVER_URL],
    auth: { kind: 'none' },
    selected: false,
    description: 'nothing configured: the nats-server default address',
  };
}

// nats.js for Node accepts nats:// and tls:// URLs and bare host[:port].
const SUPPORTED_SCHEMES = new Set(['nats:', 'tls:']);

const REDACTED = '[redacted]';

function splitUserInfo(url: string): { url: string; userInfo?: string } {
  const trimmed = url.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(trimmed)?.[0] ?? '';
  const rest = trimmed.slice(scheme.length);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  // The last '@' ends the user information, as in the WHATWG URL parser.
  const at = authority.lastIndexOf('@');
  if (at === -1) {
    return { url: trimmed };
  }
  return { url: `${scheme}${rest.slice(at + 1)}`, userInfo: authority.slice(0, at) };
}

/**
 * Returns `url` with a password or token in its user information replaced by
 * `[redacted]`: `nats://alice:[redacted]@host:4222`, `nats://[redacted]@host`.
 * A user name followed by a password stays visible; a lone name is a token.
 */
export function redactServerUrl(url: string): string {
  const { url: bare, userInfo } = splitUserInfo(url);
  if (userInfo === undefined) {
    return bare;
  }
  const colon = userInfo.indexOf(':');
  const visible = colon === -1 ? REDACTED : `${userInfo.slice(0, colon)}:${REDACTED}`;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(bare)?.[0] ?? '';
  return `${scheme}${visible}@${bare.slice(scheme.length)}`;
}

/**
 * Checks one server URL and returns an error message, or undefined when the
 * Node NATS client can dial it. Messages show the URL with any password or
 * token redacted.
 */
export function checkServerUrl(url: string): string | undefined {
  const trimmed = url.trim();
  const redacted = redactServerUrl(trimmed);
  if (trimmed === '') {
    return 'The server URL is empty.';
  }
  if (/^wss?:\/\//i.test(trimmed)) {
    return `${redacted} is a WebSocket URL; use the server's NATS port (nats://host:4222) instead.`;
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `nats://${trimmed}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    return `${redacted} is not a valid server URL; expected nats://host:port.`;
  }
  if (!SUPPORTED_SCHEMES.has(parsed.protocol)) {
    return `${redacted} uses the unsupported scheme ${parsed.protocol.slice(0, -1)}; use nats:// or tls://.`;
  }
  if (parsed.hostname === '') {
    return `${redacted} has no host name.`;
  }
  return undefined;
}

/** Splits a comma-separated server list (the NATS CLI `url` form) or takes an array, dropping empty items. */
export function parseServerList(value: string | readonly string[]): string[] {
  const items = typeof value === 'string' ? value.split(',') : value.flatMap((item) => item.split(','));
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

/**
 * Credentials written into server URLs. The Go NATS client, and so the
 * `nats` CLI, reads `user:password@` as a user and password and a lone
 * `token@` as a token. nats.js 3.4 ignores both, so they are taken out here.
 */
export type UrlCredentials = { kind: 'user-password'; user: string; password: string } | { kind: 'token'; token: string };

export interface ServerList {
  /** The server URLs without user information, safe to show. */
  servers: string[];
  /** Credentials from the URLs' user information, when a URL has some. */
  credentials?: UrlCredentials;
  /** Error message about the first bad URL, with its secrets redacted. */
  problem?: string;
}

function decodeUserInfoPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function credentialsOf(userInfo: string): UrlCredentials | undefined {
  const colon = userInfo.indexOf(':');
  if (colon === -1) {
    return userInfo === '' ? undefined : { kind: 'token', token: decodeUserInfoPart(userInfo) };
  }
  return { kind: 'user-password', user: decodeUserInfoPart(userInfo.slice(0, colon)), password: decodeUserInfoPart(userInfo.slice(colon + 1)) };
}

/**
 * Parses a server list (see `parseServerList`), checks every URL and takes
 * the user information out of the URLs. nats.js uses one set of credentials
 * for every server, so URLs with different credentials are a problem.
 */
export function readServerList(value: string | readonly string[]): ServerList {
  const servers: string[] = [];
  let credentials: UrlCredentials | undefined;
  for (const item of parseServerList(value)) {
    const { url, userInfo } = splitUserInfo(item);
    const problem = checkServerUrl(item);
    if (problem !== undefined) {
      return { servers, problem };
    }
    const found = userInfo === undefined ? undefined : credentialsOf(userInfo);
    if (found !== undefined) {
      if (credentials !== undefined && JSON.stringify(credentials) !== JSON.stringify(found)) {
        return { servers, problem: `The server URLs contain different credentials (${redactServerUrl(item)}); give one user and password or token for all of them.` };
      }
      credentials = found;
    }
    servers.push(url);
  }
  return { servers, credentials };
}

/** Expands a leading `~` and resolves a relative path against `baseDir`. */
export function resolveUserPath(file: string, baseDir?: string, home: string = homedir()): string {
  const trimmed = file.trim();
  if (trimmed === '~') {
    return home;
  }
  if (trimmed.startsWith('~/') || trimmed.startsWith('~\\')) {
    return path.join(home, trimmed.slice(2));
  }
  if (baseDir !== undefined && !path.isAbsolute(trimmed)) {
    return path.resolve(baseDir, trimmed);
  }
  return trimmed;
}

/** Formats a server list for messages: the first URL (secrets redacted), plus how many others. */
export function describeServers(servers: readonly string[]): string {
  if (servers.length === 0) {
    return '(no server)';
  }
  const first = redactServerUrl(servers[0]);
  return servers.length === 1 ? first : `${first} (+${servers.length - 1} more)`;
}

/**
 * Joins the fields of a profile that decide how it connects into one string.
 * A connection pool reconnects when this changes for the same profile id.
 */
export function connectionFingerprint(profile: ConnectionProfile): string {
  return JSON.stringify([
    profile.servers,
    profile.auth,
    profile.tls ?? null,
    profile.jetstreamDomain ?? null,
    profile.jetstreamApiPrefix ?? null,
    profile.inboxPrefix ?? null,
  ]);
}
