import { checkServerUrl, parseServerList, resolveUserPath, type ConnectionProfile, type ProfileAuth, type ProfileTls } from './profile';

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

function settingsAuth(item: Record<string, unknown>, label: string, paths: SettingsPathOptions, problems: string[]): ProfileAuth | undefined {
  const user = optionalString(item, 'user');
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
    } else {
      kind = user !== undefined ? 'userPassword' : 'none';
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
 * Invalid items are skipped with a problem message; a `password` or `token`
 * written into settings is ignored, because secrets belong in secret storage.
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
    const servers =
      typeof rawServers === 'string' || (Array.isArray(rawServers) && rawServers.every((server) => typeof server === 'string'))
        ? parseServerList(rawServers as string | string[])
        : [];
    if (servers.length === 0) {
      problems.push(`${label} has no "servers" (for example ["nats://127.0.0.1:4222"]); it is skipped.`);
      return;
    }
    const badServer = servers.map(checkServerUrl).find((message) => message !== undefined);
    if (badServer !== undefined) {
      problems.push(`${label}: ${badServer} The connection is skipped.`);
      return;
    }

    for (const secretField of ['password', 'token', 'seed']) {
      if (item[secretField] !== undefined) {
        problems.push(`${label}: "${secretField}" in settings is ignored; run "wasmCloud: Add NATS Connection…" to keep it in secret storage.`);
      }
    }

    const auth = settingsAuth(item, label, paths, problems);
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
