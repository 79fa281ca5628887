import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { ProfileSecrets } from '../../core/nats/connect-options';
import { readNatsContexts } from '../../core/nats/nats-context';
import { defaultProfile, type ConnectionProfile } from '../../core/nats/profile';
import { profilesFromSettings, type ConnectionSetting } from '../../core/nats/settings-profiles';
import type { ChannelLogger } from '../shared/log';

export const CONFIG_SECTION = 'wasmcloudLattice';
export const CONNECTIONS_SETTING = 'connections';

/** The connections the explorer lists, with what was skipped and why. */
export interface ConnectionList {
  profiles: ConnectionProfile[];
  /** Invalid settings and unreadable NATS contexts, one message each. */
  problems: string[];
  /** True when workspace-level connections exist but were ignored because the workspace is not trusted. */
  untrustedIgnored: boolean;
  /** True when nothing is configured and `profiles` holds only the default server. */
  onlyDefault: boolean;
}

/** Settings level a connection is stored at. */
export type SettingsTarget = vscode.ConfigurationTarget.Global | vscode.ConfigurationTarget.Workspace;

function secretKey(profileName: string, field: 'password' | 'token'): string {
  return `wasmcloudLattice.connection/${profileName}/${field}`;
}

/**
 * Returns whether a workspace settings file (a folder's `.vscode/settings.json`
 * or the `.code-workspace` file) names `wasmcloudLattice.<setting>`. It only
 * reads the files, so it is safe in an untrusted workspace. A name inside a
 * `//` comment line does not count.
 */
async function workspaceSettingsName(setting: string): Promise<boolean> {
  const files = (vscode.workspace.workspaceFolders ?? []).map((folder) => vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'));
  if (vscode.workspace.workspaceFile?.scheme === 'file') {
    files.push(vscode.workspace.workspaceFile);
  }
  const property = new RegExp(`^(?!\\s*//).*"${CONFIG_SECTION}\\.${setting}"\\s*:`, 'm');
  for (const file of files) {
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
      if (property.test(text)) {
        return true;
      }
    } catch {
      // A folder without settings is the usual case.
    }
  }
  return false;
}

/** Returns the secret a settings connection needs from secret storage, or undefined when its auth kind needs none. */
export function secretFieldOf(profile: ConnectionProfile): 'password' | 'token' | undefined {
  if (profile.source !== 'settings') {
    return undefined;
  }
  if (profile.auth.kind === 'user-password') {
    return 'password';
  }
  return profile.auth.kind === 'token' ? 'token' : undefined;
}

/**
 * Collects connection profiles from the `wasmcloudLattice.connections`
 * setting, the user's NATS CLI contexts, and the default local server when
 * there is nothing else. Connections from user and workspace settings are
 * merged: a workspace connection replaces a user connection of the same
 * name, and a problem message in the view reports it. In an untrusted workspace only user settings
 * are read. Passwords and tokens of settings connections are kept in
 * SecretStorage, keyed by connection name.
 */
export class ConnectionSources {
  private last: ConnectionList | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly logger: ChannelLogger,
  ) {}

  /** Reads every source again. Problems are logged once per distinct text. */
  async list(): Promise<ConnectionList> {
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
    const inspected = config.inspect<unknown>(CONNECTIONS_SETTING);
    const trusted = vscode.workspace.isTrusted;
    const workspaceValue = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
    // VS Code leaves a restricted setting's workspace value out of inspect()
    // in an untrusted workspace, so the settings files are searched instead.
    const untrustedIgnored = !trusted && (workspaceValue !== undefined || (await workspaceSettingsName(CONNECTIONS_SETTING)));

    // Relative paths in workspace settings are relative to the first
    // workspace folder; in user settings they are relative to the home folder.
    const fromUser = profilesFromSettings(inspected?.globalValue, { baseDir: homedir() });
    const fromWorkspace =
      trusted && workspaceValue !== undefined ? profilesFromSettings(workspaceValue, { baseDir: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath }) : undefined;

    const problems = [...fromUser.problems, ...(fromWorkspace?.problems ?? [])];
    const profiles: ConnectionProfile[] = [];
    const workspaceNames = new Set(fromWorkspace?.profiles.map((profile) => profile.name) ?? []);
    for (const profile of fromWorkspace?.profiles ?? []) {
      profiles.push({ ...profile, origin: 'workspace settings' });
    }
    for (const profile of fromUser.profiles) {
      if (workspaceNames.has(profile.name)) {
        problems.push(`Connection "${profile.name}" in user settings is hidden by the workspace connection of the same name. Rename one of them to see both.`);
      } else {
        profiles.push({ ...profile, origin: 'user settings' });
      }
    }
    if (config.get<boolean>('explorer.natsContexts', true)) {
      const contexts = await readNatsContexts();
      problems.push(...contexts.problems);
      profiles.push(...contexts.profiles.sort((a, b) => Number(b.selected) - Number(a.selected)));
    }

    const onlyDefault = profiles.length === 0;
    if (onlyDefault) {
      profiles.push(defaultProfile());
    }

    const previous = new Set(this.last?.problems ?? []);
    for (const problem of problems.filter((message) => !previous.has(message))) {
      this.logger.warn(problem);
    }
    this.last = { profiles, problems, untrustedIgnored, onlyDefault };
    return this.last;
  }

  /** Returns the profile with `id` from the last `list()`, reading the sources when there was none. */
  async find(id: string): Promise<ConnectionProfile | undefined> {
    const list = this.last ?? (await this.list());
    return list.profiles.find((profile) => profile.id === id);
  }

  /** Password or token of a settings connection, from SecretStorage. */
  async secretsFor(profile: ConnectionProfile): Promise<ProfileSecrets> {
    if (profile.source !== 'settings') {
      return {};
    }
    const [password, token] = await Promise.all([this.secrets.get(secretKey(profile.name, 'password')), this.secrets.get(secretKey(profile.name, 'token'))]);
    return { password, token };
  }

  /** Stores one secret of a settings connection, leaving the other as it is. */
  async storeSecret(profileName: string, field: 'password' | 'token', value: string): Promise<void> {
    await this.secrets.store(secretKey(profileName, field), value);
  }

  /** Stores or removes the secrets of a settings connection. */
  async storeSecrets(profileName: string, secrets: ProfileSecrets): Promise<void> {
    for (const field of ['password', 'token'] as const) {
      const value = secrets[field];
      if (value === undefined || value === '') {
        await this.secrets.delete(secretKey(profileName, field));
      } else {
        await this.secrets.store(secretKey(profileName, field), value);
      }
    }
  }

  /** Settings connections at `target`, as stored. */
  settingsAt(target: SettingsTarget): ConnectionSetting[] {
    const inspected = vscode.workspace.getConfiguration(CONFIG_SECTION).inspect<unknown>(CONNECTIONS_SETTING);
    const value = target === vscode.ConfigurationTarget.Global ? inspected?.globalValue : inspected?.workspaceValue;
    return Array.isArray(value) ? (value as ConnectionSetting[]) : [];
  }

  /** Writes the connection list at `target`; an empty list removes the setting there. */
  async writeSettings(target: SettingsTarget, connections: ConnectionSetting[]): Promise<void> {
    await vscode.workspace.getConfiguration(CONFIG_SECTION).update(CONNECTIONS_SETTING, connections.length === 0 ? undefined : connections, target);
  }
}
