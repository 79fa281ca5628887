import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { readCredsText, validateUserJwt, validateUserSeed } from '../../core/provision/credentials';
import { connectionSlots, readsCredsFiles, type ConnectionSlot } from '../../core/provision/host-file';
import type { ConnectionCredentials, Credentials } from '../../core/provision/request';
import { credsProblem } from '../../core/rules/environment';
import { PROFILE_LABELS, type HostProfile } from '../../core/rules/variables';
import type { Prompter } from '../shared/prompter';
import { answerOf, type StepResult } from './steps';

/** Layout of NATS users over the hosts' connections. */
type UserLayout = 'none' | 'one' | 'hosts-and-providers' | 'per-connection';

interface LayoutItem extends vscode.QuickPickItem {
  readonly layout: UserLayout;
}

/** One NATS user to ask for, and the connections that use it. */
interface UserSlot {
  readonly label: string;
  readonly connections: readonly ConnectionSlot['id'][];
}

interface SourceItem extends vscode.QuickPickItem {
  readonly source: 'creds-file' | 'jwt';
}

/** Largest creds file read; nsc writes them under 2 KB. */
const MAX_CREDS_BYTES = 64 * 1024;

export interface CredentialsStepOptions {
  readonly prompter: Prompter;
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
  readonly hostVersion: HostProfile;
  /** Folder that relative creds file paths are resolved against. */
  readonly baseFolder?: string;
  readonly previous?: ConnectionCredentials;
}

/**
 * Asks how the hosts authenticate to NATS, then for each NATS user a creds
 * file or a JWT and seed. Back on the first question returns 'back'. Hosts
 * before 1.x read no creds files, so for them a creds file is read and its
 * JWT and seed are used.
 */
export async function askCredentials(options: CredentialsStepOptions): Promise<{ result: 'back' | 'cancel' } | { credentials: ConnectionCredentials }> {
  const { prompter, hostVersion } = options;
  const slots = connectionSlots(hostVersion);
  const hasProviders = slots.some((slot) => slot.id === 'providers');
  const stepOptions = { title: options.title, step: options.step, totalSteps: options.totalSteps, canGoBack: true as const };

  const layouts: LayoutItem[] = [
    { layout: 'none', label: 'No authentication', detail: 'The NATS server accepts the hosts without credentials.' },
    { layout: 'one', label: 'One NATS user for every connection', detail: hasProviders ? 'RPC, control interface and capability providers use the same user.' : 'RPC and the control interface use the same user. 1.x hosts give providers the RPC connection.' },
  ];
  if (hasProviders) {
    layouts.push({ layout: 'hosts-and-providers', label: 'One user for the hosts, another for capability providers', detail: 'RPC and control share a user; providers connect as their own user.' });
  }
  layouts.push({ layout: 'per-connection', label: 'A user per connection', detail: slots.map((slot) => slot.label).join(', ') });

  for (;;) {
    const layoutAnswer = answerOf(await prompter.pick(layouts, { ...stepOptions, placeholder: 'How do the hosts authenticate to NATS?' }));
    if ('result' in layoutAnswer) {
      return layoutAnswer;
    }
    const layout = layoutAnswer.value.layout;
    const users = userSlots(layout, slots);

    // One question per user. Back on the first user returns to the layout question.
    const answers: Credentials[] = [];
    let index = 0;
    while (index >= 0 && index < users.length) {
      const answer = await askUser(options, users[index]);
      if ('credentials' in answer) {
        answers[index] = answer.credentials;
        index++;
      } else if (answer.result === 'cancel') {
        return { result: 'cancel' };
      } else {
        index--;
      }
    }
    if (index < 0) {
      continue;
    }
    return { credentials: credentialsByConnection(layout, users, answers) };
  }
}

function credentialsByConnection(layout: UserLayout, users: readonly UserSlot[], answers: readonly Credentials[]): ConnectionCredentials {
  const byConnection = new Map<ConnectionSlot['id'], Credentials>();
  users.forEach((user, index) => user.connections.forEach((connection) => byConnection.set(connection, answers[index])));
  const none: Credentials = { kind: 'none' };
  // With one user, providers reuse the RPC credentials, which the planner does by default.
  const providers = layout === 'one' ? undefined : byConnection.get('providers');
  return { rpc: byConnection.get('rpc') ?? none, ctl: byConnection.get('ctl') ?? none, ...(providers === undefined ? {} : { providers }) };
}

