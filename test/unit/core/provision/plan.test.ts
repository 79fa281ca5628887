import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { load } from 'js-yaml';
import { lintEnvironment, nodeLintHost } from '../../../../src/core/rules/environment';
import { lintText } from '../../../../src/core/rules/lint';
import { HOST_PROFILES, findHostVariable, type HostProfile } from '../../../../src/core/rules/variables';
import { HOST_IMAGES } from '../../../../src/core/provision/compose';
import { readCredsText } from '../../../../src/core/provision/credentials';
import { ProvisionError, planProvision, validateProvisionRequest } from '../../../../src/core/provision/plan';
import { DEFAULT_SERVER, KEY_STRATEGIES, NO_CREDENTIALS, parseHostNames, parseServerUrl, parseServerUrls, type ConnectionCredentials, type ProvisionRequest } from '../../../../src/core/provision/request';
import { credsFileText, operatorSetup } from '../../../support/nats-auth';
import { errorsAndWarnings, loadEnv, publicKeyOf, rejectedPairs } from './support';

const HOSTS = ['east', 'west', 'edge'];

function request(overrides: Partial<ProvisionRequest> = {}): ProvisionRequest {
  return {
    lattice: 'prod',
    hosts: HOSTS,
    strategy: 'shared',
    servers: [DEFAULT_SERVER],
    hostVersion: 'otp',
    credentials: NO_CREDENTIALS,
    compose: false,
    ...overrides,
  };
}

function filesOf(plan: ReturnType<typeof planProvision>): Record<string, string> {
  return Object.fromEntries(plan.hostFiles.map((file) => [file.fileName, file.text]));
}

const user = operatorSetup();
const jwtCredentials = { kind: 'jwt', jwt: user.userJwt, seed: user.userSeed } as const;

describe('planProvision lints clean', () => {
  for (const strategy of KEY_STRATEGIES) {
    for (const hostVersion of HOST_PROFILES) {
      for (const setting of ['auto', hostVersion] as const) {
        it(`${strategy}, ${hostVersion} hosts, hostVersion ${setting}`, () => {
          const plan = planProvision(request({ strategy, hostVersion }));
          assert.deepEqual(errorsAndWarnings(filesOf(plan), { hostVersion: setting }), []);
        });
      }
    }
  }

  for (const hostVersion of HOST_PROFILES) {
    it(`JWT credentials and TLS, ${hostVersion}`, () => {
      const credentials: ConnectionCredentials = { rpc: jwtCredentials, ctl: jwtCredentials, ...(hostVersion === '1.x' ? {} : { providers: jwtCredentials }) };
      const servers = [{ host: 'nats-a.example', port: 4222, tls: true }, { host: 'nats-b.example', port: 4443, tls: true }];
      const plan = planProvision(request({ strategy: 'per-host', hostVersion, credentials, servers }));
      for (const setting of ['auto', hostVersion] as const) {
        assert.deepEqual(errorsAndWarnings(filesOf(plan), { hostVersion: setting }), [], `hostVersion ${setting}`);
      }
    });
  }
});

