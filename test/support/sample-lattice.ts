/**
 * A sample wasmCloud lattice for tests, the demo and screenshots: the cache
 * entries hosts write to NATS, and host `.env` files. Every key is generated
 * at call time, so no seed is ever committed.
 *
 * Shapes follow the hosts' own code. The `LATTICECACHE_{prefix}` stream
 * (wasmCloud OTP host 0.5x) holds:
 * - claims on `lc.{prefix}.claims.{module key}` as `HostCore.Claims.Manager`
 *   writes them, with caps and tags comma-joined and rev as a string;
 * - link definitions on `lc.{prefix}.linkdefs.{id}`, with the id that
 *   `HostCore.Jetstream.Client.linkdef_hash` computes;
 * - OCI reference maps on `lc.{prefix}.refmap.{base64url(oci_url)}`.
 * The `KV_LATTICEDATA_{lattice}` bucket (wasmCloud host 1.x) holds
 * `CLAIMS_{subject}` entries with the host's `StoredClaims` fields, and
 * `COMPONENT_{id}` entries.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { jetstreamManager, jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { createAccount, createCluster, createUser } from '@nats-io/nkeys';
import type { NatsConnection } from '@nats-io/transport-node';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** nkey prefix bytes that `@nats-io/nkeys` does not know: wasmCloud modules ('M') and services ('V'). */
export const MODULE_PREFIX_BYTE = 12 << 3;
export const SERVICE_PREFIX_BYTE = 21 << 3;

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let output = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) {
    output += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  }
  return output;
}

/** CRC-16/XMODEM (polynomial 0x1021, initial value 0), as nkeys checksums use. */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}

/** Encodes a 56-character public nkey: base32 of prefix byte, 32 key bytes and the little-endian CRC-16. */
export function encodePublicKey(prefixByte: number, key: Uint8Array = randomBytes(32)): string {
  if (key.length !== 32) {
    throw new Error(`A public nkey needs 32 key bytes, got ${key.length}.`);
  }
  const body = new Uint8Array(33);
  body[0] = prefixByte;
  body.set(key, 1);
  const checksum = crc16(body);
  const full = new Uint8Array(35);
  full.set(body);
  full[33] = checksum & 0xff;
  full[34] = checksum >> 8;
  return base32(full);
}

export interface SampleComponent {
  publicKey: string;
  name: string;
  ociUrl: string;
  issuer: string;
  caps: string[];
  tags: string[];
  version: string;
  revision: number;
  callAlias: string;
}

export interface SampleProvider {
  publicKey: string;
  name: string;
  ociUrl: string;
  issuer: string;
  contractId: string;
  linkName: string;
  version: string;
  revision: number;
}

export interface SampleLinkDefinition {
  id: string;
  actor_id: string;
  provider_id: string;
  contract_id: string;
  link_name: string;
  values: Record<string, string>;
}

export interface SampleLattice {
  prefix: string;
  /** `LATTICECACHE_{prefix}`. */
  streamName: string;
  /** KV bucket name `LATTICEDATA_{prefix}`; its stream is `KV_LATTICEDATA_{prefix}`. */
  bucketName: string;
  components: SampleComponent[];
  providers: SampleProvider[];
  linkDefinitions: SampleLinkDefinition[];
  /** Messages for the stream, in publish order. */
  streamMessages: { subject: string; payload: Record<string, unknown> }[];
  /** Entries for the KV bucket, in put order. */
  kvEntries: { key: string; value: Record<string, unknown> }[];
}

/** Computes a link definition id as an OTP host does: SHA-256 of actor id, contract id and link name, in upper-case hex. */
export function linkDefinitionId(actorId: string, contractId: string, linkName: string): string {
  return createHash('sha256').update(actorId).update(contractId).update(linkName).digest('hex').toUpperCase();
}

