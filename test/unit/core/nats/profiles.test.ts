import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { natsConfigDirectory, readNatsContexts } from '../../../../src/core/nats/nats-context';
import {
  checkServerUrl,
  connectionFingerprint,
  defaultProfile,
  describeServers,
  parseServerList,
  readServerList,
  redactServerUrl,
  resolveUserPath,
} from '../../../../src/core/nats/profile';
import { profilesFromSettings } from '../../../../src/core/nats/settings-profiles';

const dir = mkdtempSync(path.join(tmpdir(), 'wcl-profiles-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('profilesFromSettings', () => {
  it('reads the demo shape', () => {
    const { profiles, problems } = profilesFromSettings([{ name: 'demo', servers: ['nats://127.0.0.1:4333'] }]);
    assert.deepEqual(problems, []);
    assert.deepEqual(profiles, [
      {
        id: 'settings:demo',
        name: 'demo',
        source: 'settings',
        servers: ['nats://127.0.0.1:4333'],
        auth: { kind: 'none' },
        tls: undefined,
        jetstreamDomain: undefined,
        jetstreamApiPrefix: undefined,
        inboxPrefix: undefined,
        selected: false,
      },
    ]);
  });

  it('reads every auth kind and resolves file paths', () => {
    const { profiles, problems } = profilesFromSettings(
      [
        { name: 'pw', servers: 'nats://a:4222, nats://b:4222', auth: 'userPassword', user: 'ops' },
        { name: 'tok', servers: ['nats://a:4222'], auth: 'token' },
        { name: 'nk', servers: ['nats://a:4222'], nkeyFile: 'keys/user.nk' },
        { name: 'cr', servers: ['tls://a:4222'], credsFile: '~/creds/ops.creds', tls: { caFile: 'ca.pem', handshakeFirst: true }, jetstreamDomain: 'hub' },
      ],
      { baseDir: '/work/space', home: '/home/ops' },
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      profiles.map((profile) => [profile.name, profile.servers, profile.auth]),
      [
        ['pw', ['nats://a:4222', 'nats://b:4222'], { kind: 'user-password', user: 'ops' }],
        ['tok', ['nats://a:4222'], { kind: 'token' }],
        ['nk', ['nats://a:4222'], { kind: 'nkey', seedFile: '/work/space/keys/user.nk' }],
        ['cr', ['tls://a:4222'], { kind: 'creds', credsFile: '/home/ops/creds/ops.creds' }],
      ],
    );
    assert.deepEqual(profiles[3].tls, { caFile: '/work/space/ca.pem', certFile: undefined, keyFile: undefined, handshakeFirst: true });
    assert.equal(profiles[3].jetstreamDomain, 'hub');
  });

  it('ignores secrets written into settings', () => {
    const { profiles, problems } = profilesFromSettings([{ name: 'leaky', servers: ['nats://a:4222'], user: 'u', password: 'hunter2' }]);
    assert.equal(profiles.length, 1);
    assert.deepEqual(profiles[0].auth, { kind: 'user-password', user: 'u' });
    assert.deepEqual(problems, ['Connection "leaky": "password" in settings is ignored. Use Set Password… on the connection in the Lattices view to keep it in secret storage.']);
  });

  it('ignores credentials in settings server URLs', () => {
    const { profiles, problems } = profilesFromSettings([
      { name: 'url-pw', servers: ['nats://alice:s3cr3t-pass@127.0.0.1:4222'] },
      { name: 'url-token', servers: 'nats://tok-77e1@127.0.0.1:4222' },
    ]);
    assert.deepEqual(
      profiles.map((profile) => [profile.name, profile.servers, profile.auth]),
      [
        ['url-pw', ['nats://127.0.0.1:4222'], { kind: 'user-password', user: 'alice' }],
        ['url-token', ['nats://127.0.0.1:4222'], { kind: 'token' }],
      ],
    );
    assert.deepEqual(problems, [
      'Connection "url-pw": the password in its server URL is ignored, because secrets are not read from settings. Remove it from the URL. Use Set Password… on the connection in the Lattices view to keep it in secret storage.',
      'Connection "url-token": the token in its server URL is ignored, because secrets are not read from settings. Remove it from the URL. Use Set Token… on the connection in the Lattices view to keep it in secret storage.',
    ]);
    assert.ok(!JSON.stringify({ profiles, problems }).includes('s3cr3t-pass'));
    assert.ok(!JSON.stringify({ profiles, problems }).includes('tok-77e1'));
  });

  it('skips invalid items with a reason', () => {
    const { profiles, problems } = profilesFromSettings([
      { servers: ['nats://a:4222'] },
      { name: 'no-servers' },
      { name: 'ws', servers: ['ws://a:8080'] },
      { name: 'bad-auth', servers: ['nats://a'], auth: 'kerberos' },
      { name: 'nkey-without-file', servers: ['nats://a'], auth: 'nkey' },
      { name: 'twice', servers: ['nats://a'] },
      { name: 'twice', servers: ['nats://b'] },
      'just a string',
    ]);
    assert.deepEqual(
      profiles.map((profile) => profile.name),
      ['twice'],
    );
    assert.deepEqual(problems, [
      'wasmcloudLattice.connections[0] has no "name"; it is skipped.',
      'Connection "no-servers" has no "servers" (for example ["nats://127.0.0.1:4222"]); it is skipped.',
      "Connection \"ws\": ws://a:8080 is a WebSocket URL; use the server's NATS port (nats://host:4222) instead. The connection is skipped.",
      'Connection "bad-auth": auth "kerberos" is not one of none, userPassword, token, nkey, creds; the connection is skipped.',
      'Connection "nkey-without-file": auth is nkey but "nkeyFile" (the path of a user seed file) is missing; the connection is skipped.',
      'Connection "twice" is defined twice; the second definition is skipped.',
      'wasmcloudLattice.connections[7] is not an object; it is skipped.',
    ]);
  });

  it('rejects a setting that is not an array', () => {
    assert.deepEqual(profilesFromSettings({ name: 'x' }).problems, ['wasmcloudLattice.connections must be an array of connections; the setting is ignored.']);
    assert.deepEqual(profilesFromSettings(undefined), { profiles: [], problems: [] });
  });
});

