import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { createUser } from '@nats-io/nkeys';
import { subjectFiltersOverlap } from '../../../../src/core/nats/cache-entries';
import { readSeedFile } from '../../../../src/core/nats/connect-options';
import { displayText } from '../../../../src/core/nats/display-text';
import { decodeEntry } from '../../../../src/core/nats/entry-decoding';
import { NatsFailure } from '../../../../src/core/nats/errors';
import { decodeHostPingReply } from '../../../../src/core/nats/host-ping';

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const userSeed = (): string => new TextDecoder().decode(createUser().getSeed());

/** True when `text` has a C0 or C1 control character, a bidi control or a zero-width character. */
function hasHiddenCharacters(text: string): boolean {
  return [...text].some((character) => {
    const code = character.codePointAt(0) ?? 0;
    return code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0x200b && code <= 0x200f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
  });
}

describe('displayText', () => {
  it('removes ANSI escape sequences', () => {
    assert.equal(displayText('evil\u001b[31mRED\u001b[0m'), 'evilRED');
    assert.equal(displayText('title\u001b]0;owned\u0007 done'), 'title done');
  });

  it('turns line breaks and other controls into spaces', () => {
    assert.equal(displayText('evil\nline2\r\tx'), 'evil line2 x');
    assert.equal(displayText('a\u0000b\u0085c'), 'a b c');
  });

  it('removes bidi controls and zero-width characters', () => {
    assert.equal(displayText('evil\u202Etxt.exe'), 'eviltxt.exe');
    assert.equal(displayText('\u2066a\u2069\u200Bb\uFEFF'), 'ab');
  });

  it('caps the length in code points', () => {
    const shown = displayText('x'.repeat(300), 120);
    assert.equal([...shown].length, 120);
    assert.ok(shown.endsWith('…'));
    // A surrogate pair at the cut is kept whole.
    assert.equal(displayText('😀'.repeat(5), 3), '😀😀…');
  });

  it('hides seed-shaped strings', () => {
    const seed = userSeed();
    assert.equal(displayText(`name ${seed}`), 'name [redacted]');
  });
});

describe('network text in hosts and entries', () => {
  it('cleans a forged host ping reply', () => {
    const host = decodeHostPingReply(encode({ id: `N${'A'.repeat(55)}\u001b[2J`, friendly_name: `evil\u001b[31mRED\u001b[0m\nline2 ${'x'.repeat(300)}`, version: '0.60\u202E1' }), 's');
    assert.equal(host.id, `N${'A'.repeat(55)}`);
    assert.ok(host.name.startsWith('evilRED line2 xxx'), host.name);
    assert.ok([...host.name].length <= 64, host.name);
    assert.equal(host.version, '0.601');
    assert.ok(!hasHiddenCharacters(`${host.id}${host.name}${host.version ?? ''}`));
  });

  it('cleans decoded entry labels', () => {
    const seed = userSeed();
    const refmap = decodeEntry({ cacheKind: 'latticecache', tokens: ['refmap', 'x'], subject: 'lc.p.refmap.x' }, encode({ oci_url: 'evil\u202Etxt.exe', public_key: 'M1' }));
    assert.ok(refmap.ok);
    assert.equal(refmap.label, 'eviltxt.exe');

    const claims = decodeEntry({ cacheKind: 'latticecache', tokens: ['claims', 'M1'], subject: 'lc.p.claims.M1' }, encode({ name: seed, sub: 'MABC' }));
    assert.ok(claims.ok);
    assert.equal(claims.label, '[redacted]');
    assert.ok(!JSON.stringify(claims).includes(seed));

    const kv = decodeEntry({ cacheKind: 'kv-configdata', tokens: ['key'], subject: '$KV.CONFIGDATA_p.key' }, encode({ note: 'a\nb\u001b[1m' }));
    assert.ok(kv.ok);
    assert.deepEqual(kv.fields, [['note', 'a b']]);
  });
});

describe('subjectFiltersOverlap', () => {
  it('compares filters token by token', () => {
    const cases: [string, string, boolean][] = [
      ['lc.default.linkdefs.>', 'lc.default.>', true],
      ['lc.>', 'lc.default.>', true],
      ['lc.*.linkdefs.>', 'lc.default.>', true],
      ['lc.other.>', 'lc.default.>', false],
      ['lc.default', 'lc.default.>', false],
      ['lc.default.x', 'lc.default.x', true],
      ['>', 'lc.default.>', true],
      ['lc.default.*', 'lc.default.a.b', false],
    ];
    for (const [a, b, expected] of cases) {
      assert.equal(subjectFiltersOverlap(a, b), expected, `${a} vs ${b}`);
      assert.equal(subjectFiltersOverlap(b, a), expected, `${b} vs ${a}`);
    }
  });
});

describe('readSeedFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wcl-seedfile-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the key inspector reason for a lower-case seed', async () => {
    const seed = userSeed();
    for (const [name, content] of [
      ['lower.nk', `${seed.toLowerCase()}\n`],
      ['lower-with-comment.nk', `# ops user\n${seed.toLowerCase()}\n`],
    ]) {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      await assert.rejects(readSeedFile(file), (error: unknown) => {
        assert.ok(error instanceof NatsFailure);
        assert.equal(error.kind, 'bad-seed');
        assert.equal(error.message, `The nkey seed file ${file} cannot be used. The key contains lower-case letters, but nkeys are upper case, so convert it to upper case.`);
        assert.ok(!error.message.toUpperCase().includes(seed));
        return true;
      });
    }
  });
});
