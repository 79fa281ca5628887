import { readServerList, resolveUserPath, type ConnectionProfile, type ProfileAuth, type ProfileTls, type ServerList, type UrlCredentials } from './profile';

/** Auth kinds as they are spelled in the `wasmcloudLattice.connections` setting. */
export const SETTINGS_AUTH_KINDS = ['none', 'userPassword', 'token', 'nkey', 'creds'] as const;
export type SettingsAuthKind = (typeof SETTINGS_AUTH_KINDS)[number];

/** One item of the `wasmcloudLattice.connections` setting, as written by the Add NATS Connection command. */
export interface ConnectionSetting {
  name: string;
  servers: string[] | string;
  auth?: SettingsAuthKind;
  user?: string;
  nkeyFile?: string;
  credsFile?: string;
  tls?: { caFile?: string; certFile?: string; keyFile?: string; handshakeFirst?: boolean };
  jetstreamDomain?: string;
  jetstreamApiPrefix?: string;
  inboxPrefix?: string;
}

export interface SettingsProfiles {
  profiles: ConnectionProfile[];
  /** One message per ignored item or field, naming the connection and the fix. */
  problems: string[];
}

export interface SettingsPathOptions {
  /** Folder that relative file paths are resolved against (the first workspace folder). */
  baseDir?: string;
  home?: string;
}

function secretFix(field: string): string {
  if (field === 'password') {
    return 'Use Set Password… on the connection in the Lattices view to keep it in secret storage.';
  }
  if (field === 'token') {
    return 'Use Set Token… on the connection in the Lattices view to keep it in secret storage.';
  }
  return 'Put the seed in a file and set nkeyFile or credsFile instead.';
}

