import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromPublic, fromSeed, Prefix } from '@nats-io/nkeys';
import { parse } from 'dotenv';
import { SeededRandom, hostWorkspace, largeHostFile, seededKey, type GeneratedHostFile } from '../../support/host-files';

const encoder = new TextEncoder();

function workspace(seed: number): GeneratedHostFile[] {
  return hostWorkspace({ seed, files: 60 });
}

describe('seeded host files', () => {
  it('seeded keys match nkeys fromSeed', () => {
    const random = new SeededRandom(7);
    for (const prefix of [Prefix.Cluster, Prefix.Account, Prefix.User, Prefix.Server]) {
      const key = seededKey(random, prefix);
      assert.equal(fromSeed(encoder.encode(key.seed)).getPublicKey(), key.publicKey);
    }
  });

  it('same seed gives same files', () => {
    assert.deepEqual(workspace(11), workspace(11));
  });

  it('other seed gives other files', () => {
    assert.notDeepEqual(
      workspace(11).map((file) => file.text),
      workspace(12).map((file) => file.text),
    );
  });

  it('workspace has requested file count', () => {
    assert.equal(workspace(11).length, 60);
    assert.equal(new Set(workspace(11).map((file) => file.path)).size, 60);
  });

  it('files sit in nested folders', () => {
    for (const file of workspace(11)) {
      assert.ok(file.path.split('/').length >= 4, file.path);
    }
  });

  it('every file is a host file for dotenv', () => {
    for (const file of workspace(11)) {
      const values = parse(file.text);
      assert.ok(
        Object.keys(values).some((key) => key.startsWith('WASMCLOUD_')),
        file.path,
      );
    }
  });

  it('cluster seeds are listed in issuers', () => {
    let checked = 0;
    for (const file of workspace(11).filter((candidate) => candidate.fault === undefined)) {
      const values = parse(file.text);
      const seed = values.WASMCLOUD_CLUSTER_SEED;
      if (seed === undefined) {
        continue;
      }
      const publicKey = fromSeed(encoder.encode(seed)).getPublicKey();
      assert.ok(values.WASMCLOUD_CLUSTER_ISSUERS.split(',').includes(publicKey), file.path);
      checked++;
    }
    assert.ok(checked > 10, `only ${checked} files with a cluster seed`);
  });

  it('user JWTs carry valid signatures', () => {
    let checked = 0;
    for (const file of workspace(11)) {
      for (const [key, value] of Object.entries(parse(file.text))) {
        if (!key.endsWith('_JWT')) {
          continue;
        }
        const [header, claims, signature] = value.split('.');
        const issuer = (JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as { iss: string }).iss;
        assert.ok(fromPublic(issuer).verify(encoder.encode(`${header}.${claims}`), Buffer.from(signature, 'base64url')), `${file.path} ${key}`);
        checked++;
      }
    }
    assert.ok(checked > 10, `only ${checked} JWTs`);
  });

  it('large file has exact line count', () => {
    assert.equal(largeHostFile(3, 500).split('\n').length, 500);
    assert.equal(largeHostFile(3, 10_000).split('\n').length, 10_000);
  });

  it('large file has multiline values', () => {
    const values = parse(largeHostFile(3, 2000));
    assert.ok(Object.values(values).some((value) => value.includes('\n')));
  });
});
