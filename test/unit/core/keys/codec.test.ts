import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { Prefix, fromSeed } from '@nats-io/nkeys';
import { base32 } from '@nats-io/nkeys/lib/base32';
import { Codec } from '@nats-io/nkeys/lib/codec';
import { crc16 as nkeysCrc16 } from '@nats-io/nkeys/lib/crc16';
import {
  NONZERO_TRAILING_BITS,
  NOT_BASE32,
  crc16,
  decodeBase32Into,
  decodePublicKey,
  decodeSeed,
  encodeBase32,
  encodePublicKey,
  encodeSeed,
} from '../../../../src/core/keys/codec';
import { KEY_KINDS, keyKindInfo } from '../../../../src/core/keys/kinds';
import { NKEYS_CREATORS, decoder, encoder, nkeysDecode, nkeysEncode, nkeysPair, nkeysPairOf, randomKeyBytes } from './support';

const ROUNDS = 200;

describe('codec against @nats-io/nkeys', () => {
  for (const [kind, create] of NKEYS_CREATORS) {
    const prefixByte = keyKindInfo(kind).prefixByte;

    it(`decodes and re-encodes ${kind} keys`, () => {
      for (let round = 0; round < ROUNDS; round++) {
        const { publicKey, seed } = nkeysPair(create);

        const decodedPublic = decodePublicKey(publicKey);
        assert.equal(decodedPublic.prefixByte, prefixByte);
        assert.deepEqual(decodedPublic.bytes, Codec.decode(prefixByte, encoder.encode(publicKey)));
        assert.equal(encodePublicKey(prefixByte, decodedPublic.bytes), publicKey);

        const decodedSeed = decodeSeed(seed);
        const reference = Codec.decodeSeed(encoder.encode(seed));
        assert.equal(decodedSeed.prefixByte, reference.prefix);
        assert.deepEqual(decodedSeed.bytes, reference.buf);
        assert.equal(encodeSeed(prefixByte, decodedSeed.bytes), seed);
      }
    });

    it(`encodes random ${kind} bytes like nkeys`, () => {
      for (let round = 0; round < ROUNDS; round++) {
        const bytes = randomKeyBytes();
        assert.equal(encodePublicKey(prefixByte, bytes), decoder.decode(Codec.encode(prefixByte, bytes)));
        assert.equal(encodeSeed(prefixByte, bytes), decoder.decode(Codec.encodeSeed(prefixByte, bytes)));
      }
    });
  }

  it('uses the nkeys prefix bytes', () => {
    const expected: Record<string, number> = {
      account: Prefix.Account,
      cluster: Prefix.Cluster,
      operator: Prefix.Operator,
      server: Prefix.Server,
      user: Prefix.User,
      curve: Prefix.Curve,
    };
    for (const [kind, prefixByte] of Object.entries(expected)) {
      assert.equal(KEY_KINDS.find((info) => info.kind === kind)?.prefixByte, prefixByte, kind);
    }
  });

  for (const kind of ['module', 'service'] as const) {
    it(`encodes ${kind} keys with the nkeys layout`, () => {
      const prefixByte = keyKindInfo(kind).prefixByte;
      for (let round = 0; round < ROUNDS; round++) {
        const bytes = randomKeyBytes();
        const publicKey = encodePublicKey(prefixByte, bytes);
        const seed = encodeSeed(prefixByte, bytes);
        assert.equal(publicKey, nkeysEncode(false, prefixByte, bytes));
        assert.equal(seed, nkeysEncode(true, prefixByte, bytes));

        assert.deepEqual(decodePublicKey(publicKey).bytes, nkeysDecode(publicKey).slice(1));
        assert.deepEqual(decodeSeed(seed).bytes, nkeysDecode(seed).slice(2));
      }
    });
  }

  it('computes the nkeys CRC16', () => {
    for (let length = 0; length < 80; length++) {
      const bytes = randomFillSync(new Uint8Array(length));
      assert.equal(crc16(bytes), nkeysCrc16.checksum(bytes), `length ${length}`);
    }
  });

  it('computes the XMODEM check value', () => {
    // The CRC-16/XMODEM catalogue check value for the ASCII text "123456789".
    assert.equal(crc16(encoder.encode('123456789')), 0x31c3);
  });

  it('encodes base32 like nkeys', () => {
    for (let length = 0; length < 80; length++) {
      const bytes = randomFillSync(new Uint8Array(length));
      const text = encodeBase32(bytes);
      assert.equal(text, decoder.decode(base32.encode(bytes)), `length ${length}`);

      const out = new Uint8Array(length);
      assert.equal(decodeBase32Into(text, out), length);
      assert.deepEqual(out, base32.decode(encoder.encode(text)));
    }
  });

  it('encodes the RFC 4648 test vectors', () => {
    // RFC 4648 section 10, with the padding removed.
    const vectors: Array<[string, string]> = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [plain, encoded] of vectors) {
      assert.equal(encodeBase32(encoder.encode(plain)), encoded);
    }
  });
});

describe('decodeBase32Into', () => {
  it('rejects characters outside the alphabet', () => {
    const out = new Uint8Array(8);
    assert.equal(decodeBase32Into('MZXW0', out), NOT_BASE32);
    assert.equal(decodeBase32Into('mzxw6', out), NOT_BASE32);
  });

  it('rejects a too small output', () => {
    assert.equal(decodeBase32Into('MZXW6YTBOI', new Uint8Array(5)), NOT_BASE32);
  });

  it('rejects nonzero trailing bits that nkeys ignores', () => {
    const { seed } = nkeysPairOf('cluster');
    // A 58-character seed carries 290 bits for 288, so the last character's
    // two low bits must be zero. Setting one gives the same bytes to nkeys.
    const lastValue = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(seed[57]);
    const variant = seed.slice(0, 57) + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[lastValue | 1];
    assert.notEqual(variant, seed);
    assert.equal(fromSeed(encoder.encode(variant)).getPublicKey(), fromSeed(encoder.encode(seed)).getPublicKey());
    assert.equal(decodeBase32Into(variant, new Uint8Array(36)), NONZERO_TRAILING_BITS);
  });
});

describe('decodeSeed and decodePublicKey errors', () => {
  it('omit the seed from messages', () => {
    const { seed } = nkeysPairOf('cluster');
    const broken = seed.slice(0, 20) + (seed[20] === 'A' ? 'B' : 'A') + seed.slice(21);
    assert.throws(
      () => decodeSeed(broken),
      (error: Error) => error.message === 'Invalid seed: the checksum does not match.' && !error.message.includes(broken),
    );
    assert.throws(() => decodeSeed(seed.slice(0, 57)), /expected 58 base32 characters, got 57/);
  });

  it('name a public key checksum mismatch', () => {
    const { publicKey } = nkeysPairOf('cluster');
    const broken = publicKey.slice(0, 30) + (publicKey[30] === 'A' ? 'B' : 'A') + publicKey.slice(31);
    assert.throws(() => decodePublicKey(broken), /checksum does not match/);
  });
});