describe('planProvision keys', () => {
  it('per-host: every public key in every issuers list', () => {
    const plan = planProvision(request({ strategy: 'per-host', hostVersion: '0.8x' }));
    const envs = plan.hostFiles.map((file) => loadEnv(file.text));
    const publicKeys = envs.map((env) => publicKeyOf(env.WASMCLOUD_CLUSTER_SEED));

    assert.equal(new Set(publicKeys).size, HOSTS.length);
    for (const env of envs) {
      assert.deepEqual(env.WASMCLOUD_CLUSTER_ISSUERS.split(','), publicKeys);
    }
    assert.deepEqual(rejectedPairs(filesOf(plan)), []);
    assert.deepEqual(
      plan.clusterKeys.map((key) => [key.name, key.publicKey, key.hosts]),
      HOSTS.map((host, index) => [`prod-${host}`, publicKeys[index], [host]]),
    );
    assert.deepEqual(
      plan.hostFiles.map((file) => file.clusterPublicKey),
      publicKeys,
    );
  });

  it('shared: one seed and one issuer', () => {
    const plan = planProvision(request({ strategy: 'shared', hostVersion: 'otp' }));
    const envs = plan.hostFiles.map((file) => loadEnv(file.text));
    const seeds = new Set(envs.map((env) => env.WASMCLOUD_CLUSTER_SEED));

    assert.equal(seeds.size, 1);
    const [seed] = seeds;
    assert.match(seed, /^SC[A-Z2-7]{56}$/);
    for (const env of envs) {
      assert.equal(env.WASMCLOUD_CLUSTER_ISSUERS, publicKeyOf(seed));
      assert.equal(env.WASMCLOUD_LATTICE_PREFIX, 'prod');
    }
    assert.equal(plan.clusterKeys.length, 1);
    assert.equal(plan.clusterKeys[0].name, 'prod-cluster');
    assert.equal(plan.clusterKeys[0].seed, seed);
  });

  it('1.x: lattice only, no cluster keys', () => {
    for (const strategy of KEY_STRATEGIES) {
      const plan = planProvision(request({ strategy, hostVersion: '1.x' }));
      for (const file of plan.hostFiles) {
        const env = loadEnv(file.text);
        assert.equal(env.WASMCLOUD_LATTICE, 'prod');
        assert.equal(env.WASMCLOUD_LATTICE_PREFIX, undefined);
        assert.equal(env.WASMCLOUD_CLUSTER_SEED, undefined);
        assert.equal(env.WASMCLOUD_CLUSTER_ISSUERS, undefined);
        assert.equal(env.WASMCLOUD_PROV_RPC_HOST, undefined);
        assert.equal(file.clusterPublicKey, undefined);
      }
      assert.deepEqual(plan.clusterKeys, []);
      assert.match(plan.notes.join(' '), /no cluster keys were generated/);
    }
  });

  it('writes only variables the version reads', () => {
    for (const hostVersion of HOST_PROFILES) {
      const plan = planProvision(request({ hostVersion, strategy: 'per-host', credentials: { rpc: jwtCredentials, ctl: jwtCredentials } }));
      for (const file of plan.hostFiles) {
        for (const name of Object.keys(loadEnv(file.text))) {
          const variable = findHostVariable(name);
          assert.ok(variable, `${name} is not a known host variable`);
          assert.notEqual(variable.read[hostVersion], 'none', `${hostVersion} hosts do not read ${name}`);
        }
      }
    }
  });

  it('otp: providers get RPC credentials', () => {
    const plan = planProvision(request({ credentials: { rpc: jwtCredentials, ctl: { kind: 'none' } } }));
    const env = loadEnv(plan.hostFiles[0].text);
    assert.equal(env.WASMCLOUD_RPC_JWT, user.userJwt);
    assert.equal(env.WASMCLOUD_PROV_RPC_JWT, user.userJwt);
    assert.equal(env.WASMCLOUD_PROV_RPC_SEED, user.userSeed);
    assert.equal(env.WASMCLOUD_CTL_JWT, undefined);
  });

  it('spreads hosts over servers in turn', () => {
    const servers = [
      { host: '10.0.0.1', port: 4222, tls: false },
      { host: '10.0.0.2', port: 4333, tls: false },
    ];
    const plan = planProvision(request({ servers, hostVersion: '1.x' }));
    const envs = plan.hostFiles.map((file) => loadEnv(file.text));
    assert.deepEqual(
      envs.map((env) => [env.WASMCLOUD_RPC_HOST, env.WASMCLOUD_RPC_PORT, env.WASMCLOUD_CTL_HOST, env.WASMCLOUD_CTL_PORT]),
      [
        ['10.0.0.1', '4222', '10.0.0.1', '4222'],
        ['10.0.0.2', '4333', '10.0.0.2', '4333'],
        ['10.0.0.1', '4222', '10.0.0.1', '4222'],
      ],
    );
    assert.match(plan.notes.join(' '), /in turn/);
  });

  it('TLS values per version', () => {
    const servers = [{ host: 'nats.example', port: 4222, tls: true }];
    const otp = loadEnv(planProvision(request({ servers, hostVersion: 'otp' })).hostFiles[0].text);
    assert.deepEqual([otp.WASMCLOUD_RPC_TLS, otp.WASMCLOUD_CTL_TLS, otp.WASMCLOUD_PROV_RPC_TLS], ['true', 'true', '1']);
    const rust = loadEnv(planProvision(request({ servers, hostVersion: '0.8x' })).hostFiles[0].text);
    assert.deepEqual([rust.WASMCLOUD_RPC_TLS, rust.WASMCLOUD_CTL_TLS, rust.WASMCLOUD_PROV_RPC_TLS], ['true', 'true', 'true']);
  });

  it('header names host and lattice', () => {
    const plan = planProvision(request(), { now: new Date('2024-05-06T10:00:00Z') });
    const lines = plan.hostFiles[1].text.split('\n');
    assert.equal(lines[0], "# wasmCloud host 'west' of lattice 'prod', for OTP hosts (0.50–0.63).");
    assert.equal(lines[1], '# Written by wasmCloud Lattice on 2024-05-06.');
    assert.match(lines[2], /contains seeds/);
  });

  it('CRLF line ends lint clean', () => {
    const plan = planProvision(request({ strategy: 'per-host' }), { eol: '\r\n' });
    assert.ok(plan.hostFiles.every((file) => file.text.split('\n').slice(0, -1).every((line) => line.endsWith('\r'))));
    assert.deepEqual(errorsAndWarnings(filesOf(plan)), []);
  });
});