function userSlots(layout: UserLayout, slots: readonly ConnectionSlot[]): UserSlot[] {
  const ids = slots.map((slot) => slot.id);
  switch (layout) {
    case 'none':
      return [];
    case 'one':
      return [{ label: 'NATS user for every connection', connections: ids }];
    case 'hosts-and-providers':
      return [
        { label: 'NATS user for RPC and the control interface', connections: ['rpc', 'ctl'] },
        { label: 'NATS user for capability providers', connections: ['providers'] },
      ];
    case 'per-connection':
      return slots.map((slot) => ({ label: `NATS user for ${slot.label}`, connections: [slot.id] }));
  }
}

async function askUser(options: CredentialsStepOptions, user: UserSlot): Promise<{ result: StepResult } | { credentials: Credentials }> {
  const { prompter, hostVersion } = options;
  const title = `${options.title}: ${user.label}`;
  const stepOptions = { title, step: options.step, totalSteps: options.totalSteps, canGoBack: true as const };
  const sources: SourceItem[] = [
    {
      source: 'creds-file',
      label: 'Creds file',
      detail: readsCredsFiles(hostVersion) ? 'The host files name the .creds file that nsc wrote.' : `${capitalize(PROFILE_LABELS[hostVersion])} read no creds files, so the file's JWT and seed are written into the host files.`,
    },
    { source: 'jwt', label: 'JWT and seed', detail: 'Paste the user JWT and the user seed (SU…).' },
  ];

  for (;;) {
    const source = answerOf(await prompter.pick(sources, { ...stepOptions, placeholder: 'Where do the credentials come from?' }));
    if ('result' in source) {
      return source;
    }

    if (source.value.source === 'creds-file') {
      const file = answerOf(
        await prompter.input({
          ...stepOptions,
          prompt: 'Path of the NATS creds file (.creds). Relative paths start at the workspace folder.',
          placeholder: '/home/me/.local/share/nats/nsc/keys/creds/operator/account/user.creds',
          validate: (value) => credsFileProblem(resolvePath(value, options.baseFolder)),
        }),
      );
      if ('result' in file) {
        if (file.result === 'back') {
          continue;
        }
        return file;
      }
      const absolute = resolvePath(file.value, options.baseFolder);
      if (readsCredsFiles(hostVersion)) {
        return { credentials: { kind: 'creds-file', path: absolute } };
      }
      const read = readCredsText(readFileSync(absolute, 'utf8'));
      if ('error' in read) {
        continue;
      }
      return { credentials: { kind: 'jwt', jwt: read.jwt, seed: read.seed } };
    }

    const jwt = answerOf(await prompter.input({ ...stepOptions, prompt: 'User JWT (eyJ…), as nsc describe user --raw prints it', validate: (value) => validateUserJwt(value.trim()) }));
    if ('result' in jwt) {
      if (jwt.result === 'back') {
        continue;
      }
      return jwt;
    }
    const seed = answerOf(await prompter.input({ ...stepOptions, prompt: 'User seed (SU…) of the same user. It is written only to the host files.', password: true, validate: (value) => validateUserSeed(value.trim(), jwt.value.trim()) }));
    if ('result' in seed) {
      if (seed.result === 'back') {
        continue;
      }
      return seed;
    }
    return { credentials: { kind: 'jwt', jwt: jwt.value.trim(), seed: seed.value.trim() } };
  }
}

function resolvePath(value: string, baseFolder: string | undefined): string {
  const trimmed = value.trim();
  return baseFolder === undefined ? path.resolve(trimmed) : path.resolve(baseFolder, trimmed);
}

/** Returns why a creds file cannot be used, or undefined. Reads at most 64 KB; never quotes the seed. */
function credsFileProblem(file: string): string | undefined {
  try {
    const info = statSync(file);
    if (!info.isFile()) {
      return `${file} is not a file. Enter the path of a .creds file.`;
    }
    if (info.size > MAX_CREDS_BYTES) {
      return `${file} is ${info.size} bytes, far more than a creds file. Enter the path of the .creds file nsc wrote.`;
    }
  } catch {
    return `No file exists at ${file}. Enter the path of a .creds file.`;
  }
  const problem = credsProblem(readFileSync(file, 'utf8'), Date.now());
  return problem === undefined ? undefined : `${file} is not a usable NATS creds file: ${problem}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
