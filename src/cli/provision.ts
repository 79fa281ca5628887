import { chmod, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeError } from '../core/log';
import { readCredsText } from '../core/provision/credentials';
import { GITIGNORE_FILE_NAME, planGitignore } from '../core/provision/gitignore';
import { readsCredsFiles } from '../core/provision/host-file';
import { ProvisionError, planProvision, plannedFileNames, type PlannedFile, type ProvisionPlan } from '../core/provision/plan';
import { COMPOSE_FILE_NAME } from '../core/provision/compose';
import { MAX_HOST_FILE_BYTES, findLeftovers, shouldRewriteCompose, staleFileWarnings, type FolderFile } from '../core/provision/stale';
import { DEFAULT_SERVER, KEY_STRATEGIES, MAX_HOSTS, hostNamesForCount, parseServerUrls, validateHostNames, validateLatticeName, type Credentials, type KeyStrategy, type NatsServer, type ProvisionRequest } from '../core/provision/request';
import { gitStatus } from '../core/rules/environment';
import { HOST_PROFILES, type HostProfile } from '../core/rules/variables';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliCommand, type CliIo } from './command';

const DEFAULT_HOST_VERSION: HostProfile = '0.8x';

const USAGE = `Usage:
  wasmcloud-lattice provision --lattice NAME --hosts N [--names a,b,…]
      [--strategy shared|per-host] [--server URL] [--host-version otp|0.8x|1.x]
      [--creds FILE] [--provider-creds FILE] [--out DIR] [--compose]
      [--gitignore] [--force]

Write one <host>.env file per host of a new lattice: the same lattice name
and cluster issuers on every host, a cluster seed per host, and the NATS
server settings. The files lint clean with 'wasmcloud-lattice lint'.

Options:
  --lattice NAME          Lattice name: letters, digits, '_' and '-'.
  --hosts N               Number of hosts, 1 to ${MAX_HOSTS}. Hosts are named host-1 … host-N
                          unless --names is given.
  --names a,b,…           Host names, comma-separated; they name the files. With
                          --hosts, the counts must match.
  --strategy STRATEGY     shared (default): one cluster seed for every host.
                          per-host: a seed per host, with every host's public key
                          in each host's issuers, so one host can be revoked.
  --server URL            NATS server, such as nats://127.0.0.1:4222 (the default)
                          or tls://nats.example:4222. Repeat the option or separate
                          URLs with commas to spread the hosts over servers in turn.
  --host-version VERSION  Host version: otp (0.50–0.63), 0.8x (0.78–0.82, the
                          default) or 1.x. 1.x hosts use no cluster keys, so their
                          files set only the lattice and the NATS settings.
  --creds FILE            NATS creds file for the RPC, control and provider
                          connections. 1.x files name the file; files for older
                          hosts, which read no creds files, get its JWT and seed.
  --provider-creds FILE   A separate creds file for capability providers (OTP and
                          0.8x hosts; 1.x hosts give providers the RPC connection).
  --out DIR               Folder for the files (default: the current folder). It is
                          created when missing.
  --compose               Also write docker-compose.yml with nats-server (JetStream)
                          and one container per host.
  --gitignore             Add the host files to DIR/.gitignore, since they hold seeds.
  --force                 Overwrite files that already exist.
  -h, --help              Show this help

Seeds are written only to the files, never to the output. Host files are
created readable by their owner only. Other host files in DIR, which the new
plan leaves, are named in a warning, and a docker-compose.yml that an earlier
run wrote is rewritten for the new hosts.

Exit codes: 0 files written, 1 a file exists and --force was not given,
2 usage error or a file that could not be written.
`;

interface ProvisionArgs {
  lattice?: string;
  hosts?: string;
  names?: string;
  strategy: KeyStrategy;
  servers: string[];
  hostVersion: HostProfile;
  creds?: string;
  providerCreds?: string;
  out: string;
  compose: boolean;
  gitignore: boolean;
  force: boolean;
}

