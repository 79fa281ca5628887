/**
 * Seeded generators of realistic wasmCloud host `.env` files, for benchmarks
 * and fuzzing. The same seed always gives the same text, keys included.
 * `@nats-io/nkeys` encodes every nkey from bytes of the seeded generator, and
 * such a key signs every user JWT. So the files pass the same checks as real
 * ones, and runs can be compared.
 *
 * A workspace is a set of lattices of several hosts each. The hosts of a
 * lattice each sign with their own cluster seed and list every host's public
 * key in their issuers, as the wasmCloud OTP and 0.8x docs describe. A few
 * hosts carry one seeded mistake each (a drifting lattice name, a missing
 * issuer, a bad port…), so that the single-file and the workspace rules both
 * have findings to report.
 */
import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Prefix } from '@nats-io/nkeys';
import { Codec } from '@nats-io/nkeys/lib/codec';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A deterministic pseudo-random generator (mulberry32) with helpers for building text. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Returns a number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Returns an integer in [min, max]. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  bytes(length: number): Uint8Array {
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      bytes[i] = Math.floor(this.next() * 256);
    }
    return bytes;
  }

  /** Returns `length` characters of `alphabet`. */
  text(length: number, alphabet: string): string {
    let text = '';
    for (let i = 0; i < length; i++) {
      text += alphabet[Math.floor(this.next() * alphabet.length)];
    }
    return text;
  }
}

/** A key pair whose seed bytes came from a `SeededRandom`. */
export interface SeededKey {
  readonly seed: string;
  readonly publicKey: string;
  /** The ed25519 private key, for signing JWTs. */
  readonly privateKey: KeyObject;
}

const decoder = new TextDecoder();

/** DER header of an RFC 8410 PKCS#8 ed25519 private key; the 32 seed bytes follow it. */
const ED25519_PKCS8_HEADER = Buffer.from('302e020100300506032b657004220420', 'hex');
/** Length of the DER header of an ed25519 SubjectPublicKeyInfo, before the 32 key bytes. */
const ED25519_SPKI_HEADER_LENGTH = 12;

/**
 * Makes a key pair of the `prefix` kind from 32 seeded bytes. nkeys' codec
 * encodes the seed and the public key. The ed25519 public key comes from
 * Node's crypto, which gives the bytes nkeys' `fromSeed(seed).getPublicKey()`
 * gives (test/unit/support/host-files.test.ts checks it) about five times
 * faster than tweetnacl, so 2,000 host files generate in seconds.
 */
export function seededKey(random: SeededRandom, prefix: Prefix): SeededKey {
  const seedBytes = random.bytes(32);
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_HEADER, seedBytes]), format: 'der', type: 'pkcs8' });
  const publicBytes = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(ED25519_SPKI_HEADER_LENGTH);
  return {
    seed: decoder.decode(Codec.encodeSeed(prefix, seedBytes)),
    publicKey: decoder.decode(Codec.encode(prefix, new Uint8Array(publicBytes))),
    privateKey,
  };
}