/** Builds a sample lattice with fresh keys; nothing is sent anywhere. */
export function buildSampleLattice(prefix = 'default'): SampleLattice {
  const issuer = createAccount().getPublicKey();
  const component = (name: string, ociUrl: string, caps: string[], callAlias = ''): SampleComponent => ({
    publicKey: encodePublicKey(MODULE_PREFIX_BYTE),
    name,
    ociUrl,
    issuer,
    caps,
    tags: ['wasmcloud.com/experimental'],
    version: '0.3.1',
    revision: 4,
    callAlias,
  });
  const provider = (name: string, ociUrl: string, contractId: string): SampleProvider => ({
    publicKey: encodePublicKey(SERVICE_PREFIX_BYTE),
    name,
    ociUrl,
    issuer,
    contractId,
    linkName: 'default',
    version: '0.21.0',
    revision: 0,
  });

  const echo = component('echo', 'wasmcloud.azurecr.io/echo:0.3.8', ['wasmcloud:httpserver'], 'demo/echo');
  const kvCounter = component('kvcounter', 'wasmcloud.azurecr.io/kvcounter:0.4.0', ['wasmcloud:httpserver', 'wasmcloud:keyvalue']);
  const httpServer = provider('HTTP Server', 'wasmcloud.azurecr.io/httpserver:0.21.0', 'wasmcloud:httpserver');
  const redis = provider('Redis KeyValue', 'wasmcloud.azurecr.io/kvredis:0.21.0', 'wasmcloud:keyvalue');

  const link = (actor: SampleComponent, target: SampleProvider, values: Record<string, string>): SampleLinkDefinition => ({
    id: linkDefinitionId(actor.publicKey, target.contractId, target.linkName),
    actor_id: actor.publicKey,
    provider_id: target.publicKey,
    contract_id: target.contractId,
    link_name: target.linkName,
    values,
  });
  const linkDefinitions = [
    link(echo, httpServer, { address: '127.0.0.1:8080' }),
    link(kvCounter, httpServer, { address: '127.0.0.1:8081' }),
    link(kvCounter, redis, { URL: 'redis://127.0.0.1:6379/' }),
  ];

  const components = [echo, kvCounter];
  const providers = [httpServer, redis];
  const streamMessages: SampleLattice['streamMessages'] = [];
  for (const c of components) {
    streamMessages.push({
      subject: `lc.${prefix}.claims.${c.publicKey}`,
      payload: {
        call_alias: c.callAlias,
        iss: c.issuer,
        name: c.name,
        caps: c.caps.join(','),
        rev: String(c.revision),
        tags: c.tags.join(','),
        version: c.version,
        sub: c.publicKey,
      },
    });
  }
  for (const ld of linkDefinitions) {
    streamMessages.push({ subject: `lc.${prefix}.linkdefs.${ld.id}`, payload: { ...ld } });
  }
  for (const item of [...components, ...providers]) {
    streamMessages.push({
      subject: `lc.${prefix}.refmap.${Buffer.from(item.ociUrl).toString('base64url')}`,
      payload: { oci_url: item.ociUrl, public_key: item.publicKey },
    });
  }

  const kvEntries: SampleLattice['kvEntries'] = [];
  for (const c of components) {
    kvEntries.push({
      key: `CLAIMS_${c.publicKey}`,
      value: {
        call_alias: c.callAlias,
        issuer: c.issuer,
        name: c.name,
        revision: String(c.revision),
        subject: c.publicKey,
        tags: c.tags,
        version: c.version,
      },
    });
  }
  for (const p of providers) {
    kvEntries.push({
      key: `CLAIMS_${p.publicKey}`,
      value: { issuer: p.issuer, name: p.name, revision: String(p.revision), subject: p.publicKey, version: p.version },
    });
  }
  // NOTE: the `COMPONENT_{id}` key prefix was not checked against a host's
  // source; the value has the fields of the 1.x host's `ComponentSpecification`
  // (url, links).
  for (const c of components) {
    kvEntries.push({ key: `COMPONENT_${prefix}-${c.name}`, value: { url: c.ociUrl, links: {} } });
  }

  return {
    prefix,
    streamName: `LATTICECACHE_${prefix}`,
    bucketName: `LATTICEDATA_${prefix}`,
    components,
    providers,
    linkDefinitions,
    streamMessages,
    kvEntries,
  };
}

/**
 * Creates the lattice's cache stream and KV bucket on the server behind `nc`
 * and fills them. Rejects before writing anything when either already
 * exists, so a test never mixes its data with an earlier run's.
 */
