import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAccount, createUser } from '@nats-io/nkeys';
import { entryGroups, subjectMatches } from '../../../../src/core/nats/cache-entries';
import { cacheStreamName, parseCacheStreamName } from '../../../../src/core/nats/cache-streams';
import { parseCredsText } from '../../../../src/core/nats/connect-options';
import { decodeEntry, kvOperation } from '../../../../src/core/nats/entry-decoding';
import { formatBytes, formatTimeAgo } from '../../../../src/core/nats/format';
import { NatsFailure } from '../../../../src/core/nats/errors';
import { decodeHostPingReply, hostPingSubjects } from '../../../../src/core/nats/host-ping';
import { credsFileText } from '../../../support/nats-auth';

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('parseCacheStreamName', () => {
  it('reads all four kinds, with - and _ in names', () => {
    assert.deepEqual(parseCacheStreamName('LATTICECACHE_default'), { kind: 'latticecache', lattice: 'default' });
    assert.deepEqual(parseCacheStreamName('LATTICECACHE_my_lattice-2'), { kind: 'latticecache', lattice: 'my_lattice-2' });
    assert.deepEqual(parseCacheStreamName('KV_LATTICEDATA_a-b_c'), { kind: 'kv-latticedata', lattice: 'a-b_c' });
    assert.deepEqual(parseCacheStreamName('KV_CONFIGDATA_default'), { kind: 'kv-configdata', lattice: 'default' });
    assert.deepEqual(parseCacheStreamName('OBJ_x_y'), { kind: 'object-store', lattice: 'x_y' });
  });

  it('ignores other streams', () => {
    for (const name of ['ORDERS', 'KV_settings', 'LATTICECACHE_', 'latticecache_default', 'KV_LATTICEDATA_']) {
      assert.equal(parseCacheStreamName(name), undefined, name);
    }
  });

  it('builds stream names back', () => {
    assert.equal(cacheStreamName('kv-configdata', 'a_b'), 'KV_CONFIGDATA_a_b');
  });
});

describe('entry groups', () => {
  it('splits a lattice cache stream by kind', () => {
    const groups = entryGroups({ stream: 'LATTICECACHE_p-1', kind: 'latticecache', lattice: 'p-1', subjects: ['lc.p-1.>'] });
    assert.deepEqual(
      groups.map((group) => [group.kind, group.filter, group.purgeable]),
      [
        ['claims', 'lc.p-1.claims.>', true],
        ['linkdefs', 'lc.p-1.linkdefs.>', true],
        ['refmap', 'lc.p-1.refmap.>', true],
        ['other', 'lc.p-1.>', false],
      ],
    );
  });

  it('reads object metadata subjects', () => {
    const [group] = entryGroups({ stream: 'OBJ_b', kind: 'object-store', lattice: 'b', subjects: ['$O.b.C.>', '$O.b.M.>'] });
    assert.equal(group.filter, '$O.b.M.>');
  });

  it('matches NATS subject filters', () => {
    assert.equal(subjectMatches('lc.p.claims.>', 'lc.p.claims.M1'), true);
    assert.equal(subjectMatches('lc.p.claims.>', 'lc.p.claims'), false);
    assert.equal(subjectMatches('lc.*.claims.M1', 'lc.q.claims.M1'), true);
    assert.equal(subjectMatches('lc.p.claims.M1', 'lc.p.claims.M1.x'), false);
  });
});

