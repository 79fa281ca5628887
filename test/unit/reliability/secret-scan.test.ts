/**
 * The secret scan that ends the extension test run
 * (scripts/vscode/secret-scan.mjs) must find what it is meant to find: seeds
 * of every kind, recorded passwords, tokens and JWTs, and creds file bodies,
 * in each place it scans, and stay quiet about public keys, redacted text
 * and secret storage. Here it runs on a session folder built by the test.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createCluster, createUser } from '@nats-io/nkeys';
import { decodeSeed } from '../../../src/core/keys/codec';
import { encodeSeedText, Rng } from '../../support/fuzz';

const root = path.resolve(__dirname, '../../../..');
const decoder = new TextDecoder();

interface Check {
  title: string;
  ok: boolean;
  detail: string;
}

interface ScanModule {
  scanSession(options: Record<string, unknown>): Check[];
  secretsIn(text: string, context: { needles: { kind: string; value: string }[]; decodeSeed: (text: string) => unknown }): { kind: string; shown: string }[];
}

async function loadScanner(): Promise<ScanModule> {
  return (await import(pathToFileURL(path.join(root, 'scripts', 'vscode', 'secret-scan.mjs')).href)) as ScanModule;
}

describe('secret scan', () => {
  let scanner: ScanModule;
  let dir: string;
  const seed = decoder.decode(createCluster().getSeed());
  const publicKey = createCluster().getPublicKey();
  // A wasmCloud module seed, which @nats-io/nkeys cannot decode but hosts use.
  const moduleSeed = encodeSeedText('M', new Rng(5).bytes(32));
  const userSeed = decoder.decode(createUser().getSeed());
  const password = 'pw-planted-91ab';
  const jwt = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJzdWIiOiJVQSJ9.c2lnbmF0dXJl';

  before(async () => {
    scanner = await loadScanner();
    dir = mkdtempSync(path.join(tmpdir(), 'wcl-scan-'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Builds a session folder; each part is clean unless the test plants a secret there. */
  function session(name: string, parts: { log?: string; shown?: string; settings?: string; state?: [string, string][]; needles?: object[] }): Record<string, unknown> {
    const base = path.join(dir, name);
    const userData = path.join(base, 'user-data');
    const logFolder = path.join(userData, 'logs', '20260101T000000', 'exthost1', 'wasmcloud-lattice.wasmcloud-lattice');
    mkdirSync(logFolder, { recursive: true });
    writeFileSync(path.join(logFolder, 'wasmCloud Lattice.log'), `2026-01-01 [info] Connected\n${parts.log ?? `public key ${publicKey}`}\n`);
    mkdirSync(path.join(userData, 'User'), { recursive: true });
    writeFileSync(path.join(userData, 'User', 'settings.json'), parts.settings ?? '{ "wasmcloudLattice.connections": [] }');
    const workspace = path.join(base, 'workspace');
    mkdirSync(workspace, { recursive: true });
    const needlesFile = path.join(base, 'needles.jsonl');
    writeFileSync(needlesFile, (parts.needles ?? [{ kind: 'password', value: password }, { kind: 'jwt', value: jwt }, { kind: 'password', value: 'js' }]).map((line) => `${JSON.stringify(line)}\n`).join(''));
    const captureFile = path.join(base, 'capture.jsonl');
    writeFileSync(captureFile, `${JSON.stringify({ source: 'log', text: parts.shown ?? '[info] creds -----BEGIN USER NKEY SEED----- [redacted] ------END USER NKEY SEED------' })}\n`);
    const state = parts.state ?? [['wasmcloud-lattice.wasmcloud-lattice', JSON.stringify({ keys: [{ publicKey }] })]];
    return {
      userDataDir: userData,
      workspace,
      needlesFile,
      captureFile,
      browserState: { databases: [{ name: 'vscode-web-state-db-global', stores: [{ name: 'ItemTable', entries: [...state, [`secret://stored-key`, seed]] }] }], localStorage: [] },
      decodeSeed,
    };
  }

  function failing(checks: Check[]): string[] {
    return checks.filter((check) => !check.ok).map((check) => check.title);
  }

  it('passes a clean session', () => {
    const checks = scanner.scanSession(session('clean', {}));
    assert.equal(checks.length, 4);
    assert.deepEqual(failing(checks), [], JSON.stringify(checks, null, 2));
  });

  it('finds a seed in a log file', () => {
    const checks = scanner.scanSession(session('log', { log: `error: bad seed ${seed} given` }));
    assert.deepEqual(failing(checks), ['log files hold no secret']);
    const detail = checks[0].detail;
    assert.match(detail, /wasmCloud Lattice\.log:2: nkey seed SC/);
    assert.ok(!detail.includes(seed), 'the report repeats the seed');
  });

  it('finds a module seed after a stray S', () => {
    assert.deepEqual(
      scanner.secretsIn(`S${moduleSeed}`, { needles: [], decodeSeed }).map((found) => found.kind),
      ['nkey seed'],
    );
  });

  it('finds a recorded password in settings', () => {
    const checks = scanner.scanSession(session('settings', { settings: `{ "wasmcloudLattice.connections": [{ "name": "x", "password": "${password}" }] }` }));
    assert.deepEqual(failing(checks), ['settings hold no secret']);
    assert.match(checks[2].detail, /password pw-p…/);
  });

  it('finds a JWT in shown texts', () => {
    const checks = scanner.scanSession(session('shown', { shown: `Connected with ${jwt}` }));
    assert.deepEqual(failing(checks), ['logged and shown texts hold no secret']);
  });

  it('finds creds content in stored state', () => {
    const creds = `-----BEGIN USER NKEY SEED-----\n${userSeed.slice(0, 20)}\n------END USER NKEY SEED------`;
    const checks = scanner.scanSession(session('state', { state: [['wasmcloud-lattice.wasmcloud-lattice', creds]] }));
    assert.deepEqual(failing(checks), ['globalState and workspaceState hold no secret']);
    assert.match(checks[3].detail, /creds file content/);
  });

  it('ignores public keys, broken seeds and secret storage', () => {
    const broken = `${seed.slice(0, 57)}${seed[57] === 'A' ? 'B' : 'A'}`;
    const found = scanner.secretsIn(`${publicKey} ${broken} js`, { needles: [{ kind: 'password', value: 'pw-other-0000' }], decodeSeed });
    assert.deepEqual(found, []);
  });

  it('fails when there is nothing to scan', () => {
    const options = session('empty', {});
    const checks = scanner.scanSession({ ...options, userDataDir: path.join(dir, 'missing'), captureFile: path.join(dir, 'missing.jsonl'), browserState: undefined });
    assert.deepEqual(failing(checks), ['log files hold no secret', 'logged and shown texts hold no secret', 'settings hold no secret', 'globalState and workspaceState hold no secret']);
    for (const check of checks.filter((candidate) => !candidate.ok)) {
      assert.match(check.detail, /^nothing to scan: /);
    }
  });
});
