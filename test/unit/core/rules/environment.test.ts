import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gitStatus, lintEnvironment, nodeLintHost } from '../../../../src/core/rules/environment';
import { lintText } from '../../../../src/core/rules/lint';
import { cluster, user, userJwt } from './support';

const nats = user();

function creds(jwt: string, seed: string): string {
  return `-----BEGIN NATS USER JWT-----\n${jwt}\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n${seed}\n------END USER NKEY SEED------\n`;
}

async function environmentCodes(file: string, text: string): Promise<string[]> {
  writeFileSync(file, text);
  const findings = await lintEnvironment(file, lintText(text), nodeLintHost);
  return findings.map((finding) => finding.code);
}

describe('creds file rules', () => {
  let folder: string;
  before(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'lint-creds-'));
    writeFileSync(path.join(folder, 'good.creds'), creds(userJwt(nats.publicKey), nats.seed));
    writeFileSync(path.join(folder, 'mismatch.creds'), creds(userJwt(user().publicKey), nats.seed));
    writeFileSync(path.join(folder, 'garbage.creds'), 'not a creds file\n');
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('resolves a relative path against the .env folder', async () => {
    assert.deepEqual(await environmentCodes(path.join(folder, 'ok.env'), 'WASMCLOUD_NATS_CREDS=./good.creds\n'), []);
  });

  it('reports a missing file', async () => {
    assert.deepEqual(await environmentCodes(path.join(folder, 'missing.env'), 'WASMCLOUD_NATS_CREDS=./nope.creds\n'), ['credsfile-missing']);
  });

  it('reports a file without blocks', async () => {
    assert.deepEqual(await environmentCodes(path.join(folder, 'garbage.env'), 'WASMCLOUD_RPC_CREDS=garbage.creds\n'), ['credsfile-malformed']);
  });

  it('hides a seed pasted as a creds path', async () => {
    for (const variable of ['WASMCLOUD_NATS_CREDS', 'WASMCLOUD_RPC_CREDS', 'WASMCLOUD_CTL_CREDS']) {
      const file = path.join(folder, 'pasted.env');
      const text = `WASMCLOUD_LATTICE=prod\n${variable}=${nats.seed}\n`;
      writeFileSync(file, text);
      const findings = await lintEnvironment(file, lintText(text), nodeLintHost);
      assert.deepEqual(
        findings.map((finding) => finding.code),
        ['credsfile-missing'],
      );
      const message = findings[0].message;
      assert.ok(!message.includes(nats.seed.slice(2, 12)), message);
      assert.match(message, /looks like an nkey seed/);
      assert.ok(message.includes(`${folder}${path.sep}[redacted]`), message);
    }
  });

  it('shows a plain missing path', async () => {
    const file = path.join(folder, 'plain.env');
    const text = 'WASMCLOUD_NATS_CREDS=./nope.creds\n';
    writeFileSync(file, text);
    const [finding] = await lintEnvironment(file, lintText(text), nodeLintHost);
    assert.ok(finding.message.includes(path.join(folder, 'nope.creds')), finding.message);
  });

  it('skips a substituted creds path', async () => {
    assert.deepEqual(await environmentCodes(path.join(folder, 'substituted.env'), 'WASMCLOUD_NATS_CREDS=${HOME}/nats.creds\n'), []);
  });

  it('reports a seed that does not match the JWT', async () => {
    assert.deepEqual(await environmentCodes(path.join(folder, 'mismatch.env'), 'WASMCLOUD_CTL_CREDS=mismatch.creds\n'), ['credsfile-malformed']);
  });
});

describe('seed-in-tracked-file', () => {
  let repo: string;
  const seedLine = `WASMCLOUD_CLUSTER_SEED=${cluster().seed}\n`;
  const git = (...args: string[]): void => {
    execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  };
  before(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'lint-git-'));
    git('init', '-q');
    writeFileSync(path.join(repo, '.gitignore'), 'ignored.env\n');
    writeFileSync(path.join(repo, 'tracked.env'), seedLine);
    git('add', 'tracked.env', '.gitignore');
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  it('reports a tracked file', async () => {
    assert.equal(await gitStatus(path.join(repo, 'tracked.env')), 'tracked');
    assert.deepEqual(await environmentCodes(path.join(repo, 'tracked.env'), seedLine), ['seed-in-tracked-file']);
  });

  it('reports a file git does not ignore', async () => {
    assert.deepEqual(await environmentCodes(path.join(repo, 'new.env'), seedLine), ['seed-in-tracked-file']);
  });

  it('accepts an ignored file', async () => {
    assert.deepEqual(await environmentCodes(path.join(repo, 'ignored.env'), seedLine), []);
  });

  it('accepts a tracked file without seeds', async () => {
    assert.deepEqual(await environmentCodes(path.join(repo, 'tracked.env'), 'WASMCLOUD_LATTICE=prod\n'), []);
  });

  it('accepts a file outside any repository', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'lint-nogit-'));
    try {
      assert.equal(await gitStatus(path.join(outside, 'a.env')), 'outside');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
