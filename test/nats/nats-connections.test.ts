import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAccount, createUser } from '@nats-io/nkeys';
import { NatsConnectionPool } from '../../src/core/nats/connection-pool';
import { NatsFailure, type NatsFailureKind } from '../../src/core/nats/errors';
import { listLatticeCaches } from '../../src/core/nats/cache-streams';
import type { ConnectionProfile, ProfileAuth, ProfileTls } from '../../src/core/nats/profile';
import { openSession, type LatticeSession } from '../../src/core/nats/session';
import { credsFileText, makeTlsFiles, operatorSetup, type TlsFiles } from '../support/nats-auth';
import { freePort, NatsServer } from '../support/nats-server';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

const dir = mkdtempSync(path.join(tmpdir(), 'wcl-auth-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function profile(servers: string | string[], auth: ProfileAuth = { kind: 'none' }, tlsOptions?: ProfileTls): ConnectionProfile {
  return {
    id: `test:${String(servers)}`,
    name: 'test',
    source: 'settings',
    servers: Array.isArray(servers) ? servers : [servers],
    auth,
    tls: tlsOptions,
    selected: false,
  };
}

/** Connects, lists the caches (a JetStream request) and closes. */
async function connectAndList(target: ConnectionProfile, secrets = {}): Promise<void> {
  const session = await openSession(target, { secrets, timeoutMs: 3_000 });
  try {
    await listLatticeCaches(session);
  } finally {
    await session.close();
  }
}

async function failure(promise: Promise<unknown>): Promise<NatsFailure> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof NatsFailure, `expected a NatsFailure, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the connection to fail');
}

function file(name: string, content: string): string {
  const full = path.join(dir, name);
  writeFileSync(full, content, { mode: 0o600 });
  return full;
}

describe('connection auth kinds', () => {
  const seen = new Map<NatsFailureKind, string>();

  after(() => {
    // Every failure kind above gave a different message.
    const messages = [...seen.values()];
    assert.equal(new Set(messages).size, messages.length);
  });

  const record = (result: NatsFailure): NatsFailure => {
    seen.set(result.kind, result.message);
    return result;
  };

  describe('user and password', () => {
    let server: NatsServer;
    before(async () => {
      server = await NatsServer.start({ config: 'authorization { users: [ { user: "lattice", password: "pw-3f9c1a" } ] }' });
    });
    after(() => server.dispose());

    it('connects with the password from secrets', async () => {
      await connectAndList(profile(server.url, { kind: 'user-password', user: 'lattice' }), { password: 'pw-3f9c1a' });
    });

    it('connects with the password from the profile', async () => {
      await connectAndList(profile(server.url, { kind: 'user-password', user: 'lattice', password: 'pw-3f9c1a' }));
    });

    it('reports a wrong password as authorization violation', async () => {
      const result = record(await failure(connectAndList(profile(server.url, { kind: 'user-password', user: 'lattice' }), { password: 'wrong-77' })));
      assert.equal(result.kind, 'authorization');
      assert.match(result.message, /^Authorization violation on nats:\/\/127\.0\.0\.1:\d+/);
      assert.ok(result.message.includes(server.url));
      assert.ok(!result.message.includes('wrong-77'));
      assert.ok(!result.detail.includes('wrong-77'));
    });
  });

  describe('token', () => {
    let server: NatsServer;
    before(async () => {
      server = await NatsServer.start({ config: 'authorization { token: "tok-81be2d" }' });
    });
    after(() => server.dispose());

    it('connects with the token', async () => {
      await connectAndList(profile(server.url, { kind: 'token' }), { token: 'tok-81be2d' });
    });

    it('rejects a wrong token', async () => {
      const result = await failure(connectAndList(profile(server.url, { kind: 'token', token: 'nope' })));
      assert.equal(result.kind, 'authorization');
    });
  });

  describe('nkey seed file', () => {
    let server: NatsServer;
    const user = createUser();
    const seed = new TextDecoder().decode(user.getSeed());
    before(async () => {
      server = await NatsServer.start({ config: `authorization { users: [ { nkey: ${user.getPublicKey()} } ] }` });
    });
    after(() => server.dispose());

    it('connects with a seed file that has spaces and CRLF', async () => {
      const seedFile = file('user.nk', `  ${seed}\r\n\r\n`);
      await connectAndList(profile(server.url, { kind: 'nkey', seedFile }));
    });

    it('connects with the seed among other lines', async () => {
      const seedFile = file('user-commented.nk', `# lattice user\n${seed}\n`);
      await connectAndList(profile(server.url, { kind: 'nkey', seedFile }));
    });

    it('rejects an account seed without echoing it', async () => {
      const accountSeed = new TextDecoder().decode(createAccount().getSeed());
      const seedFile = file('account.nk', `${accountSeed}\n`);
      const result = record(await failure(connectAndList(profile(server.url, { kind: 'nkey', seedFile }))));
      assert.equal(result.kind, 'bad-seed');
      assert.ok(result.message.includes(seedFile));
      assert.match(result.message, /account seed/);
      assert.ok(!result.message.includes(accountSeed));
    });

    it('names a missing seed file', async () => {
      const missing = path.join(dir, 'missing.nk');
      const result = record(await failure(connectAndList(profile(server.url, { kind: 'nkey', seedFile: missing }))));
      assert.equal(result.kind, 'file-not-found');
      assert.equal(result.message, `The nkey seed file ${missing} was not found.`);
    });

    it('rejects a seed the server does not know', async () => {
      const stranger = file('stranger.nk', new TextDecoder().decode(createUser().getSeed()));
      const result = await failure(connectAndList(profile(server.url, { kind: 'nkey', seedFile: stranger })));
      assert.equal(result.kind, 'authorization');
    });
  });

  describe('creds file', () => {
    let server: NatsServer;
    const setup = operatorSetup();
    before(async () => {
      server = await NatsServer.start({ config: setup.serverConfig });
    });
    after(() => server.dispose());

    it('connects and uses JetStream with an LF creds file', async () => {
      const credsFile = file('user-lf.creds', credsFileText(setup.userJwt, setup.userSeed));
      await connectAndList(profile(server.url, { kind: 'creds', credsFile }));
    });

    it('connects with a CRLF creds file', async () => {
      const credsFile = file('user-crlf.creds', credsFileText(setup.userJwt, setup.userSeed, '\r\n'));
      await connectAndList(profile(server.url, { kind: 'creds', credsFile }));
    });

    it('reports a malformed creds file as bad credentials', async () => {
      const credsFile = file('broken.creds', `-----BEGIN NATS USER JWT-----\n${setup.userJwt}\n------END NATS USER JWT------\n`);
      const result = record(await failure(connectAndList(profile(server.url, { kind: 'creds', credsFile }))));
      assert.equal(result.kind, 'bad-credentials');
      assert.equal(result.message, `Bad credentials file ${credsFile}: no "-----BEGIN USER NKEY SEED-----" block was found after the JWT.`);
    });

    it('reports a user of an unknown account as authorization violation', async () => {
      const credsFile = file('stranger.creds', credsFileText(setup.strangerJwt, setup.strangerSeed));
      const result = await failure(connectAndList(profile(server.url, { kind: 'creds', credsFile })));
      assert.equal(result.kind, 'authorization');
      assert.ok(!result.detail.includes(setup.strangerSeed));
    });
  });

  describe('TLS', () => {
    let server: NatsServer;
    let files: TlsFiles;
    before(async () => {
      files = makeTlsFiles(dir);
      server = await NatsServer.start({
        config: `tls {\n  cert_file: ${JSON.stringify(files.serverCert)}\n  key_file: ${JSON.stringify(files.serverKey)}\n  ca_file: ${JSON.stringify(files.caFile)}\n  verify: true\n}`,
      });
    });
    after(() => server.dispose());

    it('connects with CA, certificate and key', async () => {
      await connectAndList(profile(server.url, { kind: 'none' }, { caFile: files.caFile, certFile: files.clientCert, keyFile: files.clientKey, handshakeFirst: false }));
    });

    it('connects to a tls:// URL with the same files', async () => {
      const url = server.url.replace('nats://', 'tls://');
      await connectAndList(profile(url, { kind: 'none' }, { caFile: files.caFile, certFile: files.clientCert, keyFile: files.clientKey, handshakeFirst: false }));
    });

    it('reports a server certificate from an unknown CA as a TLS failure', async () => {
      const result = record(
        await failure(connectAndList(profile(server.url, { kind: 'none' }, { caFile: files.otherCaFile, certFile: files.clientCert, keyFile: files.clientKey, handshakeFirst: false }))),
      );
      assert.equal(result.kind, 'tls');
      assert.match(result.message, new RegExp(`^TLS with ${server.url.replace(/\./g, '\\.')} failed`));
    });

    it('names a missing CA file before dialing', async () => {
      const missing = path.join(dir, 'no-ca.pem');
      const result = await failure(connectAndList(profile(server.url, { kind: 'none' }, { caFile: missing, handshakeFirst: false })));
      assert.equal(result.kind, 'file-not-found');
      assert.equal(result.message, `The TLS CA file ${missing} was not found.`);
    });
  });

  describe('TLS first', () => {
    // nats-server 2.9 has no handshake_first, so a TLS terminator in front of
    // a plain server replaces one. It starts TLS before any byte of the NATS
    // protocol, as a handshake_first server does.
    let server: NatsServer;
    let files: TlsFiles;
    let terminator: tls.Server;
    let terminatorUrl: string;
    const sockets = new Set<net.Socket>();

    before(async () => {
      files = makeTlsFiles(mkdtempSync(path.join(dir, 'first-')));
      // allow_non_tls makes the server's INFO offer TLS (tls_available), as
      // the INFO of a handshake_first server does, while the terminator
      // talks to it in plain text.
      server = await NatsServer.start({
        config: `tls {\n  cert_file: ${JSON.stringify(files.serverCert)}\n  key_file: ${JSON.stringify(files.serverKey)}\n}\nallow_non_tls: true`,
      });
      const port = await freePort();
      terminator = tls.createServer({ cert: readFileSync(files.serverCert), key: readFileSync(files.serverKey) }, (clear) => {
        const upstream = net.connect(server.port, server.host);
        sockets.add(clear).add(upstream);
        clear.pipe(upstream).pipe(clear);
        const end = (): void => {
          clear.destroy();
          upstream.destroy();
        };
        clear.on('error', end).on('close', end);
        upstream.on('error', end).on('close', end);
      });
      // Raw sockets too: a client that never starts TLS never becomes a secure connection.
      terminator.on('connection', (socket: net.Socket) => sockets.add(socket));
      await new Promise<void>((resolve) => terminator.listen(port, '127.0.0.1', resolve));
      terminatorUrl = `nats://127.0.0.1:${port}`;
    });
    after(async () => {
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise((resolve) => terminator.close(resolve));
      await server.dispose();
    });

    it('connects when handshakeFirst is set', async () => {
      await connectAndList(profile(terminatorUrl, { kind: 'none' }, { caFile: files.caFile, handshakeFirst: true }));
    });

    it('fails without handshakeFirst against a TLS-first endpoint', async () => {
      const result = await failure(
        openSession(profile(terminatorUrl, { kind: 'none' }, { caFile: files.caFile, handshakeFirst: false }), { timeoutMs: 1_500 }).then((session) => session.close()),
      );
      // The endpoint waits for a TLS ClientHello and the client for INFO.
      assert.equal(result.kind, 'timeout');
    });
  });

  describe('JetStream not enabled', () => {
    it('names the server when it runs without JetStream', async () => {
      const server = await NatsServer.start({ jetstream: false });
      try {
        const result = record(await failure(connectAndList(profile(server.url))));
        assert.equal(result.kind, 'jetstream-not-enabled-server');
        assert.equal(result.message, `JetStream is not enabled on ${server.url}. Start nats-server with -js or add a jetstream block to its configuration.`);
      } finally {
        await server.dispose();
      }
    });

    it('names the account when only other accounts have JetStream', async () => {
      const server = await NatsServer.start({
        config: 'accounts {\n  JS: { jetstream: enabled, users: [ { user: js, password: js } ] }\n  PLAIN: { users: [ { user: plain, password: plain } ] }\n}',
      });
      try {
        await connectAndList(profile(server.url, { kind: 'user-password', user: 'js', password: 'js' }));
        const result = record(await failure(connectAndList(profile(server.url, { kind: 'user-password', user: 'plain', password: 'plain' }))));
        assert.equal(result.kind, 'jetstream-not-enabled-account');
        assert.match(result.message, /^JetStream is not enabled for the account of connection "test" on nats:\/\/127\.0\.0\.1:\d+\./);
      } finally {
        await server.dispose();
      }
    });
  });

  describe('servers that are down', () => {
    it('reports connection refused for a stopped server', async () => {
      const server = await NatsServer.start();
      const url = server.url;
      await server.dispose();
      const result = record(await failure(connectAndList(profile(url))));
      assert.equal(result.kind, 'connection-refused');
      assert.equal(result.message, `Connection refused by ${url}. Check that nats-server is running and listening on that address.`);
    });

    it('times out within the connect timeout when the peer never answers', async () => {
      const accepted = new Set<net.Socket>();
      const silent = net.createServer((socket) => accepted.add(socket));
      const port = await freePort();
      await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
      const url = `nats://127.0.0.1:${port}`;
      try {
        const started = Date.now();
        const result = record(await failure(openSession(profile(url), { timeoutMs: 800 })));
        const elapsed = Date.now() - started;
        assert.equal(result.kind, 'timeout');
        assert.equal(result.message, `Timed out connecting to ${url} after 800 ms. Check the address, the port and any firewall between you and the server.`);
        // A bound on failing, not a speed check: it must not wait for the OS TCP timeout.
        assert.ok(elapsed < 800 + 2_000, `took ${elapsed} ms`);
      } finally {
        for (const socket of accepted) {
          socket.destroy();
        }
        silent.close();
      }
    });
  });

  it('leaves no unhandled rejection', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(unhandled, []);
  });
});

