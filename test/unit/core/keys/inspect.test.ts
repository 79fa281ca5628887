import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectKey, type KeyInspection, type KeyProblem } from '../../../../src/core/keys/inspect';
import { KEY_KINDS } from '../../../../src/core/keys/kinds';
import { NKEYS_CREATORS, changeCharacter, nkeysEncode, nkeysPair, nkeysPairOf, randomKeyBytes } from './support';

/**
 * Asserts the problem and that the reason names it without containing the
 * key. `key` is undefined for inputs too short to leak.
 */
function assertProblem(inspection: KeyInspection, problem: KeyProblem, key: string | undefined, reasonPattern: RegExp): void {
  assert.equal(inspection.valid, false);
  assert.equal(inspection.problem, problem);
  assert.match(inspection.reason ?? '', reasonPattern);
  if (key !== undefined) {
    assert.ok(!(inspection.reason ?? '').includes(key.trim()), 'the reason contains the key');
    assert.ok(!(inspection.reason ?? '').includes(key.trim().slice(2, 20)), 'the reason contains part of the key');
  }
}

describe('inspectKey on valid keys', () => {
  for (const [kind, create] of NKEYS_CREATORS) {
    it(`accepts nkeys ${kind} keys`, () => {
      for (let round = 0; round < 10; round++) {
        const { publicKey, seed } = nkeysPair(create);

        const publicInspection = inspectKey(publicKey);
        assert.equal(publicInspection.valid, true);
        assert.equal(publicInspection.type, 'public');
        assert.equal(publicInspection.kind, kind);
        assert.equal(publicInspection.problem, undefined);
        assert.equal(publicInspection.publicKey, undefined);

        const seedInspection = inspectKey(seed, { type: 'seed', kind });
        assert.equal(seedInspection.valid, true);
        assert.equal(seedInspection.type, 'seed');
        assert.equal(seedInspection.kind, kind);
        assert.equal(seedInspection.publicKey, publicKey);
      }
    });
  }

  for (const kind of ['module', 'service'] as const) {
    it(`accepts ${kind} keys encoded by nkeys' layout`, () => {
      const prefixByte = KEY_KINDS.find((info) => info.kind === kind)?.prefixByte ?? -1;
      const bytes = randomKeyBytes();
      assert.equal(inspectKey(nkeysEncode(false, prefixByte, bytes)).kind, kind);
      assert.equal(inspectKey(nkeysEncode(false, prefixByte, bytes)).valid, true);
      assert.equal(inspectKey(nkeysEncode(true, prefixByte, bytes)).kind, kind);
      assert.equal(inspectKey(nkeysEncode(true, prefixByte, bytes)).valid, true);
    });
  }
});