describe('decodeEntry', () => {
  const otp = (tokens: string[]) => ({ cacheKind: 'latticecache' as const, tokens, subject: `lc.p.${tokens.join('.')}` });

  it('decodes OTP claims', () => {
    const result = decodeEntry(otp(['claims', 'MABCDEFGHIJKLMN']), encode({ name: 'echo', sub: 'MABCDEFGHIJKLMN', iss: 'AISS', rev: '4', caps: 'wasmcloud:httpserver' }));
    assert.ok(result.ok);
    assert.equal(result.label, 'echo');
    assert.equal(result.description, 'MABCDEFG…');
    assert.deepEqual(result.fields.slice(0, 3), [
      ['name', 'echo'],
      ['subject', 'MABCDEFGHIJKLMN'],
      ['issuer', 'AISS'],
    ]);
  });

  it('decodes a link definition', () => {
    const result = decodeEntry(otp(['linkdefs', 'ID']), encode({ actor_id: 'MACTOR', provider_id: 'VPROVIDER', contract_id: 'wasmcloud:keyvalue', link_name: 'redis' }));
    assert.ok(result.ok);
    assert.equal(result.label, 'wasmcloud:keyvalue (redis)');
    assert.deepEqual(Object.fromEntries(result.fields), { actor: 'MACTOR', provider: 'VPROVIDER', contract: 'wasmcloud:keyvalue', 'link name': 'redis' });
  });

  it('names missing link fields', () => {
    assert.deepEqual(decodeEntry(otp(['linkdefs', 'ID']), encode({ actor_id: 'M' })), {
      ok: false,
      reason: 'cannot decode: link definition without provider_id, contract_id',
    });
  });

  it('decodes a refmap', () => {
    const result = decodeEntry(otp(['refmap', 'x']), encode({ oci_url: 'ghcr.io/a/b:1', public_key: 'MKEY' }));
    assert.ok(result.ok);
    assert.equal(result.label, 'ghcr.io/a/b:1');
  });

  it('refuses non-JSON, non-objects, odd subjects and huge values', () => {
    assert.deepEqual(decodeEntry(otp(['claims', 'M']), encode('{oops')), { ok: false, reason: 'cannot decode: the value is not JSON' });
    assert.deepEqual(decodeEntry(otp(['claims', 'M']), encode('[1]')), { ok: false, reason: 'cannot decode: expected a JSON object, found an array' });
    assert.deepEqual(decodeEntry(otp(['claims', 'M']), new Uint8Array([0xff, 0xfe])), { ok: false, reason: 'cannot decode: the value is not UTF-8 text' });
    assert.deepEqual(decodeEntry(otp(['claims', 'M']), new Uint8Array(8 * 1024 * 1024)), {
      ok: false,
      reason: 'cannot decode: the value is 8.0 MiB, over the 1.0 MiB decoding limit',
    });
    const odd = decodeEntry(otp(['claims', 'M', 'extra']), encode({ name: 'x' }));
    assert.equal(odd.ok, false);
    assert.match(odd.ok ? '' : odd.reason, /^cannot decode: unexpected subject lc\.p\.claims\.M\.extra;/);
  });

  it('decodes KV keys by prefix', () => {
    const kv = (key: string) => ({ cacheKind: 'kv-latticedata' as const, tokens: [key], subject: `$KV.LATTICEDATA_p.${key}` });
    const claims = decodeEntry(kv('CLAIMS_MX'), encode({ name: 'kvcounter', subject: 'MX' }));
    assert.ok(claims.ok);
    assert.equal(claims.label, 'kvcounter');
    const component = decodeEntry(kv('COMPONENT_p-echo'), encode({ url: 'ghcr.io/echo:1', links: {} }));
    assert.ok(component.ok);
    assert.deepEqual([component.label, component.description], ['p-echo', 'ghcr.io/echo:1']);
    const other = decodeEntry(kv('SOMETHING'), encode({ a: 1 }));
    assert.ok(other.ok);
    assert.deepEqual([other.label, other.description], ['SOMETHING', '1 field']);
    assert.deepEqual(decodeEntry(kv('CLAIMS_MX'), new Uint8Array(), 'delete'), { ok: false, reason: 'deleted (KV delete marker)' });
  });

  it('reads KV operations', () => {
    assert.equal(kvOperation('DEL'), 'delete');
    assert.equal(kvOperation('PURGE'), 'purge');
    assert.equal(kvOperation(undefined), 'put');
  });

  it('formats bytes', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(8 * 1024 * 1024), '8.0 MiB');
  });

  it('formats time ago', () => {
    const now = new Date('2026-12-04T12:00:00Z');
    assert.equal(formatTimeAgo(new Date('2026-12-04T11:59:50Z'), now), 'just now');
    assert.equal(formatTimeAgo(new Date('2026-12-04T11:55:00Z'), now), '5 min ago');
    assert.equal(formatTimeAgo(new Date('2026-12-04T09:00:00Z'), now), '3 h ago');
    assert.equal(formatTimeAgo(new Date('2026-11-22T12:00:00Z'), now), '12 days ago');
  });
});

