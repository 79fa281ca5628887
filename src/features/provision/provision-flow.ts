import * as vscode from 'vscode';
import { usesClusterKeys } from '../../core/provision/host-file';
import { parseHostNames, parseServerUrls, validateHostNames, validateLatticeName, type ConnectionCredentials, type KeyStrategy, type NatsServer } from '../../core/provision/request';
import { PROFILE_LABELS, type HostProfile } from '../../core/rules/variables';
import type { Prompter } from '../shared/prompter';
import { askCredentials } from './credentials-step';
import { inGitWorkTree } from './write-files';
import { answerOf, runSteps, type Step, type StepResult } from './steps';

export const FLOW_TITLE = 'Provision Lattice';
const TOTAL_STEPS = 7;

/** Answers the flow collects; earlier answers are kept when the user goes back. */
export interface ProvisionAnswers {
  hostVersion?: HostProfile;
  lattice?: string;
  hostsInput?: string;
  hosts?: string[];
  strategy?: KeyStrategy;
  serversInput?: string;
  servers?: NatsServer[];
  credentials?: ConnectionCredentials;
  folder?: vscode.Uri;
  compose: boolean;
  /** Whether to add the host files to .gitignore. It follows the folder (on inside a git repository) until the user toggles it. */
  gitignore: boolean;
  gitignoreChosen?: boolean;
  storeSeeds: boolean;
}

/** Choices the walkthrough's "choose" steps remember as the flow's first answers. */
export interface ProvisionDefaults {
  readonly strategy?: KeyStrategy;
  readonly lattice?: string;
}

interface VersionItem extends vscode.QuickPickItem {
  readonly hostVersion: HostProfile;
}

interface StrategyItem extends vscode.QuickPickItem {
  readonly strategy: KeyStrategy;
}

interface ReviewItem extends vscode.QuickPickItem {
  readonly action: 'folder' | 'compose' | 'gitignore' | 'store' | 'write';
}

export const STRATEGY_ITEMS: readonly StrategyItem[] = [
  {
    strategy: 'shared',
    label: 'One shared cluster seed',
    description: 'simplest',
    detail: 'Every host signs with the same seed and lists its one public key. Revoking a host means rotating the key on every host.',
  },
  {
    strategy: 'per-host',
    label: 'One seed per host',
    description: 'revocable',
    detail: "Each host signs with its own seed, and every host's public key is in each host's issuers, so removing one key revokes one host.",
  },
];

const VERSION_ITEMS: readonly VersionItem[] = [
  { hostVersion: '1.x', label: '1.x', description: PROFILE_LABELS['1.x'], detail: 'Joins the lattice named in WASMCLOUD_LATTICE. 1.x hosts use no cluster keys, so the files have none.' },
  { hostVersion: '0.8x', label: '0.8x', description: 'Rust hosts 0.78–0.82', detail: 'WASMCLOUD_LATTICE_PREFIX, cluster seed and issuers, RPC and control connections.' },
  { hostVersion: 'otp', label: 'otp', description: 'Elixir/OTP hosts 0.50–0.63', detail: 'WASMCLOUD_LATTICE_PREFIX, cluster seed and issuers, RPC, control and provider connections.' },
];

/**
 * Runs the seven steps of Provision Lattice: host version, lattice name,
 * hosts, key strategy, NATS servers, credentials, then a review where the
 * folder and the extra files are chosen. Returns the answers, or undefined
 * when the user cancelled. With `previous`, it starts at the review step.
 */