describe('inspectKey rejections', () => {
  const cluster = nkeysPairOf('cluster');

  it('rejects a truncated seed', () => {
    const truncated = cluster.seed.slice(0, 57);
    const inspection = inspectKey(truncated, { type: 'seed', kind: 'cluster' });
    assertProblem(inspection, 'length', truncated, /^This cluster seed has 57 characters instead of 58, /);
    assert.equal(inspection.type, 'seed');
    assert.equal(inspection.kind, 'cluster');
  });

  it('rejects a truncated public key', () => {
    const truncated = cluster.publicKey.slice(0, 55);
    assertProblem(inspectKey(truncated), 'length', truncated, /^This cluster public key has 55 characters instead of 56, /);
  });

  it('rejects an overlong public key', () => {
    const overlong = `${cluster.publicKey}AB`;
    assertProblem(inspectKey(overlong), 'length', overlong, /58 characters instead of 56, so remove the extra characters/);
  });

  it('rejects every one-character change of a seed', () => {
    // Positions 0 and 1 hold the prefix letters, which have their own check.
    for (let index = 2; index < cluster.seed.length; index++) {
      const changed = changeCharacter(cluster.seed, index);
      assertProblem(inspectKey(changed), 'checksum', changed, /^This cluster seed (fails its checksum|ends in a character that no nkey encoder writes there)/);
    }
  });

  it('rejects every one-character change of a public key', () => {
    for (let index = 1; index < cluster.publicKey.length; index++) {
      const changed = changeCharacter(cluster.publicKey, index);
      assertProblem(inspectKey(changed), 'checksum', changed, /^This cluster public key fails its checksum because a character was changed or mistyped/);
    }
  });

  it('rejects a changed kind letter', () => {
    // 'A' is a valid prefix too, so the checksum catches the change.
    const changed = `A${cluster.publicKey.slice(1)}`;
    const inspection = inspectKey(changed);
    assertProblem(inspection, 'checksum', changed, /^This account public key fails its checksum/);
  });

  it('rejects lower case', () => {
    const lower = cluster.seed.toLowerCase();
    const inspection = inspectKey(lower, { type: 'seed', kind: 'cluster' });
    assertProblem(inspection, 'lowercase', lower, /lower-case letters, but nkeys are upper case, so convert it to upper case/);
    assert.equal(inspection.type, 'seed');
    assert.equal(inspection.kind, 'cluster');
  });

  it('rejects a trailing newline', () => {
    const withNewline = `${cluster.seed}\n`;
    assertProblem(inspectKey(withNewline, { type: 'seed', kind: 'cluster' }), 'whitespace', withNewline, /^The key ends with a line break, so remove it\.$/);
  });

  it('rejects leading and inner whitespace', () => {
    assertProblem(inspectKey(` ${cluster.publicKey}`), 'whitespace', cluster.publicKey, /^The key starts with a space, so remove it\.$/);
    const split = `${cluster.publicKey.slice(0, 10)}\t${cluster.publicKey.slice(10)}`;
    assertProblem(inspectKey(split), 'whitespace', cluster.publicKey, /^The key contains a tab at character 11, so remove it\.$/);
    assertProblem(inspectKey(`${cluster.publicKey}\u00a0`), 'whitespace', cluster.publicKey, /invisible space character \(U\+00A0\)/);
    assertProblem(inspectKey('   '), 'whitespace', undefined, /only whitespace/);
  });

  it('rejects a public key given as a seed', () => {
    const inspection = inspectKey(cluster.publicKey, { type: 'seed', kind: 'cluster' });
    assertProblem(inspection, 'public-key-as-seed', cluster.publicKey, /^This is a cluster public key, but a seed is needed here, so use the cluster seed \(SC…\) that belongs to it\.$/);
    assert.equal(inspection.type, 'public');
    assert.equal(inspection.kind, 'cluster');
  });

  it('rejects a seed given as a public key', () => {
    const inspection = inspectKey(cluster.seed, { type: 'public', kind: 'cluster' });
    assertProblem(inspection, 'seed-as-public-key', cluster.seed, /^This is a cluster seed, which must stay secret, but a public key is needed here, so use its public key \(C…\) instead\.$/);
    assert.equal(inspection.publicKey, cluster.publicKey);
  });

  it('rejects a seed of the wrong kind', () => {
    const account = nkeysPairOf('account');
    const inspection = inspectKey(account.seed, { type: 'seed', kind: 'cluster' });
    assertProblem(inspection, 'wrong-kind', account.seed, /^This is an account seed, but a cluster seed is needed here, so use a cluster seed \(SC…\)\.$/);
    assert.equal(inspection.type, 'seed');
    assert.equal(inspection.kind, 'account');
  });

  it('rejects a public key of the wrong kind', () => {
    const server = nkeysPairOf('server');
    assertProblem(inspectKey(server.publicKey, { type: 'public', kind: 'cluster' }), 'wrong-kind', server.publicKey, /^This is a server public key, but a cluster public key is needed here/);
  });

  it('rejects characters outside the alphabet', () => {
    const withZero = `${cluster.publicKey.slice(0, 11)}0${cluster.publicKey.slice(12)}`;
    assertProblem(inspectKey(withZero), 'alphabet', withZero, /^Character 12 is '0', which is not in the nkey alphabet \(A to Z and 2 to 7\)/);
    const withEmoji = `${cluster.publicKey.slice(0, 5)}\u{1F511}`;
    assertProblem(inspectKey(withEmoji), 'alphabet', withEmoji, /^Character 6 is U\+1F511, /);
  });

  it('rejects a pasted .env line', () => {
    const line = `WASMCLOUD_CLUSTER_SEED=${cluster.seed}`;
    const inspection = inspectKey(line);
    assertProblem(inspection, 'assignment', cluster.seed, /^The text starts with 'WASMCLOUD_CLUSTER_SEED=', the variable name of a \.env line, so pass only the value after '='\.$/);
    assert.equal(inspection.type, 'seed');
    assert.equal(inspection.kind, 'cluster');

    const exported = inspectKey(`export WASMCLOUD_CLUSTER_ISSUERS = ${cluster.publicKey}`);
    assertProblem(exported, 'assignment', cluster.publicKey, /^The text starts with 'WASMCLOUD_CLUSTER_ISSUERS=', /);
    assert.equal(exported.type, 'public');
  });

  it('quotes no name made of key characters', () => {
    // A key fragment before '=' must not be echoed as if it were a name.
    const fragment = `${cluster.seed.slice(0, 30)}=${cluster.seed.slice(30)}`;
    assertProblem(inspectKey(fragment), 'assignment', cluster.seed.slice(0, 30), /^The text starts with a variable name and '=', as in a \.env line, so pass only the value after '='\.$/);
    // Base32 padding after a whole key is no .env line.
    assertProblem(inspectKey(`${cluster.publicKey}=`), 'alphabet', cluster.publicKey, /^Character 57 is '=', which is not in the nkey alphabet/);
  });

  it('quotes no name containing a key', () => {
    // A seed inside a longer name, as in a mangled line, must not be echoed either.
    const mangled = `X_${cluster.seed}=${cluster.seed}`;
    const inspection = inspectKey(mangled);
    assert.equal(inspection.problem, 'assignment');
    assert.ok(!inspection.reason?.includes(cluster.seed.slice(0, 16)));
  });

  it('rejects a JWT', () => {
    const header = Buffer.from('{"typ":"JWT","alg":"ed25519-nkey"}').toString('base64url');
    const payload = Buffer.from(`{"sub":"${nkeysPairOf('user').publicKey}"}`).toString('base64url');
    const jwt = `${header}.${payload}.c2lnbmF0dXJl`;
    const inspection = inspectKey(jwt);
    assertProblem(inspection, 'jwt', jwt, /^This is a JWT \(it starts with 'eyJ' and has three parts separated by dots\), not an nkey\. Give a public key \(56 characters\) or a seed \(58 characters starting with S\) instead\.$/);
    assert.equal(inspection.type, 'unknown');
  });

  it('names look-alike letters', () => {
    const cyrillic = `\u0421${cluster.publicKey.slice(1)}`;
    assertProblem(inspectKey(cyrillic), 'alphabet', cyrillic, /^Character 1 is U\+0421 \(Cyrillic\), which looks like the Latin letter 'C' but is a different character, /);
    const greek = `${cluster.publicKey.slice(0, 9)}\u039F${cluster.publicKey.slice(10)}`;
    assertProblem(inspectKey(greek), 'alphabet', greek, /^Character 10 is U\+039F \(Greek\), which looks like the Latin letter 'O' /);
    const fullwidth = `${cluster.publicKey.slice(0, 3)}\uFF21${cluster.publicKey.slice(4)}`;
    assertProblem(inspectKey(fullwidth), 'alphabet', fullwidth, /^Character 4 is U\+FF21 \(fullwidth\), which looks like the Latin letter 'A' /);
  });

  it('rejects a quoted key', () => {
    const quoted = `"${cluster.seed}"`;
    assertProblem(inspectKey(quoted), 'alphabet', quoted, /^The key is wrapped in quotation marks, so remove them\.$/);
  });

  it('rejects unknown prefixes', () => {
    const unknownLetter = `Q${cluster.publicKey.slice(1)}`;
    const unknown = inspectKey(unknownLetter);
    assertProblem(unknown, 'prefix', unknownLetter, /^The key starts with 'Q', which is no nkey prefix, so enter a public key that starts with one of A, C, M, O, N, V, U, X or a seed that starts with S\.$/);
    assert.equal(unknown.type, 'unknown');

    const unknownSeedKind = `SQ${cluster.seed.slice(2)}`;
    const seedInspection = inspectKey(unknownSeedKind);
    assertProblem(seedInspection, 'prefix', unknownSeedKind, /^The seed's second character 'Q' names no key kind/);
    assert.equal(seedInspection.type, 'seed');

    assertProblem(inspectKey(`P${cluster.publicKey.slice(1)}`), 'prefix', cluster.publicKey, /marks an nkey private key/);
    assertProblem(inspectKey('S'), 'prefix', undefined, /^The key is only 'S'/);
  });

  it('rejects a prefix byte with low bits set', () => {
    // The letter still reads 'C', but the byte is 17 instead of 16. The
    // checksum is right because nkeys' layout function computed it.
    const crafted = nkeysEncode(false, (2 << 3) | 1, randomKeyBytes());
    assert.equal(crafted[0], 'C');
    assertProblem(inspectKey(crafted), 'prefix', crafted, /^This cluster public key has a prefix byte that no nkey tool writes/);
  });

  it('rejects an empty key', () => {
    assertProblem(inspectKey('', { type: 'seed', kind: 'cluster' }), 'empty', undefined, /^The key is empty, so enter a cluster seed \(58 characters starting with SC\)\.$/);
    assertProblem(inspectKey(''), 'empty', undefined, /^The key is empty, so enter a public key \(56 characters\) or a seed/);
  });

  it('gives each required case its own reason', () => {
    const account = nkeysPairOf('account');
    const reasons = [
      inspectKey(cluster.seed.slice(0, 57), { type: 'seed', kind: 'cluster' }),
      inspectKey(changeCharacter(cluster.seed, 30), { type: 'seed', kind: 'cluster' }),
      inspectKey(cluster.seed.toLowerCase(), { type: 'seed', kind: 'cluster' }),
      inspectKey(`${cluster.seed}\n`, { type: 'seed', kind: 'cluster' }),
      inspectKey(cluster.publicKey, { type: 'seed', kind: 'cluster' }),
      inspectKey(account.seed, { type: 'seed', kind: 'cluster' }),
    ].map((inspection) => inspection.reason);
    assert.equal(new Set(reasons).size, reasons.length);
    for (const reason of reasons) {
      assert.notEqual(reason, undefined);
      assert.ok(!reason?.includes(cluster.seed));
      assert.ok(!reason?.includes(account.seed));
    }
  });

  it('derives no public key for invalid seeds', () => {
    assert.equal(inspectKey(changeCharacter(cluster.seed, 30)).publicKey, undefined);
  });
});
