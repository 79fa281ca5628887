/**
 * Plans the files of a new lattice. Each host gets one `.env` file with the
 * same lattice name and issuers, a cluster seed (shared or its own) and the
 * NATS connection settings. A docker-compose.yml is optional.
 */
import { generateKey, type GeneratedKey } from '../keys/generate';
import { PROFILE_LABELS } from '../rules/variables';
import { COMPOSE_FILE_NAME, renderCompose } from './compose';
import { validateUserJwt, validateUserSeed } from './credentials';
import { connectionSlots, readsCredsFiles, renderHostFile, usesClusterKeys, type ConnectionSlot } from './host-file';
import { formatServer, validateHostNames, validateLatticeName, type Credentials, type ProvisionRequest } from './request';

export interface PlannedFile {
  /** File name inside the output folder, such as `east.env`. */
  readonly fileName: string;
  readonly text: string;
}

export interface PlannedHostFile extends PlannedFile {
  readonly host: string;
  /** Public key of the cluster seed in this file; undefined for 1.x hosts. */
  readonly clusterPublicKey?: string;
}

/** A generated cluster key and the hosts that sign with it. */
export interface PlannedClusterKey extends GeneratedKey {
  /** Name to store the key under, such as `prod-cluster` or `prod-east`. */
  readonly name: string;
  readonly hosts: readonly string[];
}

export interface ProvisionPlan {
  readonly lattice: string;
  readonly hostFiles: readonly PlannedHostFile[];
  readonly compose?: PlannedFile;
  readonly clusterKeys: readonly PlannedClusterKey[];
  /** Sentences for the user about what was left out and why, such as no cluster keys for 1.x hosts. */
  readonly notes: readonly string[];
}

export interface PlanOptions {
  /** Creates cluster key pairs; tests pass their own. */
  readonly generateClusterKey?: () => GeneratedKey;
  /** Date written into the files' header comments. */
  readonly now?: Date;
  readonly eol?: string;
}

/** Thrown for a request that cannot be provisioned. The message names the value and the fix, never a seed. */
export class ProvisionError extends Error {}

/** Returns every problem of a request as a message naming the value and the fix; empty when it can be planned. */
export function validateProvisionRequest(request: ProvisionRequest, now = Date.now()): string[] {
  const problems: string[] = [];
  const latticeProblem = validateLatticeName(request.lattice);
  if (latticeProblem !== undefined) {
    problems.push(latticeProblem);
  }
  const hostsProblem = validateHostNames(request.hosts, request.compose);
  if (hostsProblem !== undefined) {
    problems.push(hostsProblem);
  }
  if (request.servers.length === 0) {
    problems.push('No NATS server is given. Add a server URL such as nats://127.0.0.1:4222.');
  }

  for (const slot of connectionSlots(request.hostVersion)) {
    // Providers without credentials of their own reuse the RPC ones, which are checked once.
    if (slot.id === 'providers' && request.credentials.providers === undefined) {
      continue;
    }
    const credentials = credentialsFor(request, slot);
    const problem = credentialsProblem(credentials, slot, request, now);
    if (problem !== undefined) {
      problems.push(problem);
    }
  }
  if (request.credentials.providers !== undefined && !connectionSlots(request.hostVersion).some((slot) => slot.id === 'providers')) {
    problems.push(`${capitalize(PROFILE_LABELS[request.hostVersion])} give capability providers the host's RPC connection, so they cannot have a NATS user of their own. Use the RPC credentials for providers.`);
  }
  return problems;
}

/**
 * Plans every file of a new lattice. Throws ProvisionError listing every
 * problem when the request is invalid. Cluster keys are generated here, so
 * two calls give different seeds.
 */