export async function askProvisionAnswers(prompter: Prompter, defaults: ProvisionDefaults, defaultFolder: vscode.Uri | undefined, previous?: ProvisionAnswers): Promise<ProvisionAnswers | undefined> {
  const answers: ProvisionAnswers = previous ?? { compose: false, gitignore: false, storeSeeds: false, ...(defaults.lattice === undefined ? {} : { lattice: defaults.lattice }) };
  const options = (step: number): { title: string; step: number; totalSteps: number; canGoBack: true } => ({ title: FLOW_TITLE, step, totalSteps: TOTAL_STEPS, canGoBack: true });

  const steps: Step<ProvisionAnswers>[] = [
    async (state, step) => {
      const answer = answerOf(await prompter.pick(VERSION_ITEMS, { ...options(step), placeholder: 'Which wasmCloud host version will run these files?' }));
      if ('result' in answer) {
        return answer.result;
      }
      state.hostVersion = answer.value.hostVersion;
      return 'next';
    },
    async (state, step) => {
      const answer = answerOf(
        await prompter.input({
          ...options(step),
          prompt: `Lattice name (${state.hostVersion === '1.x' ? 'WASMCLOUD_LATTICE' : 'WASMCLOUD_LATTICE_PREFIX'}): letters, digits, '_' and '-'`,
          placeholder: 'prod',
          value: state.lattice ?? '',
          validate: (value) => validateLatticeName(value.trim()),
        }),
      );
      if ('result' in answer) {
        return answer.result;
      }
      state.lattice = answer.value.trim();
      return 'next';
    },
    async (state, step) => {
      const answer = answerOf(
        await prompter.input({
          ...options(step),
          prompt: 'Host names separated by commas, or a number of hosts. Each host gets <name>.env.',
          placeholder: 'east,west or 3',
          value: state.hostsInput ?? '3',
          validate: (value) => errorOf(parseHostNames(value)),
        }),
      );
      if ('result' in answer) {
        return answer.result;
      }
      const parsed = parseHostNames(answer.value);
      if ('error' in parsed) {
        return 'cancel';
      }
      state.hostsInput = answer.value;
      state.hosts = parsed.names;
      return 'next';
    },
    async (state, step) => strategyStep(prompter, state, options(step), defaults.strategy),
    async (state, step) => {
      const answer = answerOf(
        await prompter.input({
          ...options(step),
          prompt: 'NATS server URLs, separated by commas. Each host connects to one server; with several, hosts take them in turn.',
          placeholder: 'nats://127.0.0.1:4222',
          value: state.serversInput ?? 'nats://127.0.0.1:4222',
          validate: (value) => errorOf(parseServerUrls(value)),
        }),
      );
      if ('result' in answer) {
        return answer.result;
      }
      const parsed = parseServerUrls(answer.value);
      if ('error' in parsed) {
        return 'cancel';
      }
      state.serversInput = answer.value;
      state.servers = parsed.servers;
      return 'next';
    },
    async (state, step) => {
      const answer = await askCredentials({
        prompter,
        title: FLOW_TITLE,
        step,
        totalSteps: TOTAL_STEPS,
        hostVersion: state.hostVersion ?? '1.x',
        ...(defaultFolder === undefined ? {} : { baseFolder: workspaceFolderPath() }),
      });
      if ('result' in answer) {
        return answer.result;
      }
      state.credentials = answer.credentials;
      return 'next';
    },
    async (state, step) => reviewStep(prompter, state, options(step), defaultFolder),
  ];

  // With earlier answers, the flow resumes at the review step.
  return (await runSteps(answers, steps, previous === undefined ? 0 : steps.length - 1)) ? answers : undefined;
}

async function strategyStep(prompter: Prompter, state: ProvisionAnswers, options: { title: string; step: number; totalSteps: number; canGoBack: true }, preferred: KeyStrategy | undefined): Promise<StepResult> {
  if (state.hostVersion !== undefined && !usesClusterKeys(state.hostVersion)) {
    // 1.x hosts have no cluster keys, so the step only states that, and Back still works.
    const item: vscode.QuickPickItem = { label: 'No cluster keys', detail: '1.x hosts ignore WASMCLOUD_CLUSTER_SEED and WASMCLOUD_CLUSTER_ISSUERS, so the files set neither. Continue.' };
    const answer = answerOf(await prompter.pick([item], { ...options, placeholder: '1.x hosts use no cluster keys' }));
    if ('result' in answer) {
      return answer.result;
    }
    state.strategy = 'shared';
    return 'next';
  }
  const items = preferred === undefined ? STRATEGY_ITEMS : [...STRATEGY_ITEMS].sort((a, b) => Number(b.strategy === preferred) - Number(a.strategy === preferred));
  const answer = answerOf(await prompter.pick(items, { ...options, placeholder: 'How do the hosts share cluster keys?', matchOnDetail: true }));
  if ('result' in answer) {
    return answer.result;
  }
  state.strategy = answer.value.strategy;
  return 'next';
}

