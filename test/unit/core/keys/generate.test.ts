import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromPublic, fromSeed } from '@nats-io/nkeys';
import { decodeSeed } from '../../../../src/core/keys/codec';
import { generateKey, publicKeyFromSeed } from '../../../../src/core/keys/generate';
import { KEY_KINDS } from '../../../../src/core/keys/kinds';
import { NKEYS_CREATORS, encoder, nkeysDecode, nkeysEncode, nkeysPair, nkeysPairOf, opensslEd25519PublicKey, randomKeyBytes } from './support';

// tweetnacl takes milliseconds per derivation, so these loops stay small.
const ROUNDS = 25;

describe('generateKey', () => {
  for (const info of KEY_KINDS) {
    it(`makes ${info.kind} keys with the right prefixes and lengths`, () => {
      const seen = new Set<string>();
      for (let round = 0; round < ROUNDS; round++) {
        const { publicKey, seed } = generateKey(info.kind);
        assert.equal(publicKey.length, 56);
        assert.equal(seed.length, 58);
        assert.equal(publicKey[0], info.publicPrefix);
        assert.equal(seed.slice(0, 2), info.seedPrefix);
        assert.match(publicKey, /^[A-Z2-7]{56}$/);
        assert.match(seed, /^[A-Z2-7]{58}$/);
        assert.ok(!seen.has(seed), 'a seed repeated');
        seen.add(seed);
      }
    });
  }

  for (const [kind] of NKEYS_CREATORS) {
    it(`makes ${kind} keys that nkeys accepts`, () => {
      for (let round = 0; round < ROUNDS; round++) {
        const { publicKey, seed } = generateKey(kind);
        assert.equal(fromSeed(encoder.encode(seed)).getPublicKey(), publicKey);
        assert.equal(fromPublic(publicKey).getPublicKey(), publicKey);
      }
    });
  }

  for (const kind of ['module', 'service'] as const) {
    it(`makes ${kind} keys that OpenSSL's ed25519 confirms`, () => {
      for (let round = 0; round < ROUNDS; round++) {
        const { publicKey, seed } = generateKey(kind);
        const raw = nkeysDecode(seed);
        const seedBytes = raw.slice(2);
        const expected = nkeysEncode(false, KEY_KINDS.find((info) => info.kind === kind)?.prefixByte ?? -1, opensslEd25519PublicKey(seedBytes));
        assert.equal(publicKey, expected);
      }
    });
  }
});

describe('publicKeyFromSeed', () => {
  for (const [kind, create] of NKEYS_CREATORS) {
    it(`matches nkeys for ${kind} seeds`, () => {
      for (let round = 0; round < ROUNDS; round++) {
        const { publicKey, seed } = nkeysPair(create);
        assert.equal(publicKeyFromSeed(seed), publicKey);
      }
    });
  }

  it('derives curve keys with x25519', () => {
    // nkeys curve seeds are x25519 private keys and cannot sign. Their public
    // key is the x25519 base point multiple, which differs from the ed25519 one.
    const { publicKey, seed } = nkeysPairOf('curve');
    const seedBytes = decodeSeed(seed).bytes;
    const ed25519PublicKey = nkeysEncode(false, 23 << 3, opensslEd25519PublicKey(seedBytes));
    assert.notEqual(publicKey, ed25519PublicKey);
    assert.equal(publicKeyFromSeed(seed), publicKey);
  });

  it('matches OpenSSL for module and service seeds', () => {
    for (const prefixByte of [12 << 3, 21 << 3]) {
      for (let round = 0; round < ROUNDS; round++) {
        const seedBytes = randomKeyBytes();
        const seed = nkeysEncode(true, prefixByte, seedBytes);
        assert.equal(publicKeyFromSeed(seed), nkeysEncode(false, prefixByte, opensslEd25519PublicKey(seedBytes)));
      }
    }
  });

  it('returns the memoized key on a second call', () => {
    const { publicKey, seed } = nkeysPairOf('cluster');
    assert.equal(publicKeyFromSeed(seed), publicKey);
    assert.equal(publicKeyFromSeed(seed), publicKey);
  });

  it('rejects a public key without echoing it', () => {
    const { publicKey } = nkeysPairOf('cluster');
    assert.throws(
      () => publicKeyFromSeed(publicKey),
      (error: Error) => error.message.startsWith('This is a cluster public key, but a seed is needed here') && !error.message.includes(publicKey),
    );
  });

  it('rejects a damaged seed without echoing it', () => {
    const { seed } = nkeysPairOf('cluster');
    const damaged = seed.slice(0, 57);
    assert.throws(
      () => publicKeyFromSeed(damaged),
      (error: Error) => error.message.includes('57 characters instead of 58') && !error.message.includes(damaged),
    );
  });
});
