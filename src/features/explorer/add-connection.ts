import { existsSync, statSync } from 'node:fs';
import * as vscode from 'vscode';
import { readServerList, redactServerUrl, resolveUserPath } from '../../core/nats/profile';
import type { ConnectionSetting, SettingsAuthKind } from '../../core/nats/settings-profiles';
import { BACK, type Prompter } from '../shared/prompter';
import type { ConnectionSources, SettingsTarget } from './connection-sources';

const TITLE = 'Add NATS Connection';
const TOTAL_STEPS = 6;

interface Draft {
  name: string;
  servers: string;
  auth: SettingsAuthKind;
  user: string;
  secret: string;
  file: string;
  tls: 'none' | 'tls' | 'tls-first';
  caFile: string;
  certFile: string;
  keyFile: string;
  target: SettingsTarget;
}

type StepResult = 'next' | 'back' | 'cancel';

function checkFile(value: string, required: boolean, label: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') {
    return required ? `Enter the path of the ${label}.` : undefined;
  }
  const file = resolveUserPath(trimmed, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
  if (!existsSync(file)) {
    return `${file} does not exist.`;
  }
  return statSync(file).isFile() ? undefined : `${file} is not a file.`;
}

/**
 * Runs the multi-step Add NATS Connection flow and returns the saved
 * connection's name, or undefined when cancelled. A password or token goes
 * to SecretStorage; the setting holds only the server, user name and paths.
 */
export async function addConnection(prompter: Prompter, sources: ConnectionSources): Promise<string | undefined> {
  const workspaceOpen = (vscode.workspace.workspaceFolders?.length ?? 0) > 0 && vscode.workspace.isTrusted;
  const draft: Draft = {
    name: '',
    servers: 'nats://127.0.0.1:4222',
    auth: 'none',
    user: '',
    secret: '',
    file: '',
    tls: 'none',
    caFile: '',
    certFile: '',
    keyFile: '',
    target: vscode.ConfigurationTarget.Global,
  };
  const existingNames = new Set(
    [...sources.settingsAt(vscode.ConfigurationTarget.Global), ...sources.settingsAt(vscode.ConfigurationTarget.Workspace)].map((connection) => connection.name),
  );

  const result = (value: string | typeof BACK | undefined, apply: (text: string) => void): StepResult => {
    if (value === undefined) {
      return 'cancel';
    }
    if (value === BACK) {
      return 'back';
    }
    apply(value);
    return 'next';
  };

  const steps: (() => Promise<StepResult>)[] = [
    async () =>
      result(
        await prompter.input({
          title: TITLE,
          step: 1,
          totalSteps: TOTAL_STEPS,
          prompt: 'Name of the connection, shown in the Lattices view',
          value: draft.name,
          placeholder: 'e.g. local, staging',
          canGoBack: false,
          validate: (value) => {
            const name = value.trim();
            if (name === '') {
              return 'Enter a name.';
            }
            if (name.includes('/')) {
              return 'A connection name cannot contain "/".';
            }
            return existingNames.has(name) ? `A connection named "${name}" already exists; choose another name or remove it first.` : undefined;
          },
        }),
        (value) => (draft.name = value.trim()),
      ),
    async () =>
      result(
        await prompter.input({
          title: TITLE,
          step: 2,
          totalSteps: TOTAL_STEPS,
          prompt: 'NATS server URLs, separated by commas',
          value: draft.servers,
          canGoBack: true,
          validate: checkServersInput,
        }),
        (value) => (draft.servers = value),
      ),
    async () => {
      const items: (vscode.QuickPickItem & { auth: SettingsAuthKind })[] = [
        { label: 'No authentication', auth: 'none' },
        { label: 'User and password', description: 'password kept in secret storage', auth: 'userPassword' },
        { label: 'Token', description: 'kept in secret storage', auth: 'token' },
        { label: 'NKey seed file', description: 'a file with a user seed (SU…)', auth: 'nkey' },
        { label: 'Credentials file', description: 'a .creds file with a user JWT and seed', auth: 'creds' },
      ];
      const picked = await prompter.pick(items, { title: TITLE, step: 3, totalSteps: TOTAL_STEPS, placeholder: 'How does this connection authenticate?', canGoBack: true });
      if (picked === undefined) {
        return 'cancel';
      }
      if (picked === BACK) {
        return 'back';
      }
      draft.auth = picked.auth;
      return 'next';
    },
    async () => authDetails(prompter, draft),
    async () => tlsDetails(prompter, draft),
    async () => {
      if (!workspaceOpen) {
        draft.target = vscode.ConfigurationTarget.Global;
        return 'next';
      }
      const items: (vscode.QuickPickItem & { target: SettingsTarget })[] = [
        { label: 'User settings', description: 'available in every workspace', target: vscode.ConfigurationTarget.Global },
        { label: 'Workspace settings', description: 'only in this workspace', target: vscode.ConfigurationTarget.Workspace },
      ];
      const picked = await prompter.pick(items, { title: TITLE, step: 6, totalSteps: TOTAL_STEPS, placeholder: 'Where should the connection be saved?', canGoBack: true });
      if (picked === undefined) {
        return 'cancel';
      }
      if (picked === BACK) {
        return 'back';
      }
      draft.target = picked.target;
      return 'next';
    },
  ];

  let index = 0;
  while (index < steps.length) {
    const outcome = await steps[index]();
    if (outcome === 'cancel') {
      return undefined;
    }
    index = outcome === 'back' ? Math.max(0, index - 1) : index + 1;
  }

  await save(draft, sources);
  return draft.name;
}