async function reviewStep(prompter: Prompter, state: ProvisionAnswers, options: { title: string; step: number; totalSteps: number; canGoBack: true }, defaultFolder: vscode.Uri | undefined): Promise<StepResult> {
  state.folder ??= defaultFolder === undefined || state.lattice === undefined ? undefined : vscode.Uri.joinPath(defaultFolder, state.lattice);
  const hostCount = state.hosts?.length ?? 0;
  const clusterKeys = state.hostVersion !== undefined && usesClusterKeys(state.hostVersion);
  const userSeeds = [state.credentials?.rpc, state.credentials?.ctl, state.credentials?.providers].some((credentials) => credentials?.kind === 'jwt');
  // Only a folder in a git repository has a .gitignore to update, so the option is on by default only there.
  let inRepository = state.folder === undefined ? undefined : await inGitWorkTree(state.folder);
  const followFolder = async (): Promise<void> => {
    inRepository = state.folder === undefined ? undefined : await inGitWorkTree(state.folder);
    if (state.gitignoreChosen !== true) {
      state.gitignore = inRepository === true;
    }
  };
  if (state.gitignoreChosen !== true) {
    state.gitignore = inRepository === true;
  }

  for (;;) {
    const items: ReviewItem[] = [
      {
        action: 'write',
        label: `$(save) Write ${hostCount} host file${hostCount === 1 ? '' : 's'}${state.compose ? ' and docker-compose.yml' : ''}`,
        detail: state.folder === undefined ? 'Choose a folder first.' : `Into ${displayPath(state.folder)}`,
      },
      { action: 'folder', label: '$(folder) Change Folder…', detail: state.folder === undefined ? 'No folder chosen' : displayPath(state.folder) },
      { action: 'compose', label: `${checkbox(state.compose)} Also write docker-compose.yml`, detail: 'nats-server with JetStream and one container per host, each reading its .env file.' },
    ];
    if (clusterKeys || userSeeds) {
      items.push({
        action: 'gitignore',
        label: `${checkbox(state.gitignore)} Add the host files to .gitignore`,
        detail: inRepository === false ? 'Off by default: the folder is not in a git repository, so there is no .gitignore to update.' : 'They hold seeds, so git should never commit them.',
      });
    }
    if (clusterKeys) {
      items.push({ action: 'store', label: `${checkbox(state.storeSeeds)} Store the cluster seeds in secret storage`, detail: 'Keeps a copy under Manage Stored Keys, for rotations and new hosts.' });
    }

    const answer = answerOf(await prompter.pick(items, { ...options, placeholder: 'Select an option to change it, or write the files' }));
    if ('result' in answer) {
      return answer.result;
    }
    switch (answer.value.action) {
      case 'write': {
        if (state.folder === undefined) {
          state.folder = await prompter.pickFolder({ title: 'Folder for the host files' });
          await followFolder();
          continue;
        }
        const problem = state.compose ? validateHostNames(state.hosts ?? [], true) : undefined;
        if (problem !== undefined) {
          await prompter.notify('error', problem);
          continue;
        }
        return 'next';
      }
      case 'folder': {
        const picked = await prompter.pickFolder({ title: 'Folder for the host files', ...(state.folder === undefined ? {} : { defaultUri: state.folder }) });
        state.folder = picked ?? state.folder;
        await followFolder();
        continue;
      }
      case 'compose':
        state.compose = !state.compose;
        continue;
      case 'gitignore':
        state.gitignore = !state.gitignore;
        state.gitignoreChosen = true;
        continue;
      case 'store':
        state.storeSeeds = !state.storeSeeds;
        continue;
    }
  }
}

function checkbox(checked: boolean): string {
  return checked ? '$(pass-filled)' : '$(circle-large-outline)';
}

function displayPath(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri, true) : uri.toString();
}

function workspaceFolderPath(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder?.scheme === 'file' ? folder.fsPath : undefined;
}

function errorOf(result: { error: string } | object): string | undefined {
  return 'error' in result ? (result as { error: string }).error : undefined;
}

/** Folder name for the review step's default, inside the first workspace folder. */
export function defaultProvisionFolder(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}
