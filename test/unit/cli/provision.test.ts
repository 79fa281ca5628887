import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { load } from 'js-yaml';
import { credsFileText, operatorSetup } from '../../support/nats-auth';
import { errorsAndWarnings, loadEnv, publicKeyOf, rejectedPairs } from '../core/provision/support';

const root = path.resolve(__dirname, '../../../..');
const cli = path.join(root, 'dist', 'cli.js');
const SEED = /S[A-Z2-7]{57}/;

function runCli(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function readFolder(folder: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(folder)
      .filter((name) => name.endsWith('.env'))
      .sort()
      .map((name) => [name, readFileSync(path.join(folder, name), 'utf8')]),
  );
}

describe('wasmcloud-lattice provision', () => {
  let folder: string;
  const user = operatorSetup();

  before(() => {
    const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    folder = mkdtempSync(path.join(tmpdir(), 'provision-cli-'));
    writeFileSync(path.join(folder, 'user.creds'), credsFileText(user.userJwt, user.userSeed));
  });

  after(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('writes per-host files that lint clean', () => {
    const out = path.join(folder, 'per-host');
    const result = runCli(['provision', '--lattice', 'prod', '--hosts', '3', '--strategy', 'per-host', '--host-version', 'otp', '--out', out], folder);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Wrote host-1\.env, host-2\.env, host-3\.env to .*per-host for lattice 'prod'/);
    assert.doesNotMatch(result.stdout + result.stderr, SEED);

    const files = readFolder(out);
    assert.deepEqual(Object.keys(files), ['host-1.env', 'host-2.env', 'host-3.env']);
    const seedKeys = Object.values(files).map((text) => publicKeyOf(loadEnv(text).WASMCLOUD_CLUSTER_SEED));
    for (const text of Object.values(files)) {
      assert.deepEqual(loadEnv(text).WASMCLOUD_CLUSTER_ISSUERS.split(','), seedKeys);
      assert.equal(loadEnv(text).WASMCLOUD_LATTICE_PREFIX, 'prod');
    }
    assert.deepEqual(rejectedPairs(files), []);
    assert.deepEqual(errorsAndWarnings(files, { hostVersion: 'otp' }), []);
    for (const name of Object.keys(files)) {
      assert.equal(statSync(path.join(out, name)).mode & 0o777, 0o600, name);
    }

    const lint = runCli(['lint', out, '--host-version', 'otp'], folder);
    assert.equal(lint.status, 0, lint.stdout);
    assert.match(lint.stdout, /0 errors, 0 warnings in 3 files/);
  });

  it('names, servers and compose', () => {
    const out = path.join(folder, 'compose');
    const result = runCli(['provision', '--lattice=edge', '--names', 'east,west', '--server', 'nats://10.1.0.1:4222', '--server', 'tls://10.1.0.2:4443', '--host-version', '1.x', '--out', out, '--compose'], folder);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /no cluster keys were generated/);

    const east = loadEnv(readFileSync(path.join(out, 'east.env'), 'utf8'));
    const west = loadEnv(readFileSync(path.join(out, 'west.env'), 'utf8'));
    assert.deepEqual([east.WASMCLOUD_LATTICE, east.WASMCLOUD_RPC_HOST, east.WASMCLOUD_RPC_TLS], ['edge', '10.1.0.1', undefined]);
    assert.deepEqual([west.WASMCLOUD_RPC_HOST, west.WASMCLOUD_RPC_PORT, west.WASMCLOUD_RPC_TLS], ['10.1.0.2', '4443', 'true']);
    assert.equal(east.WASMCLOUD_CLUSTER_SEED, undefined);

    const compose = load(readFileSync(path.join(out, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { image: string; env_file: string[] }> };
    assert.deepEqual(Object.keys(compose.services), ['nats', 'east', 'west']);
    assert.equal(compose.services.east.image, 'wasmcloud/wasmcloud:1.0.4');
    assert.deepEqual(compose.services.west.env_file, ['./west.env']);
  });

  it('rejects overwriting without --force', () => {
    const out = path.join(folder, 'overwrite');
    assert.equal(runCli(['provision', '--lattice', 'prod', '--hosts', '2', '--out', out], folder).status, 0);
    const before = readFileSync(path.join(out, 'host-1.env'), 'utf8');

    const refused = runCli(['provision', '--lattice', 'prod', '--hosts', '3', '--out', out], folder);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /host-1\.env, host-2\.env already exist in .*overwrite\. Nothing was written\. Pass --force/);
    assert.equal(readFileSync(path.join(out, 'host-1.env'), 'utf8'), before);
    assert.equal(existsSync(path.join(out, 'host-3.env')), false);

    const forced = runCli(['provision', '--lattice', 'prod', '--hosts', '2', '--out', out, '--force'], folder);
    assert.equal(forced.status, 0, forced.stderr);
    assert.notEqual(loadEnv(readFileSync(path.join(out, 'host-1.env'), 'utf8')).WASMCLOUD_CLUSTER_SEED, loadEnv(before).WASMCLOUD_CLUSTER_SEED);
  });

  it('--force warns about stale host files', () => {
    const out = path.join(folder, 'shrink');
    assert.equal(runCli(['provision', '--lattice', 'l-08x-shared', '--hosts', '3', '--out', out, '--compose'], folder).status, 0);
    const oldHost3 = readFileSync(path.join(out, 'host-3.env'), 'utf8');

    const result = runCli(['provision', '--lattice', 'again', '--hosts', '2', '--out', out, '--force'], folder);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(
      result.stderr,
      `warning: host-3.env (lattice 'l-08x-shared') in ${out} is not part of lattice 'again' as provisioned now, but still configures a wasmCloud host with its old keys. Delete it if that host is gone.\n`,
    );
    // The stale file is only reported, never deleted.
    assert.equal(readFileSync(path.join(out, 'host-3.env'), 'utf8'), oldHost3);

    // The compose file of the first run was rewritten, so it starts only the new hosts.
    assert.match(result.stdout, /docker-compose\.yml was written by an earlier provision run, so it was rewritten to start the new hosts\./);
    const compose = load(readFileSync(path.join(out, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { env_file: string[] }> };
    assert.deepEqual(Object.keys(compose.services), ['nats', 'host-1', 'host-2']);
    assert.match(readFileSync(path.join(out, 'docker-compose.yml'), 'utf8'), /lattice 'again'/);
    assert.equal(loadEnv(readFileSync(path.join(out, 'host-1.env'), 'utf8')).WASMCLOUD_LATTICE_PREFIX, 'again');
  });

  it('warns about a foreign compose file', () => {
    const out = path.join(folder, 'foreign');
    assert.equal(runCli(['provision', '--lattice', 'prod', '--names', 'a,b', '--out', out], folder).status, 0);
    writeFileSync(path.join(out, 'docker-compose.yml'), 'services:\n  a:\n    env_file: ./a.env\n  b:\n    env_file:\n      - "./b.env"\n');

    const result = runCli(['provision', '--lattice', 'prod', '--names', 'a', '--out', out, '--force'], folder);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /^warning: b\.env in .* is not part of lattice 'prod' as provisioned now/m);
    assert.match(result.stderr, /^warning: docker-compose\.yml in .*foreign was left as is, but it still reads b\.env, which is not part of the new hosts\. Update it, or pass --compose --force to replace it\.$/m);
    assert.equal(readFileSync(path.join(out, 'docker-compose.yml'), 'utf8').includes('./b.env'), true);
  });

  it('creds file per host version', () => {
    const creds = path.join(folder, 'user.creds');
    const modern = path.join(folder, 'creds-1x');
    assert.equal(runCli(['provision', '--lattice', 'prod', '--hosts', '1', '--host-version', '1.x', '--creds', creds, '--out', modern], folder).status, 0);
    const modernEnv = loadEnv(readFileSync(path.join(modern, 'host-1.env'), 'utf8'));
    assert.deepEqual([modernEnv.WASMCLOUD_RPC_CREDS, modernEnv.WASMCLOUD_CTL_CREDS, modernEnv.WASMCLOUD_RPC_JWT], [creds, creds, undefined]);
    assert.equal(runCli(['lint', modern], folder).status, 0);

    const otp = path.join(folder, 'creds-otp');
    const result = runCli(['provision', '--lattice', 'prod', '--hosts', '1', '--host-version', 'otp', '--creds', creds, '--out', otp], folder);
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stdout + result.stderr, SEED);
    const otpEnv = loadEnv(readFileSync(path.join(otp, 'host-1.env'), 'utf8'));
    assert.deepEqual([otpEnv.WASMCLOUD_RPC_JWT, otpEnv.WASMCLOUD_RPC_SEED, otpEnv.WASMCLOUD_PROV_RPC_SEED, otpEnv.WASMCLOUD_RPC_CREDS], [user.userJwt, user.userSeed, user.userSeed, undefined]);
    assert.equal(runCli(['lint', otp, '--host-version', 'otp'], folder).status, 0);
  });

  it('--gitignore lists the host files', () => {
    const out = path.join(folder, 'ignored');
    const result = runCli(['provision', '--lattice', 'prod', '--names', 'a,b', '--out', out, '--gitignore'], folder);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(readFileSync(path.join(out, '.gitignore'), 'utf8'), '# Host files with cluster seeds, written by wasmCloud Lattice\n/a.env\n/b.env\n');
  });

  const usageErrors: Array<[string, string[], RegExp]> = [
    ['missing lattice', ['--hosts', '2'], /Missing --lattice/],
    ['invalid lattice', ['--lattice', 'a*b', '--hosts', '2'], /--lattice: 'a\*b' is not a valid lattice name: '\*' is a NATS wildcard/],
    ['missing hosts', ['--lattice', 'prod'], /Missing --hosts/],
    ['zero hosts', ['--lattice', 'prod', '--hosts', '0'], /--hosts must be a whole number from 1 to 100, not '0'/],
    ['count mismatch', ['--lattice', 'prod', '--hosts', '3', '--names', 'a,b'], /--hosts 3 does not match the 2 names/],
    ['bad strategy', ['--lattice', 'prod', '--hosts', '2', '--strategy', 'each'], /--strategy must be shared or per-host, not 'each'/],
    ['bad version', ['--lattice', 'prod', '--hosts', '2', '--host-version', '2.0'], /--host-version must be one of otp, 0\.8x, 1\.x, not '2\.0'/],
    ['websocket server', ['--lattice', 'prod', '--hosts', '2', '--server', 'ws://x:80'], /--server: 'ws:\/\/x:80' uses ws:\/\//],
    ['unknown option', ['--lattice', 'prod', '--hosts', '2', '--yes'], /Unknown option '--yes'/],
    ['credentials in the server URL', ['--lattice', 'prod', '--hosts', '2', '--server', 'nats://u:p@h:4222'], /--server: The server URL for h contains a user or password\. Hosts do not read credentials from the URL, so remove them and give the credentials with --creds instead\./],
    ['missing creds file', ['--lattice', 'prod', '--hosts', '1', '--host-version', '1.x', '--creds', 'nope.creds'], /--creds: no file exists at .*nope\.creds/],
    ['provider creds on 1.x', ['--lattice', 'prod', '--hosts', '1', '--host-version', '1.x', '--provider-creds', 'user.creds'], /--provider-creds: 1\.x hosts give capability providers the RPC connection/],
    ['host named nats', ['--lattice', 'prod', '--names', 'nats,b', '--compose'], /--names: Host name 'nats' is taken/],
  ];
  for (const [name, args, pattern] of usageErrors) {
    it(`usage error: ${name}`, () => {
      const result = runCli(['provision', ...args, '--out', path.join(folder, 'never')], folder);
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, pattern);
      assert.match(result.stderr, /Run 'wasmcloud-lattice provision --help' for usage\./);
      assert.equal(existsSync(path.join(folder, 'never')), false);
    });
  }

  it('--out must be a folder', () => {
    const before = readFileSync(path.join(folder, 'user.creds'), 'utf8');
    const file = runCli(['provision', '--lattice', 'prod', '--hosts', '2', '--out', 'user.creds'], folder);
    assert.equal(file.status, 2);
    assert.match(file.stderr, /--out user\.creds is a file, not a folder\. Give a folder for the host files\./);
    const below = runCli(['provision', '--lattice', 'prod', '--hosts', '2', '--out', 'user.creds/hosts'], folder);
    assert.equal(below.status, 2);
    assert.match(below.stderr, /--out user\.creds\/hosts is inside .*user\.creds, which is a file, not a folder\./);
    assert.equal(readFileSync(path.join(folder, 'user.creds'), 'utf8'), before);
  });

  it('--help lists every option', () => {
    const result = runCli(['provision', '--help'], folder);
    assert.equal(result.status, 0);
    for (const option of ['--lattice', '--hosts', '--names', '--strategy', '--server', '--host-version', '--out', '--compose', '--force', '--creds', '--gitignore']) {
      assert.ok(result.stdout.includes(option), option);
    }
  });
});