/**
 * Checks the servers step. A password or token in a URL is rejected rather
 * than saved, because settings are plain text (and synced, and kept in
 * Local History). The message names the auth step that takes it instead.
 */
function checkServersInput(value: string): string | undefined {
  const list = readServerList(value);
  if (list.problem !== undefined) {
    return list.problem;
  }
  if (list.servers.length === 0) {
    return 'Enter at least one server URL, e.g. nats://127.0.0.1:4222.';
  }
  const withCredentials = value.split(',').find((item) => redactServerUrl(item.trim()) !== item.trim());
  if (list.credentials?.kind === 'user-password') {
    return `Remove the user and password from ${redactServerUrl(withCredentials ?? value)}: settings are not a place for passwords. Choose "User and password" in the next step, and the password goes to secret storage.`;
  }
  if (list.credentials?.kind === 'token') {
    return `Remove the token from ${redactServerUrl(withCredentials ?? value)}: settings are not a place for tokens. Choose "Token" in the next step, and the token goes to secret storage.`;
  }
  return undefined;
}

async function authDetails(prompter: Prompter, draft: Draft): Promise<StepResult> {
  const base = { title: TITLE, step: 4, totalSteps: TOTAL_STEPS, canGoBack: true as const };
  const ask = async (options: Parameters<Prompter['input']>[0], apply: (value: string) => void): Promise<StepResult> => {
    const value = await prompter.input({ ...options, ...base });
    if (value === undefined) {
      return 'cancel';
    }
    if (value === BACK) {
      return 'back';
    }
    apply(value);
    return 'next';
  };

  switch (draft.auth) {
    case 'none':
      return 'next';
    case 'userPassword': {
      const user = await ask({ prompt: 'User name', value: draft.user, validate: (value) => (value.trim() === '' ? 'Enter a user name.' : undefined) }, (value) => {
        draft.user = value.trim();
      });
      if (user !== 'next') {
        return user;
      }
      const password = await ask({ prompt: `Password of ${draft.user} (kept in secret storage, never in settings)`, password: true }, (value) => {
        draft.secret = value;
      });
      // Back from the password goes to the user name, not to the auth kind.
      return password === 'back' ? authDetails(prompter, draft) : password;
    }
    case 'token':
      return ask(
        { prompt: 'Token (kept in secret storage, never in settings)', password: true, validate: (value) => (value === '' ? 'Enter the token.' : undefined) },
        (value) => (draft.secret = value),
      );
    case 'nkey':
      return ask(
        { prompt: 'Path of the user nkey seed file', value: draft.file, placeholder: '~/.nkeys/user.nk', validate: (value) => checkFile(value, true, 'seed file') },
        (value) => (draft.file = value.trim()),
      );
    case 'creds':
      return ask(
        { prompt: 'Path of the credentials (.creds) file', value: draft.file, placeholder: '~/.nats/user.creds', validate: (value) => checkFile(value, true, 'credentials file') },
        (value) => (draft.file = value.trim()),
      );
  }
}