/** Returns the profile id of a connection defined in settings. */
export function settingsProfileId(name: string): string {
  return `settings:${name}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(item: Record<string, unknown>, key: string): string | undefined {
  const value = item[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function settingsAuth(
  item: Record<string, unknown>,
  label: string,
  paths: SettingsPathOptions,
  problems: string[],
  urlCredentials: UrlCredentials | undefined,
): ProfileAuth | undefined {
  // A user name from a server URL counts as the "user" field. The URL's
  // password or token is not read (see profilesFromSettings).
  const user = optionalString(item, 'user') ?? (urlCredentials?.kind === 'user-password' && urlCredentials.user !== '' ? urlCredentials.user : undefined);
  const nkeyFile = optionalString(item, 'nkeyFile');
  const credsFile = optionalString(item, 'credsFile');
  const declared = item.auth;
  let kind: SettingsAuthKind;
  if (declared === undefined) {
    // Without "auth", the most specific field present decides.
    if (credsFile !== undefined) {
      kind = 'creds';
    } else if (nkeyFile !== undefined) {
      kind = 'nkey';
    } else if (user !== undefined) {
      kind = 'userPassword';
    } else {
      kind = urlCredentials?.kind === 'token' ? 'token' : 'none';
    }
  } else if (typeof declared === 'string' && (SETTINGS_AUTH_KINDS as readonly string[]).includes(declared)) {
    kind = declared as SettingsAuthKind;
  } else {
    problems.push(`${label}: auth ${JSON.stringify(declared)} is not one of ${SETTINGS_AUTH_KINDS.join(', ')}; the connection is skipped.`);
    return undefined;
  }

  switch (kind) {
    case 'none':
      return { kind: 'none' };
    case 'token':
      return { kind: 'token' };
    case 'userPassword':
      if (user === undefined) {
        problems.push(`${label}: auth is userPassword but "user" is missing; the connection is skipped.`);
        return undefined;
      }
      return { kind: 'user-password', user };
    case 'nkey':
      if (nkeyFile === undefined) {
        problems.push(`${label}: auth is nkey but "nkeyFile" (the path of a user seed file) is missing; the connection is skipped.`);
        return undefined;
      }
      return { kind: 'nkey', seedFile: resolveUserPath(nkeyFile, paths.baseDir, paths.home) };
    case 'creds':
      if (credsFile === undefined) {
        problems.push(`${label}: auth is creds but "credsFile" is missing; the connection is skipped.`);
        return undefined;
      }
      return { kind: 'creds', credsFile: resolveUserPath(credsFile, paths.baseDir, paths.home) };
  }
}

function settingsTls(item: Record<string, unknown>, paths: SettingsPathOptions): ProfileTls | undefined {
  const tls = item.tls;
  if (!isRecord(tls)) {
    return undefined;
  }
  const file = (key: string): string | undefined => {
    const value = optionalString(tls, key);
    return value === undefined ? undefined : resolveUserPath(value, paths.baseDir, paths.home);
  };
  return {
    caFile: file('caFile'),
    certFile: file('certFile'),
    keyFile: file('keyFile'),
    handshakeFirst: tls.handshakeFirst === true,
  };
}

/**
 * Reads the `wasmcloudLattice.connections` setting value into profiles.
 * Invalid items are skipped with a problem message. A `password` or `token`
 * written into settings is ignored with a problem message, because secrets
 * belong in secret storage. That includes one inside a server URL
 * (`nats://user:pass@host`), whose user name is still used. Profiles never
 * hold the URLs' user information, so labels and messages cannot show it.
 */
export function profilesFromSettings(value: unknown, paths: SettingsPathOptions = {}): SettingsProfiles {
  const profiles: ConnectionProfile[] = [];
  const problems: string[] = [];
  if (value === undefined || value === null) {
    return { profiles, problems };
  }
  if (!Array.isArray(value)) {
    problems.push('wasmcloudLattice.connections must be an array of connections; the setting is ignored.');
    return { profiles, problems };
  }

  const seen = new Set<string>();
  value.forEach((item: unknown, index) => {
    const position = `wasmcloudLattice.connections[${index}]`;
    if (!isRecord(item)) {
      problems.push(`${position} is not an object; it is skipped.`);
      return;
    }
    const name = optionalString(item, 'name');
    if (name === undefined) {
      problems.push(`${position} has no "name"; it is skipped.`);
      return;
    }
    const label = `Connection "${name}"`;
    if (seen.has(name)) {
      problems.push(`${label} is defined twice; the second definition is skipped.`);
      return;
    }

    const rawServers = item.servers;
    const serverList: ServerList =
      typeof rawServers === 'string' || (Array.isArray(rawServers) && rawServers.every((server) => typeof server === 'string'))
        ? readServerList(rawServers as string | string[])
        : { servers: [] };
    if (serverList.problem !== undefined) {
      problems.push(`${label}: ${serverList.problem} The connection is skipped.`);
      return;
    }
    const servers = serverList.servers;
    if (servers.length === 0) {
      problems.push(`${label} has no "servers" (for example ["nats://127.0.0.1:4222"]); it is skipped.`);
      return;
    }

    for (const secretField of ['password', 'token', 'seed']) {
      if (item[secretField] !== undefined) {
        problems.push(`${label}: "${secretField}" in settings is ignored. ${secretFix(secretField)}`);
      }
    }
    const urlCredentials = serverList.credentials;
    if (urlCredentials !== undefined) {
      const secretName = urlCredentials.kind === 'token' ? 'token' : 'password';
      problems.push(`${label}: the ${secretName} in its server URL is ignored, because secrets are not read from settings. Remove it from the URL. ${secretFix(secretName)}`);
    }

    const auth = settingsAuth(item, label, paths, problems, urlCredentials);
    if (auth === undefined) {
      return;
    }
    seen.add(name);
    profiles.push({
      id: settingsProfileId(name),
      name,
      source: 'settings',
      servers,
      auth,
      tls: settingsTls(item, paths),
      jetstreamDomain: optionalString(item, 'jetstreamDomain'),
      jetstreamApiPrefix: optionalString(item, 'jetstreamApiPrefix'),
      inboxPrefix: optionalString(item, 'inboxPrefix'),
      selected: false,
    });
  });
  return { profiles, problems };
}