/** Encodes a seed of the `prefix` kind from 32 seeded bytes, without deriving its public key. */
export function seededSeed(random: SeededRandom, prefix: Prefix): string {
  return decoder.decode(Codec.encodeSeed(prefix, random.bytes(32)));
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/**
 * Issues a NATS user JWT (claims version 2, as nsc writes them) for `user`,
 * signed with the account key. `expires` is in seconds since the epoch.
 */
export function userJwt(random: SeededRandom, account: SeededKey, user: SeededKey, name: string, issuedAt: number, expires?: number): string {
  const header = { typ: 'JWT', alg: 'ed25519-nkey' };
  const claims = {
    jti: random.text(52, BASE32_ALPHABET),
    iat: issuedAt,
    ...(expires === undefined ? {} : { exp: expires }),
    iss: account.publicKey,
    name,
    sub: user.publicKey,
    nats: { pub: {}, sub: {}, subs: -1, data: -1, payload: -1, type: 'user', version: 2 },
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign(null, Buffer.from(signingInput, 'utf8'), account.privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** Host lines with different variables: wasmCloud OTP 0.50–0.63, Rust 0.78–0.82, Rust 1.x. */
export type HostLine = 'otp' | '0.8x' | '1.x';

/** NATS user credentials of one connection: a seed and its JWT. */
export interface UserCredentials {
  readonly seed: string;
  readonly jwt: string;
}

export interface LatticeSpec {
  readonly name: string;
  readonly environment: string;
  readonly region: string;
  readonly team: string;
  readonly line: HostLine;
  readonly natsHost: string;
  /** One cluster key per host, in host order; 1.x lattices have none. */
  readonly clusterKeys: readonly SeededKey[];
  /** The issuers every host lists: all hosts' cluster public keys, plus a retired key in some lattices. */
  readonly issuers: readonly string[];
  readonly rpc: UserCredentials;
  readonly ctl: UserCredentials;
  readonly hostCount: number;
}

/** One seeded mistake in a host file, and the rule meant to report it. */
export type HostFault =
  | 'issuers-whitespace'
  | 'issuer-missing'
  | 'lattice-drift'
  | 'seed-not-listed'
  | 'port-invalid'
  | 'duplicate-key'
  | 'variable-unknown'
  | 'boolean-format'
  | 'jwt-expired'
  | 'issuers-empty-entry';

const HOST_FAULTS: readonly HostFault[] = [
  'issuers-whitespace',
  'issuer-missing',
  'lattice-drift',
  'seed-not-listed',
  'port-invalid',
  'duplicate-key',
  'variable-unknown',
  'boolean-format',
  'jwt-expired',
  'issuers-empty-entry',
];

/** Share of hosts with one seeded mistake. */
const FAULT_RATE = 0.12;

/** Seconds since the epoch of 2026-01-01, so JWT times do not depend on the clock. */
const ISSUED_AT = 1_767_225_600;
/** An expiry in 2030, after any run of these benchmarks. */
const FAR_EXPIRY = 1_893_456_000;
/** An expiry in 2025, for expired JWTs. */
const PAST_EXPIRY = 1_735_689_600;

const ENVIRONMENTS = ['prod', 'staging', 'dev', 'qa', 'perf'] as const;
const REGIONS = ['eu-west', 'eu-central', 'us-east', 'us-west', 'ap-south', 'ap-northeast'] as const;
const TEAMS = ['payments', 'search', 'ingest', 'edge', 'billing', 'identity', 'media', 'catalog'] as const;
const ZONES = ['a', 'b', 'c'] as const;
const REGISTRIES = ['registry.internal:5000', 'ghcr.io', 'localhost:5000', 'oci.corp.example'] as const;

/** Makes the keys and credentials of one lattice; `index` keeps names unique. */
export function makeLattice(random: SeededRandom, index: number, hostCount: number, line: HostLine = pickLine(random)): LatticeSpec {
  const environment = random.pick(ENVIRONMENTS);
  const region = random.pick(REGIONS);
  const team = random.pick(TEAMS);
  const name = `${environment}-${region}-${team}-${index}`;
  const clusterKeys = line === '1.x' ? [] : Array.from({ length: hostCount }, () => seededKey(random, Prefix.Cluster));
  const issuers = clusterKeys.map((key) => key.publicKey);
  if (line !== '1.x' && random.chance(0.2)) {
    // A retired key that stays listed until every host has rotated.
    issuers.push(seededKey(random, Prefix.Cluster).publicKey);
  }
  const account = seededKey(random, Prefix.Account);
  const credentials = (purpose: string): UserCredentials => {
    const user = seededKey(random, Prefix.User);
    return { seed: user.seed, jwt: userJwt(random, account, user, `${name}-${purpose}`, ISSUED_AT, random.chance(0.5) ? FAR_EXPIRY : undefined) };
  };
  return {
    name,
    environment,
    region,
    team,
    line,
    natsHost: `nats.${region}.${environment}.internal`,
    clusterKeys,
    issuers,
    rpc: credentials('rpc'),
    ctl: credentials('ctl'),
    hostCount,
  };
}

/** Picks a host line: half OTP, 30% 0.8x and 20% 1.x. */
function pickLine(random: SeededRandom): HostLine {
  const roll = random.next();
  if (roll < 0.5) {
    return 'otp';
  }
  return roll < 0.8 ? '0.8x' : '1.x';
}

/** Builds a PEM certificate block of seeded base64, as a multi-line double-quoted value. */
function pemValue(random: SeededRandom): string {
  const lines = ['-----BEGIN CERTIFICATE-----'];
  const count = random.between(3, 6);
  for (let i = 0; i < count; i++) {
    lines.push(random.text(i === count - 1 ? random.between(8, 60) : 64, BASE64_ALPHABET));
  }
  lines.push('-----END CERTIFICATE-----');
  return `"${lines.join('\n')}"`;
}

interface HostStyle {
  readonly exported: boolean;
  readonly spacedEquals: boolean;
}

/** Renders `KEY=value` in the file's style, with an optional inline comment. */
function assignment(style: HostStyle, key: string, value: string, comment?: string): string {
  const line = `${style.exported ? 'export ' : ''}${key}${style.spacedEquals ? ' = ' : '='}${value}`;
  return comment === undefined ? line : `${line} # ${comment}`;
}

/** Leaves `value` unquoted (40%) or puts it in double (35%) or single quotes (25%). */
function quoted(random: SeededRandom, value: string): string {
  const roll = random.next();
  if (roll < 0.4) {
    return value;
  }
  return roll < 0.75 ? `"${value}"` : `'${value}'`;
}

export interface HostFileOptions {
  readonly lattice: LatticeSpec;
  /** Position of the host in the lattice, from 0. */
  readonly host: number;
  /** A mistake to put in the file; none when undefined. */
  readonly fault?: HostFault;
}

/** Renders one host's `.env` file for its lattice's host line. */
export function hostFileText(random: SeededRandom, options: HostFileOptions): string {
  const { lattice, host, fault } = options;
  const style: HostStyle = { exported: random.chance(0.15), spacedEquals: random.chance(0.05) };
  const hostName = `host-${String(host + 1).padStart(2, '0')}`;
  const lines: string[] = [
    `# wasmCloud host ${hostName} of lattice ${lattice.name} (${lattice.line === 'otp' ? 'OTP 0.6x' : lattice.line === '0.8x' ? '0.82' : '1.x'})`,
    '# Managed by the platform team; keep the cluster issuers the same on every host.',
    '',
  ];
  const set = (key: string, value: string, comment?: string): void => {
    lines.push(assignment(style, key, value, comment));
  };

  const latticeName = fault === 'lattice-drift' ? `${lattice.name}-old` : lattice.name;
  set(lattice.line === '1.x' ? 'WASMCLOUD_LATTICE' : 'WASMCLOUD_LATTICE_PREFIX', latticeName);
  set('WASMCLOUD_HOST_SEED', seededSeed(random, Prefix.Server));
  if (lattice.line !== '1.x') {
    writeClusterKeys(random, lattice, host, fault, set);
  }
  lines.push('');

  if (lattice.line === 'otp') {
    writeOtpConnections(random, lattice, fault, lines, set);
  } else {
    writeRustConnections(random, lattice, fault, lines, set);
  }
  lines.push('');

  lines.push('# Runtime');
  set('WASMCLOUD_OCI_ALLOWED_INSECURE', quoted(random, random.pick(REGISTRIES)));
  set('WASMCLOUD_PROV_SHUTDOWN_DELAY_MS', String(random.pick([300, 500, 1000])), random.chance(0.3) ? 'providers flush on shutdown' : undefined);
  if (lattice.line !== 'otp') {
    set('WASMCLOUD_LOG_LEVEL', random.pick(['info', 'debug', 'warn']));
    set('WASMCLOUD_ALLOW_FILE_LOAD', fault === 'boolean-format' ? 'yes' : random.pick(['true', 'false']));
    set('WASMCLOUD_LABEL_zone', quoted(random, `${lattice.region}-${random.pick(ZONES)}`));
    set('WASMCLOUD_LABEL_host', hostName);
  } else {
    set('WASMCLOUD_STRUCTURED_LOGGING_ENABLED', random.pick(['true', 'false']), 'JSON logs for the collector');
  }
  if (lattice.line === '1.x') {
    set('WASMCLOUD_OBSERVABILITY_ENABLED', 'true');
    set('WASMCLOUD_MAX_EXECUTION_TIME_MS', String(random.pick([600_000, 120_000, 30_000])));
    set('WASMCLOUD_HEARTBEAT_INTERVAL', '30');
  }
  if (fault === 'variable-unknown') {
    set(lattice.line === '1.x' ? 'WASMCLOUD_LATICE' : 'WASMCLOUD_RPC_TIMOUT_MS', lattice.line === '1.x' ? lattice.name : '2000');
  }
  if (random.chance(0.35)) {
    lines.push('', '# CA of the OpenTelemetry collector; read by the sidecar, not by the host.');
    set('OTEL_EXPORTER_OTLP_CERTIFICATE_PEM', pemValue(random));
  }
  if (random.chance(0.25)) {
    set('DEPLOY_NOTES', `"Rolled out by ${random.pick(TEAMS)}\nafter the ${random.pick(ENVIRONMENTS)} freeze"`);
  }
  lines.push('');
  return lines.join('\n');
}

function writeClusterKeys(random: SeededRandom, lattice: LatticeSpec, host: number, fault: HostFault | undefined, set: (key: string, value: string, comment?: string) => void): void {
  const own = fault === 'seed-not-listed' ? seededKey(random, Prefix.Cluster) : lattice.clusterKeys[host];
  let issuers = [...lattice.issuers];
  if (fault === 'issuer-missing') {
    const peer = (host + 1) % lattice.clusterKeys.length;
    issuers = issuers.filter((key) => key !== lattice.clusterKeys[peer].publicKey || peer === host);
  }
  let issuersValue = issuers.join(',');
  if (fault === 'issuers-whitespace') {
    issuersValue = issuers.join(', ');
  } else if (fault === 'issuers-empty-entry') {
    issuersValue = `${issuersValue},`;
  }
  set('WASMCLOUD_CLUSTER_SEED', own.seed);
  set('WASMCLOUD_CLUSTER_ISSUERS', random.chance(0.2) ? `"${issuersValue}"` : issuersValue);
}

function writeOtpConnections(random: SeededRandom, lattice: LatticeSpec, fault: HostFault | undefined, lines: string[], set: (key: string, value: string, comment?: string) => void): void {
  const port = fault === 'port-invalid' ? '42x2' : '4222';
  lines.push('# RPC: invocations between components and providers');
  set('WASMCLOUD_RPC_HOST', quoted(random, lattice.natsHost));
  set('WASMCLOUD_RPC_PORT', port);
  set('WASMCLOUD_RPC_JWT', fault === 'jwt-expired' ? expiredJwt(random, lattice) : lattice.rpc.jwt);
  set('WASMCLOUD_RPC_SEED', lattice.rpc.seed);
  set('WASMCLOUD_RPC_TLS', random.pick(['1', 'true']));
  set('WASMCLOUD_RPC_TIMEOUT_MS', '2000', 'default');
  lines.push('', '# Control interface');
  set('WASMCLOUD_CTL_HOST', quoted(random, lattice.natsHost));
  set('WASMCLOUD_CTL_PORT', '4222');
  set('WASMCLOUD_CTL_JWT', lattice.ctl.jwt);
  set('WASMCLOUD_CTL_SEED', lattice.ctl.seed);
  set('WASMCLOUD_CTL_TLS', '1');
  if (fault === 'duplicate-key') {
    set('WASMCLOUD_CTL_PORT', '4223', 'moved to the leaf node');
  }
  lines.push('', '# Capability providers');
  set('WASMCLOUD_PROV_RPC_HOST', quoted(random, lattice.natsHost));
  set('WASMCLOUD_PROV_RPC_PORT', '4222');
  set('WASMCLOUD_PROV_RPC_TLS', fault === 'boolean-format' ? 'true' : '0');
}

function writeRustConnections(random: SeededRandom, lattice: LatticeSpec, fault: HostFault | undefined, lines: string[], set: (key: string, value: string, comment?: string) => void): void {
  lines.push('# NATS: the RPC and control connections use these unless their own are set');
  set('WASMCLOUD_NATS_HOST', quoted(random, lattice.natsHost));
  set('WASMCLOUD_NATS_PORT', fault === 'port-invalid' ? 'nats:4222' : '4222');
  if (lattice.line === '1.x' && random.chance(0.5)) {
    set('WASMCLOUD_NATS_CREDS', `/etc/wasmcloud/${lattice.name}.creds`);
  } else {
    set('WASMCLOUD_NATS_JWT', fault === 'jwt-expired' ? expiredJwt(random, lattice) : lattice.rpc.jwt);
    set(lattice.line === '1.x' ? 'WASMCLOUD_NATS_SEED' : 'WASMCOULD_NATS_SEED', lattice.rpc.seed, lattice.line === '1.x' ? undefined : 'the host reads this misspelled name');
  }
  set('WASMCLOUD_RPC_TIMEOUT_MS', '2000');
  if (fault === 'duplicate-key') {
    set('WASMCLOUD_RPC_TIMEOUT_MS', '5000', 'slow providers in this zone');
  }
  lines.push('', '# Control interface on its own account');
  set('WASMCLOUD_CTL_HOST', quoted(random, lattice.natsHost));
  set('WASMCLOUD_CTL_PORT', '4222');
  set('WASMCLOUD_CTL_JWT', lattice.ctl.jwt);
  set('WASMCLOUD_CTL_SEED', lattice.ctl.seed);
  set('WASMCLOUD_CTL_TLS', 'true');
}

function expiredJwt(random: SeededRandom, lattice: LatticeSpec): string {
  const account = seededKey(random, Prefix.Account);
  const user = seededKey(random, Prefix.User);
  return userJwt(random, account, user, `${lattice.name}-expired`, ISSUED_AT - 400 * 86_400, PAST_EXPIRY);
}

/** A generated file: its path relative to the workspace folder and its text. */
export interface GeneratedHostFile {
  readonly path: string;
  readonly text: string;
  readonly lattice: string;
  readonly fault?: HostFault;
}

export interface HostWorkspaceOptions {
  readonly seed: number;
  /** Number of host files (default 2,000). */
  readonly files?: number;
  /** Smallest and largest number of hosts in one lattice (default 3 and 12). */
  readonly minHosts?: number;
  readonly maxHosts?: number;
}

/**
 * Generates the host files of a workspace: lattices of several hosts, in
 * nested folders `{region}/{team}/{lattice}/…`, under names `.env`,
 * `host-NN.env` and `.env.production`. About one lattice in thirty is a copy
 * of another under a new name with the same cluster keys, which the workspace
 * rules report as a lattice-name mismatch.
 */
export function hostWorkspace(options: HostWorkspaceOptions): GeneratedHostFile[] {
  const random = new SeededRandom(options.seed);
  const total = options.files ?? 2000;
  const minHosts = options.minHosts ?? 3;
  const maxHosts = options.maxHosts ?? 12;
  const files: GeneratedHostFile[] = [];
  let previous: LatticeSpec | undefined;
  for (let index = 0; files.length < total; index++) {
    const hostCount = Math.min(random.between(minHosts, maxHosts), total - files.length);
    let lattice = makeLattice(random, index, hostCount);
    if (previous !== undefined && previous.line !== '1.x' && previous.hostCount >= hostCount && random.chance(1 / 30)) {
      // Copied from the previous lattice, keys and all, under another name.
      lattice = { ...previous, name: `${lattice.name}-copy`, hostCount, clusterKeys: previous.clusterKeys.slice(0, hostCount) };
    }
    const folder = `${lattice.region}/${lattice.team}/${lattice.name}`;
    for (let host = 0; host < hostCount; host++) {
      const fault = random.chance(FAULT_RATE) ? random.pick(HOST_FAULTS) : undefined;
      const hostName = `host-${String(host + 1).padStart(2, '0')}`;
      const layout = random.next();
      let file = `${folder}/${hostName}/.env.production`;
      if (layout < 0.5) {
        file = `${folder}/${hostName}/.env`;
      } else if (layout < 0.85) {
        file = `${folder}/${hostName}.env`;
      }
      files.push({ path: file, text: hostFileText(random, { lattice, host, fault }), lattice: lattice.name, ...(fault === undefined ? {} : { fault }) });
    }
    previous = lattice;
  }
  return files;
}

/**
 * Generates one large host-style file of exactly `lineCount` lines. It is made
 * of host files from several lattices, one after another with a comment line
 * between them, as a deployment tool that concatenates host configs writes
 * them, and padded with comment lines. Later sections set the same variables
 * again, so dotenv keeps the last.
 */
export function largeHostFile(seed: number, lineCount: number): string {
  const random = new SeededRandom(seed);
  const lines: string[] = [`# ${lineCount} lines of concatenated wasmCloud host configuration`];
  const lattices: LatticeSpec[] = [];
  const hostLines: readonly HostLine[] = ['otp', '0.8x', '1.x'];
  for (let section = 0; ; section++) {
    if (section % 8 === 0) {
      // Eight hosts per lattice, the lattices in turn OTP, 0.8x and 1.x.
      lattices.push(makeLattice(random, lattices.length, 8, hostLines[lattices.length % 3]));
    }
    const lattice = lattices[lattices.length - 1];
    const fault = random.chance(FAULT_RATE) ? random.pick(HOST_FAULTS) : undefined;
    const text = hostFileText(random, { lattice, host: section % 8, fault });
    const sectionLines = [`# ---- ${lattice.name} host ${(section % 8) + 1} ----`, ...text.split('\n')];
    if (lines.length + sectionLines.length > lineCount) {
      break;
    }
    lines.push(...sectionLines);
  }
  while (lines.length < lineCount) {
    lines.push(`# padding line ${lines.length + 1}`);
  }
  return lines.join('\n');
}

/** Writes generated files under `folder`, creating the nested folders, and returns their absolute paths. */
export function writeHostFiles(folder: string, files: readonly GeneratedHostFile[]): string[] {
  return files.map((file) => {
    const target = path.join(folder, ...file.path.split('/'));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.text, { mode: 0o600 });
    return target;
  });
}
