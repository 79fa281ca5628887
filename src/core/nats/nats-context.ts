import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SERVER_URL, readServerList, resolveUserPath, type ConnectionProfile, type ProfileAuth, type UrlCredentials } from './profile';

/** The fields of a NATS CLI context file (`nats context save`) that this product reads. */
interface ContextFile {
  description?: string;
  url?: string;
  creds?: string;
  nkey?: string;
  user?: string;
  password?: string;
  token?: string;
  cert?: string;
  key?: string;
  ca?: string;
  tls_first?: boolean;
  jetstream_domain?: string;
  jetstream_api_prefix?: string;
  inbox_prefix?: string;
}

export interface NatsContexts {
  profiles: ConnectionProfile[];
  /** The folder that was read (it may not exist). */
  directory: string;
  /** One message per unreadable context file. */
  problems: string[];
}

export interface NatsContextOptions {
  /** Environment to read `XDG_CONFIG_HOME` from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** Returns the NATS CLI configuration folder: `$XDG_CONFIG_HOME/nats`, else `~/.config/nats`. */
export function natsConfigDirectory(options: NatsContextOptions = {}): string {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg !== undefined && xdg.trim() !== '' ? xdg.trim() : path.join(home, '.config');
  return path.join(base, 'nats');
}

/** Returns the profile id of a NATS CLI context. */
export function contextProfileId(name: string): string {
  return `nats-context:${name}`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

// The NATS CLI gives a creds file precedence over an nkey, and both over
// user/password and token. Its Go client takes a user and password or a
// token from the server URL over the context's own fields.
function contextAuth(context: ContextFile, home: string, urlCredentials: UrlCredentials | undefined): ProfileAuth {
  const creds = text(context.creds);
  if (creds !== undefined) {
    return { kind: 'creds', credsFile: resolveUserPath(creds, undefined, home) };
  }
  const nkey = text(context.nkey);
  if (nkey !== undefined) {
    return { kind: 'nkey', seedFile: resolveUserPath(nkey, undefined, home) };
  }
  if (urlCredentials?.kind === 'user-password') {
    return { kind: 'user-password', user: urlCredentials.user, password: urlCredentials.password };
  }
  if (urlCredentials?.kind === 'token') {
    return { kind: 'token', token: urlCredentials.token };
  }
  const user = text(context.user);
  if (user !== undefined) {
    return { kind: 'user-password', user, password: typeof context.password === 'string' ? context.password : undefined };
  }
  const token = text(context.token);
  if (token !== undefined) {
    return { kind: 'token', token };
  }
  return { kind: 'none' };
}

/** Builds a profile from a parsed context file; returns a problem message for an unusable one. */
export function profileFromContext(name: string, context: ContextFile, file: string, selected: boolean, home: string = homedir()): ConnectionProfile | string {
  const url = text(context.url);
  const serverList = readServerList(url ?? DEFAULT_SERVER_URL);
  if (serverList.problem !== undefined) {
    return `NATS context "${name}" (${file}): ${serverList.problem}`;
  }

  const cert = text(context.cert);
  const key = text(context.key);
  const ca = text(context.ca);
  const tlsFirst = context.tls_first === true;
  const hasTls = cert !== undefined || key !== undefined || ca !== undefined || tlsFirst;
  return {
    id: contextProfileId(name),
    name,
    source: 'nats-context',
    servers: serverList.servers,
    auth: contextAuth(context, home, serverList.credentials),
    tls: hasTls
      ? {
          certFile: cert === undefined ? undefined : resolveUserPath(cert, undefined, home),
          keyFile: key === undefined ? undefined : resolveUserPath(key, undefined, home),
          caFile: ca === undefined ? undefined : resolveUserPath(ca, undefined, home),
          handshakeFirst: tlsFirst,
        }
      : undefined,
    jetstreamDomain: text(context.jetstream_domain),
    jetstreamApiPrefix: text(context.jetstream_api_prefix),
    inboxPrefix: text(context.inbox_prefix),
    description: text(context.description),
    selected,
    origin: file,
  };
}

async function readSelectedContext(configDir: string): Promise<string | undefined> {
  try {
    const selected = (await readFile(path.join(configDir, 'context.txt'), 'utf8')).trim();
    return selected === '' ? undefined : selected;
  } catch {
    return undefined;
  }
}

/**
 * Reads the user's NATS CLI contexts: every `nats/context/*.json` under the
 * NATS configuration folder, the one named in `nats/context.txt` marked as
 * selected. A missing folder gives no profiles and no problem.
 */
export async function readNatsContexts(options: NatsContextOptions = {}): Promise<NatsContexts> {
  const home = options.home ?? homedir();
  const configDir = natsConfigDirectory(options);
  const directory = path.join(configDir, 'context');
  const problems: string[] = [];

  let names: string[];
  try {
    names = (await readdir(directory)).filter((file) => file.endsWith('.json')).sort();
  } catch {
    return { profiles: [], directory, problems };
  }
  const selected = await readSelectedContext(configDir);

  const profiles: ConnectionProfile[] = [];
  for (const fileName of names) {
    const name = fileName.slice(0, -'.json'.length);
    const file = path.join(directory, fileName);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      problems.push(`NATS context "${name}" could not be read from ${file}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      problems.push(`NATS context "${name}" in ${file} is not a JSON object; it is skipped.`);
      continue;
    }
    const result = profileFromContext(name, parsed as ContextFile, file, name === selected, home);
    if (typeof result === 'string') {
      problems.push(result);
    } else {
      profiles.push(result);
    }
  }
  return { profiles, directory, problems };
}
