import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closestName } from '../../../../src/core/rules/lattice';
import { lint, user, userJwt } from './support';

const nats = user();
const jwt = userJwt(nats.publicKey);

describe('credentials-incomplete per host version', () => {
  const credsAndJwt = `WASMCLOUD_NATS_CREDS=./nats.creds\nWASMCLOUD_NATS_JWT=${jwt}\n`;

  it('1.x names the creds conflict', () => {
    const findings = lint(credsAndJwt, { hostVersion: '1.x' }).filter((diagnostic) => diagnostic.code === 'credentials-incomplete');
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /1\.x hosts refuse to start when a creds file/);
  });

  it('OTP ignores NATS credentials', () => {
    const found = lint(credsAndJwt, { hostVersion: 'otp' });
    assert.deepEqual(
      found.filter((diagnostic) => diagnostic.code === 'credentials-incomplete'),
      [],
    );
    assert.ok(found.some((diagnostic) => diagnostic.code === 'variable-ignored' && diagnostic.key === 'WASMCLOUD_NATS_CREDS'));
  });

  it('0.8x names its own seed variable', () => {
    const findings = lint(credsAndJwt, { hostVersion: '0.8x' }).filter((diagnostic) => diagnostic.code === 'credentials-incomplete');
    assert.equal(findings.length, 1);
    assert.ok(!findings[0].message.includes('1.x'), findings[0].message);
    assert.ok(!findings[0].message.includes('creds file'), findings[0].message);
    assert.match(findings[0].message, /set but not WASMCOULD_NATS_SEED/);
    assert.match(findings[0].message, /hosts 0\.78–0\.82 refuse to start/);
  });

  it('0.8x accepts a pair next to a creds file', () => {
    const text = `WASMCLOUD_RPC_CREDS=./rpc.creds\nWASMCLOUD_RPC_JWT=${jwt}\nWASMCLOUD_RPC_SEED=${nats.seed}\n`;
    assert.deepEqual(
      lint(text, { hostVersion: '0.8x' }).filter((diagnostic) => diagnostic.code === 'credentials-incomplete'),
      [],
    );
  });
});

describe('version rules by agreement', () => {
  it('reports a boolean every candidate rejects', () => {
    // WASMCLOUD_LATTICE is read by 0.82 and 1.x only, and both read booleans only as true or false.
    const findings = lint('WASMCLOUD_LATTICE=prod\nWASMCLOUD_CTL_TLS=1\nWASMCLOUD_RPC_TLS=TRUE\n').filter((diagnostic) => diagnostic.code === 'boolean-format');
    assert.deepEqual(
      findings.map((diagnostic) => [diagnostic.key, diagnostic.fixes?.[0]?.edits[0].newText]),
      [
        ['WASMCLOUD_CTL_TLS', 'true'],
        ['WASMCLOUD_RPC_TLS', 'true'],
      ],
    );
    assert.match(findings[0].message, /hosts 0\.78–0\.82 and 1\.x hosts/);
  });

  it('keeps quiet when a candidate accepts', () => {
    // Without a lattice variable OTP hosts are candidates too, and they read 1 as true.
    assert.deepEqual(
      lint('WASMCLOUD_CTL_TLS=1\n').filter((diagnostic) => diagnostic.code === 'boolean-format'),
      [],
    );
  });
});

describe('WASMCLOUD_NATS_SEED on 1.x', () => {
  const text = `WASMCLOUD_NATS_JWT=${jwt}\nWASMCLOUD_NATS_SEED=${nats.seed}\n`;

  it('says 1.0 and 1.1 ignore it', () => {
    const [finding] = lint(text, { hostVersion: '1.x' }).filter((diagnostic) => diagnostic.key === 'WASMCLOUD_NATS_SEED');
    assert.equal(finding?.code, 'variable-renamed');
    assert.match(finding.message, /1\.0 and 1\.1/);
    assert.ok(!finding.message.includes(nats.seed.slice(2, 12)));
  });

  it('fix adds the misspelled name', () => {
    const [finding] = lint(text, { hostVersion: '1.x' }).filter((diagnostic) => diagnostic.key === 'WASMCLOUD_NATS_SEED');
    const edit = finding?.fixes?.[0].edits[0];
    assert.equal(edit?.newText, `WASMCOULD_NATS_SEED=${nats.seed}\n`);
    assert.deepEqual([edit.range.startLine, edit.range.startColumn, edit.range.end - edit.range.start], [1, 0, 0]);
    assert.ok(!finding.fixes?.[0].title.includes(nats.seed.slice(2, 12)));
  });

  it('accepts both names', () => {
    const both = `${text}WASMCOULD_NATS_SEED=${nats.seed}\n`;
    assert.deepEqual(
      lint(both, { hostVersion: '1.x' }).filter((diagnostic) => diagnostic.code === 'variable-renamed'),
      [],
    );
  });
});

describe('did you mean', () => {
  it('adds a missing last word', () => {
    assert.equal(closestName('WASMCLOUD_STRUCTURED_LOGGING'), 'WASMCLOUD_STRUCTURED_LOGGING_ENABLED');
    const [finding] = lint('WASMCLOUD_STRUCTURED_LOGGING=true\n');
    assert.match(finding.message, /Did you mean WASMCLOUD_STRUCTURED_LOGGING_ENABLED\?/);
  });

  it('drops an extra word', () => {
    assert.equal(closestName('WASMCLOUD_LATTICE_NAME'), 'WASMCLOUD_LATTICE');
  });

  it('stays quiet when several names fit', () => {
    // WASMCLOUD_HOST_SEED, WASMCLOUD_CLUSTER_SEED, WASMCLOUD_RPC_SEED and others each add one word.
    assert.equal(closestName('WASMCLOUD_SEED'), undefined);
  });

  it('still finds a typo', () => {
    assert.equal(closestName('WASMCLOUD_LATICE'), 'WASMCLOUD_LATTICE');
  });
});

describe('variable-unknown limit', () => {
  it('caps unknown names per file', () => {
    const text = Array.from({ length: 250 }, (_, index) => `WASMCLOUD_UNKNOWN_${index}=1`).join('\n');
    assert.equal(lint(text).filter((diagnostic) => diagnostic.code === 'variable-unknown').length, 200);
  });
});