describe('connection pool', () => {
  let server: NatsServer;
  before(async () => {
    server = await NatsServer.start();
  });
  after(() => server.dispose());

  it('reuses one connection per profile', async () => {
    const pool = new NatsConnectionPool({ connectTimeoutMs: () => 2_000 });
    try {
      const target = profile(server.url);
      const [first, second] = await Promise.all([pool.session(target), pool.session(target)]);
      assert.equal(first, second);
      assert.equal(await pool.session(target), first);
      assert.deepEqual(pool.openProfileIds(), [target.id]);
    } finally {
      await pool.dispose();
    }
  });

  it('reconnects when the profile changes', async () => {
    const pool = new NatsConnectionPool();
    try {
      const target = profile(server.url);
      const first = await pool.session(target);
      const second = await pool.session({ ...target, servers: [server.url, server.url.replace('127.0.0.1', 'localhost')] });
      assert.notEqual(first, second);
      assert.equal(first.nc.isClosed(), true);
    } finally {
      await pool.dispose();
    }
  });

  it('survives a server restart on the same connection', async () => {
    const pool = new NatsConnectionPool();
    const states: string[] = [];
    pool.onDidChangeState((_, state) => states.push(state));
    try {
      const target = profile(server.url);
      const session: LatticeSession = await pool.session(target);
      await server.restart();
      await waitFor(() => states.includes('reconnected'));
      assert.equal(await pool.session(target), session);
      await listLatticeCaches(session);
      assert.deepEqual(states.slice(0, 2), ['disconnected', 'reconnected']);
    } finally {
      await pool.dispose();
    }
  });

  it('connects again after a failed attempt', async () => {
    const down = await NatsServer.start();
    const target = profile(down.url);
    const port = down.port;
    await down.dispose();
    const pool = new NatsConnectionPool({ connectTimeoutMs: () => 1_000 });
    try {
      const result = await failure(pool.session(target));
      assert.equal(result.kind, 'connection-refused');
      assert.deepEqual(pool.openProfileIds(), []);
      const revived = await NatsServer.start({ port });
      try {
        const session = await pool.session(target);
        assert.equal(session.nc.isClosed(), false);
      } finally {
        await pool.dispose();
        await revived.dispose();
      }
    } finally {
      await pool.dispose();
    }
  });

  it('closes every connection and timer on dispose', async () => {
    const timersBefore = process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const pool = new NatsConnectionPool();
    const session = await pool.session(profile(server.url));
    await listLatticeCaches(session);
    await pool.dispose();
    assert.equal(session.nc.isClosed(), true);
    await assert.rejects(pool.session(profile(server.url)), /pool is closed/);
    await waitFor(() => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length <= timersBefore);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      assert.fail('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
