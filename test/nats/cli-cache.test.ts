import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { createUser } from '@nats-io/nkeys';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { NatsServer } from '../support/nats-server';
import { buildSampleLattice, seedSampleLattice, type SampleLattice } from '../support/sample-lattice';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const PREFIX = 'cli-lattice_1';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bundled CLI with stdin closed (not a terminal) and, unless `env` overrides it, an empty NATS config folder. */
function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, XDG_CONFIG_HOME: emptyConfigHome, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const workDir = mkdtempSync(path.join(tmpdir(), 'wcl-cli-'));
const emptyConfigHome = path.join(workDir, 'empty-config');
mkdirSync(emptyConfigHome);
after(() => rmSync(workDir, { recursive: true, force: true }));

async function streamMessages(nc: NatsConnection, stream: string): Promise<number> {
  const info = (await nc.request(`$JS.API.STREAM.INFO.${stream}`, undefined, { timeout: 5_000 })).json<{ state: { messages: number } }>();
  return info.state.messages;
}

describe('wasmcloud-lattice with URL credentials', () => {
  const password = 'url-pw-5d1f';
  let server: NatsServer;

  before(async () => {
    server = await NatsServer.start({ config: `authorization { users: [ { user: alice, password: "${password}" } ] }` });
  });

  after(async () => {
    await server?.dispose();
  });

  it('logs in with the URL user and password', async () => {
    const url = `nats://alice:${password}@127.0.0.1:${server.port}`;
    const result = await runCli(['cache', 'ls', '-s', url, '-v']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `No lattice caches on ${server.url}.\n`);
    assert.match(result.stderr, /auth: user-password/);
    assert.ok(!result.stderr.includes(password), result.stderr);
    assert.ok(!result.stdout.includes(password), result.stdout);
  });

  it('logs in with credentials in a context URL', async () => {
    const configHome = path.join(workDir, 'config-url-credentials');
    mkdirSync(path.join(configHome, 'nats', 'context'), { recursive: true });
    writeFileSync(path.join(configHome, 'nats', 'context', 'secured.json'), JSON.stringify({ url: `nats://alice:${password}@127.0.0.1:${server.port}` }));
    const result = await runCli(['cache', 'ls', '--context', 'secured'], { XDG_CONFIG_HOME: configHome });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `No lattice caches on ${server.url} (NATS context "secured").\n`);
  });

  it('never prints a wrong URL password', async () => {
    const wrong = 'wrong-pw-XYZ';
    for (const args of [[], ['-v']]) {
      const result = await runCli(['cache', 'ls', '-s', `nats://alice:${wrong}@127.0.0.1:${server.port}`, ...args]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, new RegExp(`^wasmcloud-lattice cache ls: Authorization violation on ${server.url.replace(/\./g, '\\.')}:`, 'm'));
      assert.ok(!result.stderr.includes(wrong), result.stderr);
    }
  });

  it('never prints the password of a bad URL', async () => {
    const result = await runCli(['cache', 'ls', '-s', `ws://alice:${password}@127.0.0.1:${server.port}`]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /ws:\/\/alice:\[redacted\]@127\.0\.0\.1:\d+ is a WebSocket URL/);
    assert.ok(!result.stderr.includes(password));
  });
});