describe('NATS CLI contexts', () => {
  function writeContexts(name: string, files: Record<string, unknown>, selected?: string): string {
    const configHome = path.join(dir, name);
    mkdirSync(path.join(configHome, 'nats', 'context'), { recursive: true });
    for (const [file, content] of Object.entries(files)) {
      writeFileSync(path.join(configHome, 'nats', 'context', file), typeof content === 'string' ? content : JSON.stringify(content));
    }
    if (selected !== undefined) {
      writeFileSync(path.join(configHome, 'nats', 'context.txt'), `${selected}\n`);
    }
    return configHome;
  }

  it('uses XDG_CONFIG_HOME, else ~/.config', () => {
    assert.equal(natsConfigDirectory({ env: { XDG_CONFIG_HOME: '/xdg' }, home: '/home/ops' }), path.join('/xdg', 'nats'));
    assert.equal(natsConfigDirectory({ env: {}, home: '/home/ops' }), path.join('/home/ops', '.config', 'nats'));
  });

  it('reads every field and marks the selected context', async () => {
    const configHome = writeContexts(
      'all-fields',
      {
        'prod.json': {
          description: 'Production hub',
          url: 'nats://n1:4222,nats://n2:4222',
          creds: '~/prod.creds',
          nkey: '',
          user: 'ignored-because-creds',
          password: 'ignored',
          token: '',
          cert: '/pki/client.pem',
          key: '/pki/client.key',
          ca: '/pki/ca.pem',
          tls_first: true,
          jetstream_domain: 'hub',
          jetstream_api_prefix: '$JS.hub.API',
          inbox_prefix: '_INBOX_ops',
        },
        'dev.json': { url: '', user: 'dev', password: 'dev-pw' },
        'token.json': { url: 'nats://t:4222', token: 'tok' },
        'nkey.json': { nkey: '/keys/user.nk' },
        'broken.json': '{ not json',
        'notes.txt': 'not a context',
      },
      'prod',
    );

    const contexts = await readNatsContexts({ env: { XDG_CONFIG_HOME: configHome }, home: '/home/ops' });
    assert.deepEqual(
      contexts.profiles.map((profile) => [profile.name, profile.selected, profile.servers, profile.auth]),
      [
        ['dev', false, ['nats://127.0.0.1:4222'], { kind: 'user-password', user: 'dev', password: 'dev-pw' }],
        ['nkey', false, ['nats://127.0.0.1:4222'], { kind: 'nkey', seedFile: '/keys/user.nk' }],
        ['prod', true, ['nats://n1:4222', 'nats://n2:4222'], { kind: 'creds', credsFile: '/home/ops/prod.creds' }],
        ['token', false, ['nats://t:4222'], { kind: 'token', token: 'tok' }],
      ],
    );

    const prod = contexts.profiles[2];
    assert.deepEqual(prod.tls, { certFile: '/pki/client.pem', keyFile: '/pki/client.key', caFile: '/pki/ca.pem', handshakeFirst: true });
    assert.equal(prod.jetstreamDomain, 'hub');
    assert.equal(prod.jetstreamApiPrefix, '$JS.hub.API');
    assert.equal(prod.inboxPrefix, '_INBOX_ops');
    assert.equal(prod.description, 'Production hub');
    assert.equal(prod.id, 'nats-context:prod');

    assert.equal(contexts.problems.length, 1);
    assert.match(contexts.problems[0], /^NATS context "broken" could not be read from .*broken\.json: /);
  });

  it('takes credentials from the context URL', async () => {
    const configHome = writeContexts('url-credentials', {
      'pw.json': { url: 'nats://alice:p%40ss-9@127.0.0.1:4222', user: 'other', password: 'other-pw' },
      'tok.json': { url: 'nats://tok-1c2d@127.0.0.1:4222' },
      'mixed.json': { url: 'nats://a:one@127.0.0.1:4222,nats://a:two@127.0.0.1:4223' },
    });
    const contexts = await readNatsContexts({ env: { XDG_CONFIG_HOME: configHome }, home: '/home/ops' });
    assert.deepEqual(
      contexts.profiles.map((profile) => [profile.name, profile.servers, profile.auth]),
      [
        ['pw', ['nats://127.0.0.1:4222'], { kind: 'user-password', user: 'alice', password: 'p@ss-9' }],
        ['tok', ['nats://127.0.0.1:4222'], { kind: 'token', token: 'tok-1c2d' }],
      ],
    );
    assert.equal(contexts.problems.length, 1);
    assert.match(contexts.problems[0], /^NATS context "mixed" \(.*mixed\.json\): The server URLs contain different credentials \(nats:\/\/a:\[redacted\]@127\.0\.0\.1:4223\)/);
    assert.ok(!contexts.problems[0].includes('two'));
  });

  it('returns nothing when the folder is missing', async () => {
    const contexts = await readNatsContexts({ env: { XDG_CONFIG_HOME: path.join(dir, 'nothing') } });
    assert.deepEqual(contexts.profiles, []);
    assert.deepEqual(contexts.problems, []);
  });
});