async function tlsDetails(prompter: Prompter, draft: Draft): Promise<StepResult> {
  const items: (vscode.QuickPickItem & { tls: Draft['tls'] })[] = [
    { label: 'No TLS settings', description: 'TLS is still used when the server requires it', tls: 'none' },
    { label: 'TLS', description: 'with a CA and optionally a client certificate', tls: 'tls' },
    { label: 'TLS first', description: 'TLS before the server INFO (nats-server 2.10+ handshake_first)', tls: 'tls-first' },
  ];
  const picked = await prompter.pick(items, { title: TITLE, step: 5, totalSteps: TOTAL_STEPS, placeholder: 'TLS', canGoBack: true });
  if (picked === undefined) {
    return 'cancel';
  }
  if (picked === BACK) {
    return 'back';
  }
  draft.tls = picked.tls;
  if (draft.tls === 'none') {
    return 'next';
  }

  const files: [keyof Pick<Draft, 'caFile' | 'certFile' | 'keyFile'>, string][] = [
    ['caFile', 'CA certificate file to verify the server (empty: the system CAs)'],
    ['certFile', 'Client certificate file (empty: none)'],
    ['keyFile', 'Client key file'],
  ];
  for (const [field, prompt] of files) {
    if (field === 'keyFile' && draft.certFile === '') {
      draft.keyFile = '';
      continue;
    }
    const value = await prompter.input({
      title: TITLE,
      step: 5,
      totalSteps: TOTAL_STEPS,
      prompt,
      value: draft[field],
      canGoBack: true,
      validate: (text) => checkFile(text, field === 'keyFile', 'client key file'),
    });
    if (value === undefined) {
      return 'cancel';
    }
    if (value === BACK) {
      return tlsDetails(prompter, draft);
    }
    draft[field] = value.trim();
  }
  return 'next';
}

async function save(draft: Draft, sources: ConnectionSources): Promise<void> {
  // The servers step rejects URLs with user information, so these are bare URLs.
  const setting: ConnectionSetting = { name: draft.name, servers: readServerList(draft.servers).servers };
  if (draft.auth !== 'none') {
    setting.auth = draft.auth;
  }
  if (draft.auth === 'userPassword') {
    setting.user = draft.user;
  } else if (draft.auth === 'nkey') {
    setting.nkeyFile = draft.file;
  } else if (draft.auth === 'creds') {
    setting.credsFile = draft.file;
  }
  if (draft.tls !== 'none') {
    setting.tls = { handshakeFirst: draft.tls === 'tls-first' };
    for (const field of ['caFile', 'certFile', 'keyFile'] as const) {
      if (draft[field] !== '') {
        setting.tls[field] = draft[field];
      }
    }
  }

  // The secret is stored before the setting, so the first connect finds it.
  await sources.storeSecrets(draft.name, {
    password: draft.auth === 'userPassword' ? draft.secret : undefined,
    token: draft.auth === 'token' ? draft.secret : undefined,
  });
  const existing = sources.settingsAt(draft.target).filter((connection) => connection.name !== draft.name);
  await sources.writeSettings(draft.target, [...existing, setting]);
}