describe('wasmcloud-lattice cache and hosts', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let lattice: SampleLattice;
  const responders: Subscription[] = [];

  before(async () => {
    server = await NatsServer.start();
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
  });

  after(async () => {
    await nc?.close();
    await server?.dispose();
  });

  beforeEach(async () => {
    for (const name of await jsm.streams.names().next()) {
      await jsm.streams.delete(name);
    }
    lattice = await seedSampleLattice(nc, buildSampleLattice(PREFIX));
  });

  afterEach(() => {
    for (const responder of responders.splice(0)) {
      responder.unsubscribe();
    }
  });

  async function otpHostResponds(): Promise<void> {
    responders.push(
      nc.subscribe(`wasmbus.ctl.${PREFIX}.ping.hosts`, {
        callback: (_error, message) => {
          message.respond(JSON.stringify({ id: 'NHOSTONE', friendly_name: 'rusty-bell-42', version: '0.59.0', lattice_prefix: PREFIX, uptime_seconds: 5 }));
        },
      }),
    );
    await nc.flush();
  }

  it('lists caches as JSON with server numbers', async () => {
    const result = await runCli(['cache', 'ls', '--server', server.url, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const expectedCaches = [];
    for (const [stream, kind] of [
      [lattice.streamName, 'latticecache'],
      [`KV_${lattice.bucketName}`, 'kv-latticedata'],
    ]) {
      const info = (await nc.request(`$JS.API.STREAM.INFO.${stream}`)).json<{ state: { messages: number; bytes: number; last_ts: string } }>();
      expectedCaches.push({ stream, kind, messages: info.state.messages, bytes: info.state.bytes, lastActivity: new Date(info.state.last_ts).toISOString() });
    }
    assert.deepEqual(JSON.parse(result.stdout), { lattices: [{ name: PREFIX, caches: expectedCaches }] });
  });

  it('lists caches as a table', async () => {
    const result = await runCli(['cache', 'ls', '-s', server.url]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines[0], `Lattice caches on ${server.url}:`);
    assert.match(lines[1], /^LATTICE\s+STREAM\s+KIND\s+MESSAGES\s+BYTES\s+LAST ACTIVITY$/);
    assert.match(lines[2], new RegExp(`^${PREFIX}\\s+${lattice.streamName}\\s+latticecache\\s+${lattice.streamMessages.length}\\s`));
    assert.equal(lines.length, 4);
  });

  it('refuses to purge without a terminal or --yes', async () => {
    const result = await runCli(['cache', 'purge', lattice.streamName, '-s', server.url]);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `Refusing to purge without confirmation: stdin is not a terminal. Purge ${lattice.streamMessages.length} messages from stream ${lattice.streamName} on ${server.url}? Pass --yes to confirm.\n`,
    );
    assert.equal(await streamMessages(nc, lattice.streamName), lattice.streamMessages.length);
  });

  it('refuses to purge while a host answers', async () => {
    await otpHostResponds();
    const result = await runCli(['cache', 'purge', lattice.streamName, '-s', server.url, '--yes', '--ping-timeout', '300', '--format', 'json']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /1 host of lattice cli-lattice_1 replied to the ping:\n {2}rusty-bell-42 \(NHOSTONE, 0\.59\.0\)\n/);
    assert.deepEqual(JSON.parse(result.stdout), {
      stream: lattice.streamName,
      purged: 0,
      hosts: [{ id: 'NHOSTONE', name: 'rusty-bell-42', version: '0.59.0', lattice: PREFIX, subject: `wasmbus.ctl.${PREFIX}.ping.hosts` }],
    });
    assert.equal(await streamMessages(nc, lattice.streamName), lattice.streamMessages.length);
  });

  it('purges with --force despite a host', async () => {
    await otpHostResponds();
    const result = await runCli(['cache', 'purge', lattice.streamName, '-s', server.url, '--yes', '--force', '--ping-timeout', '300', '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const output = JSON.parse(result.stdout) as { stream: string; purged: number; hosts: { id: string }[] };
    assert.equal(output.stream, lattice.streamName);
    assert.equal(output.purged, lattice.streamMessages.length);
    assert.deepEqual(
      output.hosts.map((host) => host.id),
      ['NHOSTONE'],
    );
    assert.match(result.stderr, /^warning: purging while 1 host is running \(--force\):/);
    assert.equal(await streamMessages(nc, lattice.streamName), 0);
  });

  it('purges one subject filter', async () => {
    const result = await runCli(['cache', 'purge', lattice.streamName, '-s', server.url, '--subject', `lc.${PREFIX}.linkdefs.>`, '--yes', '--ping-timeout', '200']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `Purged ${lattice.linkDefinitions.length} messages from subject lc.${PREFIX}.linkdefs.> of stream ${lattice.streamName} on ${server.url}.\n`);
    assert.equal(await streamMessages(nc, lattice.streamName), lattice.streamMessages.length - lattice.linkDefinitions.length);
  });

  it('purges a KV bucket stream', async () => {
    const stream = `KV_${lattice.bucketName}`;
    const result = await runCli(['cache', 'purge', stream, '-s', server.url, '-y', '--format', 'json', '--ping-timeout', '200']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { stream, purged: lattice.kvEntries.length, hosts: [] });
  });

  it('exits 2 for a stream that does not exist', async () => {
    const result = await runCli(['cache', 'purge', 'LATTICECACHE_nothing-here', '-s', server.url, '-y']);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, `wasmcloud-lattice cache purge: Stream LATTICECACHE_nothing-here was not found on ${server.url}; it may have been deleted.\n`);
  });

  it('lists the hosts that answer', async () => {
    await otpHostResponds();
    const json = await runCli(['hosts', PREFIX, '-s', server.url, '--ping-timeout', '300', '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), {
      lattice: PREFIX,
      hosts: [{ id: 'NHOSTONE', name: 'rusty-bell-42', version: '0.59.0', lattice: PREFIX, subject: `wasmbus.ctl.${PREFIX}.ping.hosts` }],
    });
    const text = await runCli(['hosts', PREFIX, '-s', server.url, '--ping-timeout', '300']);
    assert.match(text.stdout, /^NAME\s+ID\s+VERSION\s+SUBJECT\nrusty-bell-42\s+NHOSTONE\s+0\.59\.0\s+wasmbus\.ctl\.cli-lattice_1\.ping\.hosts\n$/);
  });

  it('reports no hosts in plain words', async () => {
    const result = await runCli(['hosts', 'quiet', '-s', server.url, '--ping-timeout', '200']);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, 'No host of lattice quiet replied within 200 ms.\n');
  });

  it('uses the selected NATS context', async () => {
    const configHome = path.join(workDir, 'config-selected');
    mkdirSync(path.join(configHome, 'nats', 'context'), { recursive: true });
    const user = createUser();
    writeFileSync(path.join(configHome, 'nats', 'context.txt'), 'lab\n');
    writeFileSync(path.join(configHome, 'nats', 'context', 'lab.json'), JSON.stringify({ description: 'lab', url: server.url }));
    writeFileSync(path.join(configHome, 'nats', 'context', 'other.json'), JSON.stringify({ url: 'nats://127.0.0.1:1', nkey: path.join(workDir, `${user.getPublicKey()}.nk`) }));

    const selected = await runCli(['cache', 'ls', '--format', 'json'], { XDG_CONFIG_HOME: configHome });
    assert.equal(selected.code, 0, selected.stderr);
    assert.equal((JSON.parse(selected.stdout) as { lattices: unknown[] }).lattices.length, 1);
    const text = await runCli(['cache', 'ls'], { XDG_CONFIG_HOME: configHome });
    assert.equal(text.stdout.split('\n')[0], `Lattice caches on ${server.url} (NATS context "lab"):`);

    const named = await runCli(['cache', 'ls', '--context', 'other'], { XDG_CONFIG_HOME: configHome });
    assert.equal(named.code, 2);
    assert.match(named.stderr, /^wasmcloud-lattice cache ls: The nkey seed file .*\.nk was not found\.\n$/);
  });

  it('reports a server that is down', async () => {
    const down = await NatsServer.start();
    const url = down.url;
    await down.dispose();
    const result = await runCli(['cache', 'ls', '-s', url]);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, `wasmcloud-lattice cache ls: Connection refused by ${url}. Check that nats-server is running and listening on that address.\n`);
  });

  /** Writes a NATS config folder whose selected context points at the test server. */
  function selectedContextHome(name: string): string {
    const configHome = path.join(workDir, name);
    mkdirSync(path.join(configHome, 'nats', 'context'), { recursive: true });
    writeFileSync(path.join(configHome, 'nats', 'context.txt'), 'prod\n');
    writeFileSync(path.join(configHome, 'nats', 'context', 'prod.json'), JSON.stringify({ description: 'PRODUCTION', url: server.url }));
    return configHome;
  }

  it('rejects an empty subject filter', async () => {
    for (const args of [['--subject', ''], ['--subject='], ['--subject', '  ']]) {
      const result = await runCli(['cache', 'purge', lattice.streamName, '-s', server.url, '--yes', '--ping-timeout', '200', ...args]);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /^wasmcloud-lattice cache: --subject is empty\. Give a subject filter such as lc\.default\.linkdefs\.>, or leave out --subject to purge the whole stream\.\n/);
    }
    assert.equal(await streamMessages(nc, lattice.streamName), lattice.streamMessages.length);
  });

  it('rejects empty connection flags', async () => {
    const configHome = selectedContextHome('config-empty-flags');
    const cases: [string[], string][] = [
      [['-s', ''], '--server'],
      [['--server='], '--server'],
      [['--context', ''], '--context'],
      [['--creds', ''], '--creds'],
      [['--nkey', ' '], '--nkey'],
      [['--user', ''], '--user'],
      [['--token', ''], '--token'],
      [['--tls-ca', ''], '--tls-ca'],
      [['--js-domain='], '--js-domain'],
    ];
    for (const [flags, name] of cases) {
      const result = await runCli(['cache', 'purge', lattice.streamName, '--yes', '--ping-timeout', '200', ...flags], { XDG_CONFIG_HOME: configHome });
      assert.equal(result.code, 2, flags.join(' '));
      assert.ok(result.stderr.startsWith(`wasmcloud-lattice cache: ${name} is empty. Give `), `${flags.join(' ')}: ${result.stderr}`);
    }
    const password = await runCli(['cache', 'ls', '--user', 'ops', '--password', ''], { XDG_CONFIG_HOME: configHome });
    assert.equal(password.code, 2);
    assert.match(password.stderr, /--password is empty\./);
    // The selected context's server was never used.
    assert.equal(await streamMessages(nc, lattice.streamName), lattice.streamMessages.length);
  });

  it('names the context a purge used', async () => {
    const configHome = selectedContextHome('config-purge-note');
    const result = await runCli(['cache', 'purge', lattice.streamName, '--yes', '--ping-timeout', '200'], { XDG_CONFIG_HOME: configHome });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `Purged ${lattice.streamMessages.length} messages from stream ${lattice.streamName} on ${server.url} (NATS context "prod").\n`);
  });

  it('names the subjects a filter misses', async () => {
    const result = await runCli(['cache', 'purge', lattice.streamName, '-s', server.url, '--yes', '--ping-timeout', '200', '--subject', 'lc.other.>']);
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      `wasmcloud-lattice cache purge: The subject filter lc.other.> matches none of the subjects of stream ${lattice.streamName} (lc.${PREFIX}.>), so nothing would be purged. Use a filter within lc.${PREFIX}.>.\n`,
    );
    assert.equal(await streamMessages(nc, lattice.streamName), lattice.streamMessages.length);
  });

  it('rejects an empty lattice name', async () => {
    const result = await runCli(['hosts', '', '-s', server.url]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^wasmcloud-lattice hosts: The lattice name is empty\./);
  });

  it('cleans forged host names', async () => {
    responders.push(
      nc.subscribe(`wasmbus.ctl.${PREFIX}.ping.hosts`, {
        callback: (_error, message) => {
          message.respond(JSON.stringify({ id: 'NEVIL', friendly_name: `evil\u001b[31mRED\u001b[0m\nline2 ${'x'.repeat(300)}`, version: '0.60\u202E.0' }));
        },
      }),
    );
    await nc.flush();
    const result = await runCli(['hosts', PREFIX, '-s', server.url, '--ping-timeout', '300']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2, result.stdout);
    const hidden = [...result.stdout].filter((character) => {
      const code = character.codePointAt(0) ?? 0;
      return (code < 0x20 && character !== '\n') || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
    });
    assert.deepEqual(hidden, [], JSON.stringify(result.stdout));
    assert.match(lines[1], /^evilRED line2 x+…\s+NEVIL\s+0\.60\.0\s/);
    assert.ok(lines[1].length < 200, lines[1]);

    const refused = await runCli(['cache', 'purge', lattice.streamName, '-s', server.url, '--yes', '--ping-timeout', '300']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /replied to the ping:\n {2}evilRED line2 x+… \(NEVIL, 0\.60\.0\)\nThe documented procedure/);
  });

  it('rejects a lower-case seed file with the reason', async () => {
    const seedFile = path.join(workDir, 'lower.nk');
    writeFileSync(seedFile, `${new TextDecoder().decode(createUser().getSeed()).toLowerCase()}\n`);
    const result = await runCli(['cache', 'ls', '-s', server.url, '--nkey', seedFile]);
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      `wasmcloud-lattice cache ls: The nkey seed file ${seedFile} cannot be used. The key contains lower-case letters, but nkeys are upper case, so convert it to upper case.\n`,
    );
  });

  it('rejects bad flags with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['cache', 'purge', lattice.streamName, '--ping-timeout', 'soon'], /--ping-timeout must be a whole number of milliseconds/],
      [['cache', 'ls', '--user', 'a', '--token', 'b'], /Use only one of --creds, --nkey, --user and --token\./],
      [['cache', 'purge'], /Missing the stream to purge/],
      [['cache', 'purge', 'ORDERS'], /ORDERS is not a lattice cache stream/],
      [['cache', 'ls', '--format', 'yaml'], /Invalid --format 'yaml'/],
      [['cache', 'ls', '--bogus'], /Unknown option '--bogus'/],
      [['cache', 'drop'], /Unknown subcommand 'drop'/],
      [['hosts'], /Missing the lattice name or prefix/],
      [['cache', 'ls', '-s', 'nats://a:pw@127.0.0.1:1', '--user', 'b'], /The --server URL contains a user and password or a token, and --creds, --nkey, --user or --token is given too\./],
      [['cache', 'ls', '--server', 'ws://127.0.0.1:8080'], /WebSocket URL/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, message, args.join(' '));
    }
  });
});

describe('wasmcloud-lattice with a JetStream domain', () => {
  let server: NatsServer;

  before(async () => {
    server = await NatsServer.start({ jetstreamConfig: 'domain: hub' });
    const nc = await connect({ servers: server.url });
    try {
      await (await jetstreamManager(nc, { domain: 'hub' })).streams.add({ name: 'LATTICECACHE_indomain', subjects: ['lc.indomain.>'] });
    } finally {
      await nc.close();
    }
  });

  after(async () => {
    await server?.dispose();
  });

  it('lists caches in the named domain', async () => {
    const result = await runCli(['cache', 'ls', '-s', server.url, '--js-domain', 'hub', '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const listed = JSON.parse(result.stdout) as { lattices: { name: string }[] };
    assert.deepEqual(listed.lattices.map((lattice) => lattice.name), ['indomain']);
  });

  it('names a wrong domain', async () => {
    const result = await runCli(['cache', 'ls', '-s', server.url, '--js-domain', 'nope']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /No JetStream answered for domain "nope" on nats:\/\/127\.0\.0\.1:\d+\. Check the JetStream domain: the server may use another domain or none\./);
  });
});