const VALUE_FLAGS = ['--lattice', '--hosts', '--names', '--strategy', '--server', '--host-version', '--creds', '--provider-creds', '--out'] as const;

function parseArgs(args: readonly string[]): ProvisionArgs {
  const parsed: ProvisionArgs = { strategy: 'shared', servers: [], hostVersion: DEFAULT_HOST_VERSION, out: '.', compose: false, gitignore: false, force: false };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--compose' || flag === '--gitignore' || flag === '--force') {
      if (inline !== undefined) {
        throw new UsageError(`${flag} takes no value. Remove '=${inline}'.`);
      }
      if (flag === '--compose') {
        parsed.compose = true;
      } else if (flag === '--gitignore') {
        parsed.gitignore = true;
      } else {
        parsed.force = true;
      }
      continue;
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) {
      throw new UsageError(arg.startsWith('-') ? `Unknown option '${arg}'.` : `Unexpected argument '${arg}'. Every value follows an option, such as --lattice ${arg}.`);
    }
    const value = inline ?? args[++index];
    if (value === undefined) {
      throw new UsageError(`${flag} needs a value.`);
    }
    applyValue(parsed, flag as (typeof VALUE_FLAGS)[number], value);
  }
  return parsed;
}

function applyValue(parsed: ProvisionArgs, flag: (typeof VALUE_FLAGS)[number], value: string): void {
  switch (flag) {
    case '--lattice':
      parsed.lattice = value;
      break;
    case '--hosts':
      parsed.hosts = value;
      break;
    case '--names':
      parsed.names = value;
      break;
    case '--strategy':
      if (!(KEY_STRATEGIES as readonly string[]).includes(value)) {
        throw new UsageError(`--strategy must be shared or per-host, not '${value}'.`);
      }
      parsed.strategy = value as KeyStrategy;
      break;
    case '--server':
      parsed.servers.push(value);
      break;
    case '--host-version':
      if (!(HOST_PROFILES as readonly string[]).includes(value)) {
        throw new UsageError(`--host-version must be one of ${HOST_PROFILES.join(', ')}, not '${value}'.`);
      }
      parsed.hostVersion = value as HostProfile;
      break;
    case '--creds':
      parsed.creds = value;
      break;
    case '--provider-creds':
      parsed.providerCreds = value;
      break;
    case '--out':
      parsed.out = value;
      break;
  }
}

function hostNames(args: ProvisionArgs): string[] {
  let count: number | undefined;
  if (args.hosts !== undefined) {
    if (!/^\d+$/.test(args.hosts) || Number(args.hosts) < 1 || Number(args.hosts) > MAX_HOSTS) {
      throw new UsageError(`--hosts must be a whole number from 1 to ${MAX_HOSTS}, not '${args.hosts}'.`);
    }
    count = Number(args.hosts);
  }
  if (args.names === undefined) {
    if (count === undefined) {
      throw new UsageError('Missing --hosts. Give the number of hosts, such as --hosts 3, or their names with --names east,west.');
    }
    return hostNamesForCount(count);
  }
  const names = args.names.split(',').map((name) => name.trim());
  const problem = validateHostNames(names, args.compose);
  if (problem !== undefined) {
    throw new UsageError(`--names: ${problem}`);
  }
  if (count !== undefined && count !== names.length) {
    throw new UsageError(`--hosts ${count} does not match the ${names.length} names in --names. Drop --hosts or give ${count} names.`);
  }
  return names;
}

function servers(args: ProvisionArgs): NatsServer[] {
  if (args.servers.length === 0) {
    return [DEFAULT_SERVER];
  }
  const parsed = parseServerUrls(args.servers.join(','), 'give the credentials with --creds instead');
  if ('error' in parsed) {
    throw new UsageError(`--server: ${parsed.error}`);
  }
  return parsed.servers;
}