export function planProvision(request: ProvisionRequest, options: PlanOptions = {}): ProvisionPlan {
  const problems = validateProvisionRequest(request);
  if (problems.length > 0) {
    throw new ProvisionError(problems.join(' '));
  }
  const created = options.now ?? new Date();
  const profile = request.hostVersion;
  const notes: string[] = [];
  const credentials = {
    rpc: request.credentials.rpc,
    ctl: request.credentials.ctl,
    providers: request.credentials.providers ?? request.credentials.rpc,
  };

  const clusterKeys = usesClusterKeys(profile) ? planClusterKeys(request, options.generateClusterKey ?? (() => generateKey('cluster'))) : [];
  if (!usesClusterKeys(profile)) {
    notes.push(`${capitalize(PROFILE_LABELS[profile])} sign no invocations with cluster keys, so no cluster keys were generated and the files set no seed or issuers.`);
  }
  const issuers = clusterKeys.map((key) => key.publicKey);
  const strategyNote =
    request.strategy === 'shared'
      ? 'Every host of this lattice shares this seed.'
      : "Every host has its own seed, and each host's public key is in every host's issuers: remove a key from all lists to revoke that host.";

  const hostFiles: PlannedHostFile[] = request.hosts.map((host, index) => {
    const server = request.servers[index % request.servers.length];
    const key = clusterKeys.find((candidate) => candidate.hosts.includes(host));
    const text = renderHostFile({
      lattice: request.lattice,
      host,
      profile,
      server,
      ...(key === undefined ? {} : { clusterSeed: key.seed, strategyNote }),
      issuers,
      credentials,
      created,
      ...(options.eol === undefined ? {} : { eol: options.eol }),
    });
    return { host, fileName: hostFileName(host), text, ...(key === undefined ? {} : { clusterPublicKey: key.publicKey }) };
  });
  if (request.servers.length > 1) {
    notes.push(`Hosts connect to one server each, so the ${request.hosts.length} hosts take the ${request.servers.length} servers (${request.servers.map(formatServer).join(', ')}) in turn.`);
  }

  const compose = request.compose
    ? {
        fileName: COMPOSE_FILE_NAME,
        text: renderCompose({
          lattice: request.lattice,
          profile,
          hosts: hostFiles.map((file, index) => ({ host: file.host, fileName: file.fileName, server: request.servers[index % request.servers.length] })),
          credentials,
          created,
        }),
      }
    : undefined;

  return { lattice: request.lattice, hostFiles, ...(compose === undefined ? {} : { compose }), clusterKeys, notes };
}

/** File name of a host's `.env` file. */
export function hostFileName(host: string): string {
  return `${host}.env`;
}

/** Returns every file name a plan writes, host files first. */
export function plannedFileNames(plan: ProvisionPlan): string[] {
  return [...plan.hostFiles.map((file) => file.fileName), ...(plan.compose === undefined ? [] : [plan.compose.fileName])];
}

function planClusterKeys(request: ProvisionRequest, generate: () => GeneratedKey): PlannedClusterKey[] {
  if (request.strategy === 'shared') {
    return [{ ...generate(), name: `${request.lattice}-cluster`, hosts: [...request.hosts] }];
  }
  return request.hosts.map((host) => ({ ...generate(), name: `${request.lattice}-${host}`, hosts: [host] }));
}

function credentialsFor(request: ProvisionRequest, slot: ConnectionSlot): Credentials {
  if (slot.id === 'providers') {
    return request.credentials.providers ?? request.credentials.rpc;
  }
  return request.credentials[slot.id];
}

function credentialsProblem(credentials: Credentials, slot: ConnectionSlot, request: ProvisionRequest, now: number): string | undefined {
  switch (credentials.kind) {
    case 'none':
      return undefined;
    case 'creds-file':
      if (!readsCredsFiles(request.hostVersion)) {
        return `${capitalize(PROFILE_LABELS[request.hostVersion])} read no creds files, so the ${slot.label} connection needs the user JWT and seed. Give the JWT and seed, or the creds file to read them from.`;
      }
      return credentials.path.trim() === '' || /[\r\n]/.test(credentials.path) ? `The creds file path for the ${slot.label} connection is empty or spans lines. Give the path of a .creds file.` : undefined;
    case 'jwt': {
      const jwtProblem = validateUserJwt(credentials.jwt, now);
      if (jwtProblem !== undefined) {
        return `The JWT for the ${slot.label} connection is not usable. ${jwtProblem}`;
      }
      const seedProblem = validateUserSeed(credentials.seed, credentials.jwt, now);
      return seedProblem === undefined ? undefined : `The seed for the ${slot.label} connection is not usable. ${seedProblem}`;
    }
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
