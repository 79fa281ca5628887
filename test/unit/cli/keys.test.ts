import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { createAccount, createCluster, fromSeed } from '@nats-io/nkeys';

const root = path.resolve(__dirname, '../../../..');
const cli = path.join(root, 'dist', 'cli.js');
const decoder = new TextDecoder();
const encoder = new TextEncoder();

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], input = ''): CliResult {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, input, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function clusterPair(): { publicKey: string; seed: string } {
  const pair = createCluster();
  return { publicKey: pair.getPublicKey(), seed: decoder.decode(pair.getSeed()) };
}

describe('wasmcloud-lattice keys', () => {
  before(() => {
    const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
  });

  it('gen cluster prints text', () => {
    const result = runCli(['keys', 'gen', 'cluster']);
    assert.equal(result.status, 0, result.stderr);
    const match = /^Public Key: (C[A-Z2-7]{55})\nSeed: (SC[A-Z2-7]{56})\n\n(.+)\n$/.exec(result.stdout);
    assert.ok(match, result.stdout);
    assert.equal(fromSeed(encoder.encode(match[2])).getPublicKey(), match[1]);
    assert.match(match[3], /Keep the seed secret/);
  });

  it('gen cluster prints json', () => {
    const result = runCli(['keys', 'gen', 'cluster', '-o', 'json']);
    assert.equal(result.status, 0, result.stderr);
    const parsed = JSON.parse(result.stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(parsed), ['public_key', 'seed']);
    assert.equal(fromSeed(encoder.encode(parsed.seed)).getPublicKey(), parsed.public_key);
  });

  it('gen accepts wash aliases', () => {
    const cases: Array<[string, string]> = [
      ['component', 'M'],
      ['host', 'N'],
      ['provider', 'V'],
      ['x25519', 'X'],
      ['ACCOUNT', 'A'],
    ];
    for (const [kind, prefix] of cases) {
      const result = runCli(['keys', 'gen', kind, '--output=json']);
      assert.equal(result.status, 0, result.stderr);
      const parsed = JSON.parse(result.stdout) as Record<string, string>;
      assert.equal(parsed.public_key[0], prefix, kind);
      assert.equal(parsed.seed.slice(0, 2), `S${prefix}`, kind);
    }
  });

  it('gen rejects an unknown kind', () => {
    const result = runCli(['keys', 'gen', 'actor']);
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /Unknown key kind 'actor'\. Use one of: account, cluster, module \(component\), operator, server \(host\), service \(provider\), user, curve \(x25519\)\./);
  });

  it('gen rejects a missing kind', () => {
    const result = runCli(['keys', 'gen']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Missing key kind/);
  });

  it('rejects an unknown output format', () => {
    const result = runCli(['keys', 'gen', 'cluster', '-o', 'yaml']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Invalid output format 'yaml'/);
  });

  it('inspect shows a seed as json', () => {
    const { publicKey, seed } = clusterPair();
    const result = runCli(['keys', 'inspect', seed, '-o', 'json']);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { kind: 'cluster', type: 'seed', valid: true, public_key: publicKey });
    assert.ok(!result.stdout.includes(seed));
  });

  it('inspect shows a seed as text', () => {
    const { publicKey, seed } = clusterPair();
    const result = runCli(['keys', 'inspect', seed]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, `Type:       seed\nKind:       cluster\nValid:      yes\nPublic Key: ${publicKey}\n`);
  });

  it('inspect shows a public key', () => {
    const publicKey = createAccount().getPublicKey();
    const result = runCli(['keys', 'inspect', publicKey, '-o', 'json']);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { kind: 'account', type: 'public', valid: true });
  });

  it('inspect exits 1 for a truncated seed', () => {
    const { seed } = clusterPair();
    const result = runCli(['keys', 'inspect', seed.slice(0, 57), '-o', 'json']);
    assert.equal(result.status, 1);
    const parsed = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.equal(parsed.valid, false);
    assert.equal(parsed.type, 'seed');
    assert.equal(parsed.kind, 'cluster');
    assert.match(String(parsed.reason), /57 characters instead of 58/);
    assert.equal(parsed.public_key, undefined);
    assert.ok(!result.stdout.includes(seed.slice(0, 57)));
  });

  it('inspect reports an unknown prefix', () => {
    const result = runCli(['keys', 'inspect', 'hello world', '-o', 'json']);
    assert.equal(result.status, 1);
    const parsed = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.equal(parsed.kind, 'unknown');
    assert.equal(parsed.type, 'unknown');
    assert.equal(parsed.valid, false);

    const text = runCli(['keys', 'inspect', 'hello world']);
    assert.match(text.stdout, /^Type: +unknown\nKind: +unknown\n/);
  });

  it('inspect names a pasted .env line', () => {
    const { seed } = clusterPair();
    const result = runCli(['keys', 'inspect', `WASMCLOUD_CLUSTER_SEED=${seed}`, '-o', 'json']);
    assert.equal(result.status, 1);
    const parsed = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.equal(parsed.reason, "The text starts with 'WASMCLOUD_CLUSTER_SEED=', the variable name of a .env line, so pass only the value after '='.");
    assert.equal(parsed.type, 'seed');
    assert.equal(parsed.kind, 'cluster');
    assert.ok(!result.stdout.includes(seed.slice(0, 12)));
  });

  it('inspect names a JWT', () => {
    const jwt = `eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.${Buffer.from('{"sub":"U"}').toString('base64url')}.c2ln`;
    const result = runCli(['keys', 'inspect', jwt]);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /Reason: +This is a JWT \(it starts with 'eyJ' and has three parts separated by dots\), not an nkey\./);
  });

  it('inspect names a look-alike letter', () => {
    const { publicKey } = clusterPair();
    // U+0421 CYRILLIC CAPITAL LETTER ES in place of the Latin C.
    const result = runCli(['keys', 'inspect', `\u0421${publicKey.slice(1)}`]);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /Reason: +Character 1 is U\+0421 \(Cyrillic\), which looks like the Latin letter 'C' but is a different character/);
  });

  it('inspect reads the key from stdin', () => {
    const { publicKey, seed } = clusterPair();
    const result = runCli(['keys', 'inspect', '-', '-o', 'json'], `${seed}\n`);
    assert.equal(result.status, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as Record<string, unknown>).public_key, publicKey);
  });

  it('inspect keeps stray whitespace from stdin', () => {
    const { seed } = clusterPair();
    const result = runCli(['keys', 'inspect', '-'], `${seed} \n`);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /Reason: The key ends with a space, so remove it\./);
  });
});