async function credentialsFromFile(flag: string, file: string, hostVersion: HostProfile): Promise<Credentials> {
  const absolute = path.resolve(file);
  if (readsCredsFiles(hostVersion)) {
    // The .env file may live in another folder than the current one, so it names the file by its absolute path.
    try {
      await stat(absolute);
    } catch {
      throw new UsageError(`${flag}: no file exists at ${absolute}. Give the path of a .creds file that nsc wrote.`);
    }
    return { kind: 'creds-file', path: absolute };
  }
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag}: reading ${absolute} failed: ${describeError(error)}.`);
  }
  const read = readCredsText(text);
  if ('error' in read) {
    throw new UsageError(`${flag}: ${absolute}: ${read.error}`);
  }
  return { kind: 'jwt', jwt: read.jwt, seed: read.seed };
}

async function buildRequest(args: ProvisionArgs): Promise<ProvisionRequest> {
  if (args.lattice === undefined) {
    throw new UsageError('Missing --lattice. Give the lattice name, such as --lattice prod.');
  }
  const latticeProblem = validateLatticeName(args.lattice);
  if (latticeProblem !== undefined) {
    throw new UsageError(`--lattice: ${latticeProblem}`);
  }
  const hosts = hostNames(args);
  if (args.providerCreds !== undefined && args.hostVersion === '1.x') {
    throw new UsageError('--provider-creds: 1.x hosts give capability providers the RPC connection, so providers cannot have their own creds. Drop --provider-creds or use --creds.');
  }
  const shared: Credentials = args.creds === undefined ? { kind: 'none' } : await credentialsFromFile('--creds', args.creds, args.hostVersion);
  const providers = args.providerCreds === undefined ? undefined : await credentialsFromFile('--provider-creds', args.providerCreds, args.hostVersion);
  return {
    lattice: args.lattice,
    hosts,
    strategy: args.strategy,
    servers: servers(args),
    hostVersion: args.hostVersion,
    credentials: { rpc: shared, ctl: shared, ...(providers === undefined ? {} : { providers }) },
    compose: args.compose,
  };
}

async function existingFiles(folder: string, names: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const name of names) {
    try {
      await stat(path.join(folder, name));
      found.push(name);
    } catch {
      // Missing: it can be written.
    }
  }
  return found;
}

async function writePlannedFile(folder: string, file: PlannedFile, force: boolean, secret: boolean): Promise<void> {
  const target = path.join(folder, file.fileName);
  // 'wx' fails when the file appeared after the check, so nothing is overwritten without --force.
  await writeFile(target, file.text, { flag: force ? 'w' : 'wx', mode: secret ? 0o600 : 0o644 });
  if (secret) {
    // The mode above applies only to new files.
    await chmod(target, 0o600);
  }
}

async function addToGitignore(folder: string, plan: ProvisionPlan, io: CliIo): Promise<void> {
  const file = path.join(folder, GITIGNORE_FILE_NAME);
  let current: string | undefined;
  try {
    current = await readFile(file, 'utf8');
  } catch {
    current = undefined;
  }
  const next = planGitignore(current, plan.hostFiles.map((hostFile) => hostFile.fileName));
  if (next === undefined) {
    io.stdout.write(`${file} already lists the host files.\n`);
    return;
  }
  await writeFile(file, next);
  io.stdout.write(`Added the host files to ${file}.\n`);
}

/** Throws a UsageError when `folder`, or a folder above it, is a file. */
async function checkOutFolder(folder: string, outArgument: string): Promise<void> {
  for (let current = folder; ; current = path.dirname(current)) {
    let isDirectory: boolean | undefined;
    try {
      isDirectory = (await stat(current)).isDirectory();
    } catch {
      isDirectory = undefined;
    }
    if (isDirectory === false) {
      throw new UsageError(current === folder ? `--out ${outArgument} is a file, not a folder. Give a folder for the host files.` : `--out ${outArgument} is inside ${current}, which is a file, not a folder. Give a folder for the host files.`);
    }
    if (isDirectory === true || path.dirname(current) === current) {
      return;
    }
  }
}

/** Reads the `.env` files and the compose file in `folder`; a missing folder has none. */
async function readFolderFiles(folder: string): Promise<FolderFile[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const files: FolderFile[] = [];
  for (const name of names.filter((candidate) => candidate.endsWith('.env') || candidate === COMPOSE_FILE_NAME)) {
    try {
      const file = path.join(folder, name);
      const info = await stat(file);
      if (info.isFile() && info.size <= MAX_HOST_FILE_BYTES) {
        files.push({ name, text: await readFile(file, 'utf8') });
      }
    } catch {
      // An unreadable file is no host file this tool can check.
    }
  }
  return files;
}

async function run(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  let request = await buildRequest(parsed);
  const folder = path.resolve(parsed.out);
  await checkOutFolder(folder, parsed.out);

  // A compose file from an earlier run would still start the old hosts, so it is rewritten with the host files.
  const folderFiles = await readFolderFiles(folder);
  const rewriteCompose = shouldRewriteCompose(folderFiles, request);
  if (rewriteCompose) {
    request = { ...request, compose: true };
  }
  let plan: ProvisionPlan;
  try {
    plan = planProvision(request);
  } catch (error) {
    if (error instanceof ProvisionError) {
      throw new UsageError(error.message);
    }
    throw error;
  }

  const names = plannedFileNames(plan);
  if (!parsed.force) {
    const existing = await existingFiles(folder, names);
    if (existing.length > 0) {
      io.stderr.write(`wasmcloud-lattice provision: ${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} in ${folder}. Nothing was written. Pass --force to overwrite, or choose another --out.\n`);
      return EXIT_FINDINGS;
    }
  }

  try {
    await mkdir(folder, { recursive: true });
    for (const file of plan.hostFiles) {
      await writePlannedFile(folder, file, parsed.force, file.text.includes('_SEED='));
    }
    if (plan.compose !== undefined) {
      await writePlannedFile(folder, plan.compose, parsed.force, false);
    }
  } catch (error) {
    io.stderr.write(`wasmcloud-lattice provision: writing to ${folder} failed: ${describeError(error)}\n`);
    return EXIT_USAGE;
  }

  io.stdout.write(`Wrote ${names.join(', ')} to ${folder} for lattice '${plan.lattice}'.\n`);
  if (rewriteCompose) {
    io.stdout.write(`${COMPOSE_FILE_NAME} was written by an earlier provision run, so it was rewritten to start the new hosts.\n`);
  }
  const leftovers = findLeftovers(folderFiles, plan);
  for (const warning of staleFileWarnings(folder, plan.lattice, leftovers.stale, leftovers.composeLeft, 'Update it, or pass --compose --force to replace it.')) {
    io.stderr.write(`warning: ${warning}\n`);
  }
  for (const key of plan.clusterKeys) {
    io.stdout.write(`Cluster public key ${key.publicKey}: ${key.hosts.join(', ')}\n`);
  }
  for (const note of plan.notes) {
    io.stdout.write(`${note}\n`);
  }

  if (parsed.gitignore) {
    await addToGitignore(folder, plan, io);
  } else if (plan.hostFiles.some((file) => file.text.includes('_SEED='))) {
    const status = await gitStatus(path.join(folder, plan.hostFiles[0].fileName));
    if (status === 'untracked' || status === 'tracked') {
      io.stderr.write(`warning: git does not ignore the host files, which hold seeds. Add them to .gitignore before you commit, as --gitignore does.\n`);
    }
  }
  return EXIT_OK;
}

export const provisionCommand: CliCommand = {
  name: 'provision',
  summary: 'Write the host .env files (and docker-compose.yml) of a new lattice',
  usage: USAGE,
  run,
};