describe('planProvision creds files', () => {
  let folder: string;
  let credsPath: string;

  before(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'provision-creds-'));
    credsPath = path.join(folder, 'hosts.creds');
    writeFileSync(credsPath, credsFileText(user.userJwt, user.userSeed));
  });

  after(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('1.x creds file lints clean with files', async () => {
    const credentials: ConnectionCredentials = { rpc: { kind: 'creds-file', path: 'hosts.creds' }, ctl: { kind: 'creds-file', path: credsPath } };
    const plan = planProvision(request({ hostVersion: '1.x', credentials }));
    const env = loadEnv(plan.hostFiles[0].text);
    assert.equal(env.WASMCLOUD_RPC_CREDS, 'hosts.creds');
    assert.equal(env.WASMCLOUD_CTL_CREDS, credsPath);
    assert.deepEqual(errorsAndWarnings(filesOf(plan), { hostVersion: '1.x' }), []);

    for (const file of plan.hostFiles) {
      const filePath = path.join(folder, file.fileName);
      const diagnostics = await lintEnvironment(filePath, lintText(file.text), { readFile: nodeLintHost.readFile });
      assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), []);
    }
  });

  it('creds file rejected for OTP', () => {
    const problems = validateProvisionRequest(request({ hostVersion: 'otp', credentials: { rpc: { kind: 'creds-file', path: credsPath }, ctl: { kind: 'none' } } }));
    assert.equal(problems.length, 1);
    assert.match(problems[0], /OTP hosts \(0\.50–0\.63\) read no creds files/);
  });

  it('readCredsText returns JWT and seed', () => {
    const read = readCredsText(credsFileText(user.userJwt, user.userSeed, '\r\n'));
    assert.deepEqual(read, { jwt: user.userJwt, seed: user.userSeed });
    const broken = readCredsText('-----BEGIN NATS USER JWT-----\nnot a jwt\n------END NATS USER JWT------\n');
    assert.ok('error' in broken);
    assert.doesNotMatch(JSON.stringify(broken), /SU[A-Z2-7]{56}/);
  });
});

