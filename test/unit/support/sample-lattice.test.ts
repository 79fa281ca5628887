import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import { createAccount, createCluster, fromSeed, Prefix } from '@nats-io/nkeys';
import { Codec } from '@nats-io/nkeys/lib/codec';
import { parse } from 'dotenv';
import {
  MODULE_PREFIX_BYTE,
  SERVICE_PREFIX_BYTE,
  buildSampleLattice,
  encodePublicKey,
  linkDefinitionId,
  sampleHostEnvFiles,
} from '../../support/sample-lattice';

const encoder = new TextEncoder();

describe('sample lattice keys', () => {
  it('encodes account keys as nkeys does', () => {
    const publicKey = createAccount().getPublicKey();
    const raw = Codec.decode(Prefix.Account, encoder.encode(publicKey));
    assert.equal(encodePublicKey(Prefix.Account, raw), publicKey);
  });

  it('encodes cluster keys as nkeys does', () => {
    const publicKey = createCluster().getPublicKey();
    const raw = Codec.decode(Prefix.Cluster, encoder.encode(publicKey));
    assert.equal(encodePublicKey(Prefix.Cluster, raw), publicKey);
  });

  it('module and service keys', () => {
    const moduleKey = encodePublicKey(MODULE_PREFIX_BYTE);
    const serviceKey = encodePublicKey(SERVICE_PREFIX_BYTE);
    assert.equal(moduleKey.length, 56);
    assert.equal(moduleKey[0], 'M');
    assert.equal(serviceKey.length, 56);
    assert.equal(serviceKey[0], 'V');
  });

  it('rejects a short key', () => {
    assert.throws(() => encodePublicKey(MODULE_PREFIX_BYTE, new Uint8Array(31)), /32 key bytes, got 31/);
  });
});

describe('sample lattice content', () => {
  const lattice = buildSampleLattice('default');

  it('names stream and bucket after prefix', () => {
    assert.equal(lattice.streamName, 'LATTICECACHE_default');
    assert.equal(lattice.bucketName, 'LATTICEDATA_default');
  });

  it('stream subjects use OTP layout', () => {
    for (const message of lattice.streamMessages) {
      assert.match(message.subject, /^lc\.default\.(claims\.M[A-Z2-7]{55}|linkdefs\.[0-9A-F]{64}|refmap\.[A-Za-z0-9_-]+)$/);
    }
    const kinds = new Set(lattice.streamMessages.map((message) => message.subject.split('.')[2]));
    assert.deepEqual([...kinds].sort(), ['claims', 'linkdefs', 'refmap']);
  });

  it('link definition id hashes the triple', () => {
    const expected = createHash('sha256').update('Mactor' + 'wasmcloud:httpserver' + 'default').digest('hex').toUpperCase();
    assert.equal(linkDefinitionId('Mactor', 'wasmcloud:httpserver', 'default'), expected);
  });

  it('refmap subject encodes the OCI URL', () => {
    const refmaps = lattice.streamMessages.filter((message) => message.subject.startsWith('lc.default.refmap.'));
    assert.ok(refmaps.length > 0);
    for (const message of refmaps) {
      const encoded = message.subject.slice('lc.default.refmap.'.length);
      assert.equal(Buffer.from(encoded, 'base64url').toString('utf8'), message.payload.oci_url);
    }
  });

  it('KV keys use 1.x prefixes', () => {
    for (const entry of lattice.kvEntries) {
      assert.match(entry.key, /^(CLAIMS_[MV][A-Z2-7]{55}|COMPONENT_.+)$/);
    }
  });
});

describe('sample host .env files', () => {
  const { files, issuers } = sampleHostEnvFiles('default', 4333);
  const good = parse(files['host-good.env']);
  const mistakes = parse(files['host-mistakes.env']);

  it('good file has a cluster seed among issuers', () => {
    const seed = good.WASMCLOUD_CLUSTER_SEED;
    assert.equal(seed.length, 58);
    assert.ok(seed.startsWith('SC'));
    const publicKey = fromSeed(encoder.encode(seed)).getPublicKey();
    assert.deepEqual(good.WASMCLOUD_CLUSTER_ISSUERS.split(','), issuers);
    assert.ok(issuers.includes(publicKey));
  });

  it('good file points at the given port', () => {
    assert.equal(good.WASMCLOUD_LATTICE_PREFIX, 'default');
    assert.equal(good.WASMCLOUD_RPC_PORT, '4333');
    assert.equal(good.WASMCLOUD_CTL_PORT, '4333');
    assert.equal(good.WASMCLOUD_PROV_RPC_PORT, '4333');
  });

  it('mistakes file has each mistake', () => {
    assert.notEqual(mistakes.WASMCLOUD_LATTICE_PREFIX, 'default');
    assert.ok(mistakes.WASMCLOUD_CLUSTER_SEED.startsWith('SA'));
    assert.equal(mistakes.WASMCLOUD_CLUSTER_ISSUERS, `${issuers[0]}, ${issuers[1]}`);
    assert.equal(mistakes.WASMCLOUD_RPC_SEED.length, 57);
    assert.doesNotMatch(mistakes.WASMCLOUD_RPC_PORT, /^\d+$/);
  });
});