describe('parseCredsText', () => {
  const user = createUser();
  const seed = new TextDecoder().decode(user.getSeed());
  const jwt = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJzdWIiOiJVIn0.c2ln';

  it('reads LF and CRLF files alike', () => {
    for (const eol of ['\n', '\r\n']) {
      const credentials = parseCredsText(credsFileText(jwt, seed, eol), 'user.creds');
      assert.equal(credentials.jwt, jwt);
      assert.equal(new TextDecoder().decode(credentials.seed), seed);
    }
  });

  it('names what is wrong without showing the seed', () => {
    const accountSeed = new TextDecoder().decode(createAccount().getSeed());
    const cases: [string, string][] = [
      ['', 'Bad credentials file f.creds: no "-----BEGIN NATS USER JWT-----" block was found.'],
      [credsFileText('not-a-jwt', seed), 'Bad credentials file f.creds: the first block is not a JWT (three base64url parts separated by dots).'],
      [
        credsFileText(jwt, accountSeed),
        'Bad credentials file f.creds: the seed block is not a usable user seed. This is an account seed, but a user seed is needed here, so use a user seed (SU…).',
      ],
      [credsFileText(jwt, seed.toLowerCase()), 'Bad credentials file f.creds: the seed block is not a usable user seed. The key contains lower-case letters, but nkeys are upper case, so convert it to upper case.'],
      [
        credsFileText(jwt, `${seed.slice(0, 57)}${seed.endsWith('A') ? 'E' : 'A'}`),
        'Bad credentials file f.creds: the seed block is not a usable user seed. This user seed fails its checksum because a character was changed or mistyped, so copy the key again from its source.',
      ],
    ];
    for (const [text, message] of cases) {
      assert.throws(
        () => parseCredsText(text, 'f.creds'),
        (error: unknown) => {
          assert.ok(error instanceof NatsFailure);
          assert.equal(error.kind, 'bad-credentials');
          assert.equal(error.message, message);
          assert.ok(!error.message.includes(accountSeed));
          return true;
        },
      );
    }
  });
});

describe('decodeHostPingReply', () => {
  it('lists the subjects of every host generation', () => {
    assert.deepEqual(
      hostPingSubjects('lab-1').map((ping) => ping.subject),
      ['wasmbus.ctl.lab-1.ping.hosts', 'wasmbus.ctl.v1.lab-1.host.ping'],
    );
  });

  it('reads flat and wrapped replies', () => {
    assert.deepEqual(decodeHostPingReply(encode({ id: 'N1', friendly_name: 'a', version: '0.60.0', lattice_prefix: 'p', uptime_seconds: 3 }), 's'), {
      id: 'N1',
      name: 'a',
      version: '0.60.0',
      lattice: 'p',
      uptimeSeconds: 3,
      subject: 's',
    });
    assert.deepEqual(decodeHostPingReply(encode({ success: true, message: '', response: { id: 'N2', friendly_name: 'b', version: '1.0.4', lattice: 'p' } }), 's'), {
      id: 'N2',
      name: 'b',
      version: '1.0.4',
      lattice: 'p',
      uptimeSeconds: undefined,
      subject: 's',
    });
  });
});