describe('planProvision compose', () => {
  interface ComposeService {
    image: string;
    command?: string[];
    ports?: string[];
    depends_on?: string[];
    env_file?: string[];
    environment?: Record<string, string>;
    volumes?: unknown[];
  }

  function composeOf(overrides: Partial<ProvisionRequest>): { services: Record<string, ComposeService>; volumes: Record<string, unknown> } {
    const plan = planProvision(request({ compose: true, ...overrides }));
    assert.ok(plan.compose);
    assert.equal(plan.compose.fileName, 'docker-compose.yml');
    return load(plan.compose.text) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> };
  }

  for (const hostVersion of HOST_PROFILES) {
    it(`services for ${hostVersion} hosts`, () => {
      const compose = composeOf({ hostVersion });
      assert.deepEqual(Object.keys(compose.services), ['nats', ...HOSTS]);
      const nats = compose.services.nats;
      assert.equal(nats.image, 'nats:2.10-alpine');
      assert.deepEqual(nats.command, ['--jetstream', '--store_dir', '/data']);
      assert.deepEqual(nats.ports, ['127.0.0.1:4222:4222']);
      assert.ok('nats-data' in compose.volumes);

      for (const host of HOSTS) {
        const service = compose.services[host];
        assert.equal(service.image, HOST_IMAGES[hostVersion]);
        assert.deepEqual(service.env_file, [`./${host}.env`]);
        assert.deepEqual(service.depends_on, ['nats']);
        assert.equal(service.environment?.WASMCLOUD_RPC_HOST, 'nats');
        assert.equal(service.environment?.WASMCLOUD_CTL_HOST, 'nats');
        assert.equal(service.environment?.WASMCLOUD_RPC_PORT, '4222');
        assert.equal(service.environment?.WASMCLOUD_PROV_RPC_HOST, hostVersion === '1.x' ? undefined : 'nats');
      }
    });
  }

  it('image names per version', () => {
    assert.equal(HOST_IMAGES.otp.split(':')[0], 'wasmcloud/wasmcloud_host');
    assert.equal(HOST_IMAGES['0.8x'].split(':')[0], 'wasmcloud/wasmcloud');
    assert.equal(HOST_IMAGES['1.x'].split(':')[0], 'wasmcloud/wasmcloud');
  });

  it('mounts creds files and turns TLS off', () => {
    const servers = [{ host: '127.0.0.1', port: 4333, tls: true }];
    const compose = composeOf({ hostVersion: '1.x', servers, credentials: { rpc: { kind: 'creds-file', path: 'creds/rpc user.creds' }, ctl: { kind: 'none' } } });
    assert.deepEqual(compose.services.nats.ports, ['127.0.0.1:4333:4222']);
    const east = compose.services.east;
    assert.equal(east.environment?.WASMCLOUD_RPC_CREDS, '/run/secrets/wasmcloud-rpc.creds');
    assert.equal(east.environment?.WASMCLOUD_RPC_TLS, 'false');
    assert.equal(east.environment?.WASMCLOUD_CTL_CREDS, undefined);
    assert.deepEqual(east.volumes, [{ type: 'bind', source: 'creds/rpc user.creds', target: '/run/secrets/wasmcloud-rpc.creds', read_only: true }]);
  });

  it('quotes YAML words as service names', () => {
    const compose = composeOf({ hosts: ['yes', 'off', '2nd'], hostVersion: '1.x' });
    assert.deepEqual(Object.keys(compose.services), ['nats', 'yes', 'off', '2nd']);
  });
});

