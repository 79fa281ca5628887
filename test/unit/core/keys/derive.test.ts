import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromSeed } from '@nats-io/nkeys';
import nacl from 'tweetnacl';
import { derivePublicKey, ed25519Implementation, ed25519PublicKey } from '../../../../src/core/keys/derive';
import { KEY_KINDS } from '../../../../src/core/keys/kinds';
import { NKEYS_CREATORS, encoder, nkeysEncode, nkeysPair, randomKeyBytes } from './support';

/** Random seeds per kind; nkeys derives with tweetnacl, a few milliseconds per key. */
const SEEDS_PER_KIND = 150;

/** RFC 8032, section 7.1: Ed25519 private keys and their public keys (TEST 1, 2, 3 and 1024). */
const RFC_8032_VECTORS: [string, string][] = [
  ['9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'],
  ['4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c'],
  ['c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7', 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025'],
  ['f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5', '278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e'],
];

/** Seed bytes at the edges of the byte range, where a wrong encoding shows first. */
const EDGE_SEEDS: Uint8Array[] = [
  new Uint8Array(32),
  new Uint8Array(32).fill(0xff),
  new Uint8Array(32).fill(0x80),
  Uint8Array.from({ length: 32 }, (_, index) => index),
  Uint8Array.from({ length: 32 }, (_, index) => 255 - index),
];

const NKEYS_KINDS = new Set(NKEYS_CREATORS.map(([kind]) => kind));

describe('ed25519PublicKey', () => {
  it('uses node:crypto under Node', () => {
    assert.equal(ed25519Implementation(), 'node:crypto');
  });

  it('matches the RFC 8032 test vectors', () => {
    for (const [seed, publicKey] of RFC_8032_VECTORS) {
      assert.equal(Buffer.from(ed25519PublicKey(Buffer.from(seed, 'hex'))).toString('hex'), publicKey, seed);
    }
  });

  it('matches tweetnacl on random and edge seeds', () => {
    const seeds = [...EDGE_SEEDS, ...Array.from({ length: SEEDS_PER_KIND }, randomKeyBytes)];
    for (const seed of seeds) {
      const expected = Buffer.from(nacl.sign.keyPair.fromSeed(seed).publicKey).toString('hex');
      assert.equal(Buffer.from(ed25519PublicKey(seed)).toString('hex'), expected, Buffer.from(seed).toString('hex'));
    }
  });

  it('leaves the seed bytes unchanged', () => {
    const seed = randomKeyBytes();
    const copy = Uint8Array.from(seed);
    ed25519PublicKey(seed);
    assert.deepEqual(seed, copy);
  });
});

describe('derivePublicKey', () => {
  for (const [kind, create] of NKEYS_CREATORS) {
    it(`matches nkeys on ${SEEDS_PER_KIND} random ${kind} seeds`, () => {
      for (let round = 0; round < SEEDS_PER_KIND; round++) {
        const { publicKey, seed } = nkeysPair(create);
        assert.equal(derivePublicKey(seed), publicKey, `${kind} seed ${round}`);
      }
    });
  }

  for (const info of KEY_KINDS.filter((candidate) => NKEYS_KINDS.has(candidate.kind))) {
    it(`matches nkeys on edge ${info.kind} seeds`, () => {
      for (const bytes of EDGE_SEEDS) {
        const seed = nkeysEncode(true, info.prefixByte, bytes);
        assert.equal(derivePublicKey(seed), fromSeed(encoder.encode(seed)).getPublicKey(), Buffer.from(bytes).toString('hex'));
      }
    });
  }

  for (const info of KEY_KINDS.filter((candidate) => !NKEYS_KINDS.has(candidate.kind))) {
    it(`matches tweetnacl on ${info.kind} seeds, which nkeys rejects`, () => {
      for (const bytes of [...EDGE_SEEDS, ...Array.from({ length: SEEDS_PER_KIND }, randomKeyBytes)]) {
        const seed = nkeysEncode(true, info.prefixByte, bytes);
        const expected = nkeysEncode(false, info.prefixByte, nacl.sign.keyPair.fromSeed(bytes).publicKey);
        assert.equal(derivePublicKey(seed), expected, Buffer.from(bytes).toString('hex'));
      }
    });
  }

  it('derives curve keys as x25519, not ed25519', () => {
    const curve = KEY_KINDS.find((info) => info.kind === 'curve');
    assert.ok(curve);
    for (const bytes of EDGE_SEEDS) {
      const seed = nkeysEncode(true, curve.prefixByte, bytes);
      const ed25519 = nkeysEncode(false, curve.prefixByte, nacl.sign.keyPair.fromSeed(bytes).publicKey);
      assert.equal(derivePublicKey(seed), fromSeed(encoder.encode(seed)).getPublicKey());
      assert.notEqual(derivePublicKey(seed), ed25519);
    }
  });
});