export async function seedSampleLattice(nc: NatsConnection, lattice: SampleLattice = buildSampleLattice()): Promise<SampleLattice> {
  const jsm = await jetstreamManager(nc);
  for (const stream of [lattice.streamName, `KV_${lattice.bucketName}`]) {
    const exists = await jsm.streams.info(stream).then(() => true, () => false);
    if (exists) {
      throw new Error(`Stream ${stream} already exists on this server; seed a fresh server.`);
    }
  }

  // OTP hosts keep only the newest message per subject.
  await jsm.streams.add({ name: lattice.streamName, subjects: [`lc.${lattice.prefix}.>`], max_msgs_per_subject: 1 });
  const js = jetstream(nc);
  for (const message of lattice.streamMessages) {
    await js.publish(message.subject, JSON.stringify(message.payload));
  }

  const kv = await new Kvm(nc).create(lattice.bucketName, { history: 1 });
  for (const entry of lattice.kvEntries) {
    await kv.put(entry.key, JSON.stringify(entry.value));
  }
  return lattice;
}

export interface SampleHostFiles {
  /** File name to content. */
  files: Record<string, string>;
  /** Public keys of the cluster issuers the correct file lists. */
  issuers: string[];
}

/**
 * Builds two OTP-style host `.env` files for lattice `prefix`. `host-good.env`
 * is correct. `host-mistakes.env` has mistakes that validation should report,
 * each named in a comment above its line.
 */
export function sampleHostEnvFiles(prefix = 'default', natsPort = 4222): SampleHostFiles {
  const clusterA = createCluster();
  const clusterB = createCluster();
  const issuers = [clusterA.getPublicKey(), clusterB.getPublicKey()];
  const seedA = new TextDecoder().decode(clusterA.getSeed());
  const accountSeed = new TextDecoder().decode(createAccount().getSeed());
  const userSeed = new TextDecoder().decode(createUser().getSeed());

  const connection = (kind: 'RPC' | 'CTL' | 'PROV_RPC'): string[] => [
    `WASMCLOUD_${kind}_HOST=127.0.0.1`,
    `WASMCLOUD_${kind}_PORT=${natsPort}`,
  ];
  const good = [
    `# wasmCloud OTP host A of lattice "${prefix}".`,
    `WASMCLOUD_LATTICE_PREFIX=${prefix}`,
    `WASMCLOUD_CLUSTER_SEED=${seedA}`,
    `WASMCLOUD_CLUSTER_ISSUERS=${issuers.join(',')}`,
    ...connection('RPC'),
    ...connection('CTL'),
    ...connection('PROV_RPC'),
    '',
  ].join('\n');
  const mistakes = [
    `# wasmCloud OTP host B of lattice "${prefix}", with mistakes.`,
    '# Lattice prefix differs from host A.',
    `WASMCLOUD_LATTICE_PREFIX=${prefix}-staging`,
    '# Account seed where a cluster seed (SC...) belongs.',
    `WASMCLOUD_CLUSTER_SEED=${accountSeed}`,
    '# Space after the comma: hosts do not trim, so the second issuer never matches.',
    `WASMCLOUD_CLUSTER_ISSUERS=${issuers[0]}, ${issuers[1]}`,
    '# Seed cut to 57 characters.',
    `WASMCLOUD_RPC_SEED=${userSeed.slice(0, 57)}`,
    'WASMCLOUD_RPC_HOST=127.0.0.1',
    '# Port is not a number.',
    'WASMCLOUD_RPC_PORT=42x2',
    ...connection('CTL'),
    ...connection('PROV_RPC'),
    '',
  ].join('\n');
  return { files: { 'host-good.env': good, 'host-mistakes.env': mistakes }, issuers };
}

/** Writes `sampleHostEnvFiles()` into `folder` and returns the written paths. */
export function writeSampleHostEnvFiles(folder: string, prefix = 'default', natsPort = 4222): string[] {
  mkdirSync(folder, { recursive: true });
  const { files } = sampleHostEnvFiles(prefix, natsPort);
  return Object.entries(files).map(([name, content]) => {
    const file = path.join(folder, name);
    writeFileSync(file, content, { mode: 0o600 });
    return file;
  });
}