describe('validateProvisionRequest', () => {
  it('accepts a plain request', () => {
    assert.deepEqual(validateProvisionRequest(request()), []);
  });

  const cases: Array<[string, Partial<ProvisionRequest>, RegExp]> = [
    ['lattice with a dot', { lattice: 'prod.eu' }, /'prod\.eu' is not a valid lattice name: '\.' separates NATS subject tokens/],
    ['lattice with a wildcard', { lattice: 'prod*' }, /NATS wildcard/],
    ['empty lattice', { lattice: '' }, /Enter a lattice name/],
    ['repeated host', { hosts: ['east', 'East'] }, /'East' appears twice/],
    ['host with a slash', { hosts: ['a/b'] }, /Host name 'a\/b' is invalid/],
    ['host named nats with compose', { hosts: ['nats'], compose: true }, /taken by the NATS server's service/],
    ['no servers', { servers: [] }, /No NATS server/],
    ['providers user on 1.x', { hostVersion: '1.x', credentials: { rpc: { kind: 'none' }, ctl: { kind: 'none' }, providers: { kind: 'none' } } }, /give capability providers the host's RPC connection/],
    ['JWT without its seed', { credentials: { rpc: { kind: 'jwt', jwt: user.userJwt, seed: user.strangerSeed }, ctl: { kind: 'none' } } }, /seed for the RPC connection is not usable\. The seed belongs to/],
    ['seed in the JWT field', { credentials: { rpc: { kind: 'jwt', jwt: user.userSeed, seed: user.userSeed }, ctl: { kind: 'none' } } }, /JWT for the RPC connection is not usable\. It holds a seed/],
  ];
  for (const [name, overrides, pattern] of cases) {
    it(name, () => {
      const problems = validateProvisionRequest(request(overrides));
      assert.ok(problems.some((problem) => pattern.test(problem)), JSON.stringify(problems));
      assert.ok(problems.every((problem) => !/S[A-Z2-7]{57}/.test(problem)), 'a message quotes a seed');
    });
  }

  it('planProvision throws ProvisionError', () => {
    assert.throws(() => planProvision(request({ lattice: 'a b' })), (error: unknown) => error instanceof ProvisionError && /whitespace/.test(error.message));
  });
});

describe('request parsing', () => {
  it('parseHostNames count and names', () => {
    assert.deepEqual(parseHostNames('3'), { names: ['host-1', 'host-2', 'host-3'] });
    assert.deepEqual(parseHostNames(' east, west '), { names: ['east', 'west'] });
    assert.ok('error' in parseHostNames('0'));
    assert.ok('error' in parseHostNames('101'));
    assert.ok('error' in parseHostNames('east,,west'));
    assert.ok('error' in parseHostNames(''));
  });

  const servers: Array<[string, { host: string; port: number; tls: boolean } | RegExp]> = [
    ['nats://127.0.0.1:4222', { host: '127.0.0.1', port: 4222, tls: false }],
    ['nats.example', { host: 'nats.example', port: 4222, tls: false }],
    ['nats.example:5222', { host: 'nats.example', port: 5222, tls: false }],
    ['tls://nats.example:4443', { host: 'nats.example', port: 4443, tls: true }],
    ['nats://[::1]:4222', { host: '::1', port: 4222, tls: false }],
    ['ws://nats.example:8080', /wasmCloud hosts connect with the NATS protocol/],
    ['nats://user:pw@nats.example:4222', /contains a user or password/],
    ['nats://nats.example:4222/path', /has a path or query/],
    ['nats://nats.example:99999', /not a valid server URL|outside 1–65535/],
  ];
  for (const [input, expected] of servers) {
    it(`parseServerUrl ${input}`, () => {
      const parsed = parseServerUrl(input);
      if (expected instanceof RegExp) {
        assert.ok('error' in parsed, JSON.stringify(parsed));
        assert.match(parsed.error, expected);
      } else {
        assert.deepEqual(parsed, { server: expected });
      }
    });
  }

  it('parseServerUrls splits on commas', () => {
    assert.deepEqual(parseServerUrls('nats://a:1, nats://b:2'), {
      servers: [
        { host: 'a', port: 1, tls: false },
        { host: 'b', port: 2, tls: false },
      ],
    });
    assert.ok('error' in parseServerUrls(' , '));
  });
});

/** Keeps the type of the per-version table honest: every profile has an image. */
const _images: Record<HostProfile, string> = HOST_IMAGES;
void _images;