describe('profile helpers', () => {
  it('defaults to the local server', () => {
    assert.deepEqual(defaultProfile().servers, ['nats://127.0.0.1:4222']);
  });

  it('checks server URLs', () => {
    assert.equal(checkServerUrl('nats://127.0.0.1:4222'), undefined);
    assert.equal(checkServerUrl('tls://nats.example.com'), undefined);
    assert.equal(checkServerUrl('127.0.0.1:4222'), undefined);
    assert.equal(checkServerUrl('http://x:4222'), 'http://x:4222 uses the unsupported scheme http; use nats:// or tls://.');
    assert.equal(checkServerUrl(' '), 'The server URL is empty.');
  });

  it('redacts URL passwords and tokens', () => {
    assert.equal(redactServerUrl('nats://alice:s3cr3t@127.0.0.1:4222'), 'nats://alice:[redacted]@127.0.0.1:4222');
    assert.equal(redactServerUrl('tok-5@127.0.0.1'), '[redacted]@127.0.0.1');
    assert.equal(redactServerUrl('tls://host:4222'), 'tls://host:4222');
    assert.equal(checkServerUrl('ws://alice:s3cr3t@h:8080'), "ws://alice:[redacted]@h:8080 is a WebSocket URL; use the server's NATS port (nats://host:4222) instead.");
    assert.equal(describeServers(['nats://alice:s3cr3t@h:4222', 'nats://h2:4222']), 'nats://alice:[redacted]@h:4222 (+1 more)');
  });

  it('takes credentials out of server URLs', () => {
    assert.deepEqual(readServerList('nats://alice:1234@127.0.0.1:4222, nats://127.0.0.1:4223'), {
      servers: ['nats://127.0.0.1:4222', 'nats://127.0.0.1:4223'],
      credentials: { kind: 'user-password', user: 'alice', password: '1234' },
    });
    assert.deepEqual(readServerList(['tok-9@h:4222']), { servers: ['h:4222'], credentials: { kind: 'token', token: 'tok-9' } });
    assert.deepEqual(readServerList('nats://h:4222'), { servers: ['nats://h:4222'], credentials: undefined });
    assert.equal(readServerList('nats://a:x@h:1,nats://a:y@h:2').problem, 'The server URLs contain different credentials (nats://a:[redacted]@h:2); give one user and password or token for all of them.');
  });

  it('splits server lists', () => {
    assert.deepEqual(parseServerList(' nats://a:1 ,, nats://b:2 '), ['nats://a:1', 'nats://b:2']);
    assert.deepEqual(parseServerList(['nats://a:1,nats://b:2', 'nats://c:3']), ['nats://a:1', 'nats://b:2', 'nats://c:3']);
  });

  it('expands ~ and resolves relative paths', () => {
    assert.equal(resolveUserPath('~/x.creds', '/ws', '/home/u'), '/home/u/x.creds');
    assert.equal(resolveUserPath('keys/x.nk', '/ws', '/home/u'), '/ws/keys/x.nk');
    assert.equal(resolveUserPath('/abs/x.nk', '/ws', '/home/u'), '/abs/x.nk');
  });

  it('changes the fingerprint with connection fields only', () => {
    const base = defaultProfile();
    assert.equal(connectionFingerprint(base), connectionFingerprint({ ...base, name: 'renamed', description: 'other' }));
    assert.notEqual(connectionFingerprint(base), connectionFingerprint({ ...base, servers: ['nats://other:4222'] }));
    assert.notEqual(connectionFingerprint(base), connectionFingerprint({ ...base, auth: { kind: 'token' } }));
  });
});
