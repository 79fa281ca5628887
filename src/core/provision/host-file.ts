/**
 * Writes the text of one host `.env` file. Variable names come from the
 * rules' table of what each host version reads, so a provisioned file never
 * sets a variable its hosts ignore.
 */
import { CLUSTER_ISSUERS_VARIABLE, CLUSTER_SEED_VARIABLE } from '../keys/env-file';
import { PROFILE_LABELS, findHostVariable, latticeVariables, type HostProfile } from '../rules/variables';
import type { Credentials, NatsServer } from './request';

/** A host connection and the prefix of its variables. */
export interface ConnectionSlot {
  readonly id: 'rpc' | 'ctl' | 'providers';
  readonly prefix: string;
  readonly label: string;
}

export const CONNECTION_SLOTS: readonly ConnectionSlot[] = [
  { id: 'rpc', prefix: 'WASMCLOUD_RPC', label: 'RPC' },
  { id: 'ctl', prefix: 'WASMCLOUD_CTL', label: 'control interface' },
  { id: 'providers', prefix: 'WASMCLOUD_PROV_RPC', label: 'capability providers' },
];

/** Whether any release of a host version reads `name`, per the rules' variable table. */
export function versionReads(profile: HostProfile, name: string): boolean {
  const variable = findHostVariable(name);
  return variable !== undefined && variable.read[profile] !== 'none';
}

/** The connections whose variables a host version reads: 1.x hosts give providers the RPC connection. */
export function connectionSlots(profile: HostProfile): ConnectionSlot[] {
  return CONNECTION_SLOTS.filter((slot) => versionReads(profile, `${slot.prefix}_HOST`));
}

/** Whether a host version reads creds files for a connection (only 1.x hosts do). */
export function readsCredsFiles(profile: HostProfile): boolean {
  return versionReads(profile, 'WASMCLOUD_RPC_CREDS');
}

/** Whether a host version signs invocations with cluster keys (every version before 1.x). */
export function usesClusterKeys(profile: HostProfile): boolean {
  return versionReads(profile, CLUSTER_SEED_VARIABLE);
}

/** The variable that names the lattice for a host version. */
export function latticeVariable(profile: HostProfile): string {
  return latticeVariables(profile)[0];
}

export interface HostFileInput {
  readonly lattice: string;
  readonly host: string;
  readonly profile: HostProfile;
  readonly server: NatsServer;
  /** Cluster seed of this host; undefined for 1.x hosts. */
  readonly clusterSeed?: string;
  /** Every cluster public key the host accepts, in order. */
  readonly issuers: readonly string[];
  /** Describes the key strategy in the file's header comment. */
  readonly strategyNote?: string;
  readonly credentials: Readonly<Record<ConnectionSlot['id'], Credentials>>;
  readonly created: Date;
  readonly eol?: string;
}

/** Renders a host `.env` file: a header comment, the lattice, the cluster keys, then one block per NATS connection. */
export function renderHostFile(input: HostFileInput): string {
  const { profile } = input;
  const lines: string[] = [
    `# wasmCloud host '${input.host}' of lattice '${input.lattice}', for ${PROFILE_LABELS[profile]}.`,
    `# Written by wasmCloud Lattice on ${input.created.toISOString().slice(0, 10)}.`,
  ];
  const holdsSecrets = input.clusterSeed !== undefined || Object.values(input.credentials).some((credentials) => credentials.kind === 'jwt');
  if (holdsSecrets) {
    lines.push('# It contains seeds, which are secret: keep this file out of version control.');
  }
  lines.push('', `${latticeVariable(profile)}=${input.lattice}`);

  if (input.clusterSeed !== undefined && usesClusterKeys(profile)) {
    lines.push('', '# Cluster keys: this host signs invocations with its seed and accepts those signed by the issuers.');
    if (input.strategyNote !== undefined) {
      lines.push(`# ${input.strategyNote}`);
    }
    // Hosts split the issuers on ',' without trimming, so the list has no spaces.
    lines.push(`${CLUSTER_SEED_VARIABLE}=${input.clusterSeed}`, `${CLUSTER_ISSUERS_VARIABLE}=${input.issuers.join(',')}`);
  } else if (!usesClusterKeys(profile)) {
    lines.push('', `# ${capitalize(PROFILE_LABELS[profile])} sign no invocations with cluster keys, so this file has none.`);
  }

  for (const slot of connectionSlots(profile)) {
    lines.push('', ...connectionLines(slot, input.server, input.credentials[slot.id], profile));
  }
  const eol = input.eol ?? '\n';
  return lines.map((line) => line + eol).join('');
}

function connectionLines(slot: ConnectionSlot, server: NatsServer, credentials: Credentials, profile: HostProfile): string[] {
  const lines = [`# NATS connection: ${slot.label}.`, `${slot.prefix}_HOST=${server.host}`, `${slot.prefix}_PORT=${server.port}`];
  if (server.tls) {
    if (profile === 'otp' && slot.id !== 'providers') {
      lines.push('# OTP hosts 0.52–0.59 parse this as an integer: write 1 for them.');
    }
    lines.push(`${slot.prefix}_TLS=${tlsValue(slot, profile)}`);
  }
  switch (credentials.kind) {
    case 'none':
      break;
    case 'creds-file':
      lines.push(`${slot.prefix}_CREDS=${credentials.path}`);
      break;
    case 'jwt':
      lines.push(`${slot.prefix}_JWT=${credentials.jwt}`, `${slot.prefix}_SEED=${credentials.seed}`);
      break;
  }
  return lines;
}

/**
 * Returns the value that turns TLS on. OTP hosts parse WASMCLOUD_PROV_RPC_TLS
 * as an integer, and later OTP hosts read RPC and CTL TLS as true only for
 * words such as `true`. Rust hosts accept only `true`.
 */
function tlsValue(slot: ConnectionSlot, profile: HostProfile): string {
  return profile === 'otp' && slot.id === 'providers' ? '1' : 'true';
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
