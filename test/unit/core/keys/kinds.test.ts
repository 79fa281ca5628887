import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KEY_KINDS, findKeyKind, keyKindInfo, keyKindNames } from '../../../../src/core/keys/kinds';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

describe('KEY_KINDS', () => {
  it('lists the eight wash kinds', () => {
    assert.deepEqual(
      KEY_KINDS.map((info) => info.kind),
      ['account', 'cluster', 'module', 'operator', 'server', 'service', 'user', 'curve'],
    );
  });

  it('has prefixes matching the prefix bytes', () => {
    for (const info of KEY_KINDS) {
      assert.equal(info.prefixByte & 7, 0, info.kind);
      assert.equal(info.publicPrefix, ALPHABET[info.prefixByte >> 3], info.kind);
      assert.equal(info.seedPrefix, `S${info.publicPrefix}`, info.kind);
    }
  });

  it('uses the wasmCloud module and service bytes', () => {
    assert.equal(keyKindInfo('module').prefixByte, 12 << 3);
    assert.equal(keyKindInfo('service').prefixByte, 21 << 3);
  });
});

describe('findKeyKind', () => {
  it('finds names and wash aliases', () => {
    assert.equal(findKeyKind('cluster'), 'cluster');
    assert.equal(findKeyKind('component'), 'module');
    assert.equal(findKeyKind('host'), 'server');
    assert.equal(findKeyKind('provider'), 'service');
    assert.equal(findKeyKind('x25519'), 'curve');
  });

  it('ignores case and spaces', () => {
    assert.equal(findKeyKind(' Cluster '), 'cluster');
  });

  it('returns undefined for unknown words', () => {
    assert.equal(findKeyKind('actor'), undefined);
    assert.equal(findKeyKind(''), undefined);
    assert.equal(findKeyKind('C'), undefined);
  });

  it('lists every name and alias', () => {
    assert.deepEqual(keyKindNames(), [
      'account',
      'cluster',
      'module',
      'component',
      'operator',
      'server',
      'host',
      'service',
      'provider',
      'user',
      'curve',
      'x25519',
    ]);
  });
});
