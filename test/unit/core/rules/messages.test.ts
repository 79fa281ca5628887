import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dotenv from 'dotenv';
import type { LintDiagnostic } from '../../../../src/core/rules/types';
import { WorkspaceIndex } from '../../../../src/core/rules/workspace';
import { lintText } from '../../../../src/core/rules/lint';
import { account, cluster, lint, user, userJwt } from './support';

const host = cluster();
const other = cluster();
const nats = user();
const accountPair = account();

function only(text: string, code: string): LintDiagnostic {
  const found = lint(text).filter((diagnostic) => diagnostic.code === code);
  assert.equal(found.length, 1, `${code} in ${JSON.stringify(lint(text).map((diagnostic) => diagnostic.code))}`);
  return found[0];
}

/** Number of times `phrase` occurs in `text`. */
function count(text: string, phrase: string): number {
  return text.split(phrase).length - 1;
}

describe('key kind messages', () => {
  it('seed-wrong-kind names the kind once', () => {
    const { message } = only(`WASMCLOUD_CLUSTER_SEED=${nats.seed}\n`, 'seed-wrong-kind');
    assert.equal(count(message, 'user seed'), 1, message);
    assert.equal(count(message, 'cluster seed'), 2, message);
    assert.ok(!message.includes('This is'), message);
    assert.match(message, /use a cluster seed \(SC…\)/);
  });

  it('seed-is-public-key names the kind once', () => {
    const { message } = only(`WASMCLOUD_CLUSTER_SEED=${host.publicKey}\n`, 'seed-is-public-key');
    assert.equal(count(message, 'public key'), 1, message);
    assert.ok(!message.includes('This is'), message);
    assert.match(message, /the cluster seed \(SC…\) that belongs to it/);
  });

  it('issuer-is-seed names the kind once', () => {
    const { message } = only(`WASMCLOUD_CLUSTER_SEED=${host.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${host.publicKey},${other.seed}\n`, 'issuer-is-seed');
    assert.equal(count(message, 'cluster seed'), 2, message);
    assert.ok(!message.includes('This is'), message);
    assert.match(message, /Replace it with its public key \(C…\)/);
  });

  it('credentials-seed-kind names the kind once', () => {
    const { message } = only(`WASMCLOUD_RPC_JWT=${userJwt(nats.publicKey)}\nWASMCLOUD_RPC_SEED=${host.seed}\n`, 'credentials-seed-kind');
    assert.equal(count(message, 'cluster seed'), 1, message);
    assert.ok(!message.includes('This is'), message);
  });

  it('issuer-wrong-kind names the kind once', () => {
    const { message } = only(`WASMCLOUD_CLUSTER_SEED=${host.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${host.publicKey},${accountPair.publicKey}\n`, 'issuer-wrong-kind');
    assert.equal(count(message, 'account public key'), 1, message);
    assert.ok(!message.includes('This is'), message);
  });
});

describe('multi-line issuers list', () => {
  const text = `WASMCLOUD_CLUSTER_SEED=${host.seed}\nWASMCLOUD_CLUSTER_ISSUERS="${host.publicKey},\n${other.publicKey}"\n`;

  it('dotenv keeps the line break', () => {
    assert.equal(dotenv.parse(text).WASMCLOUD_CLUSTER_ISSUERS, `${host.publicKey},\n${other.publicKey}`);
  });

  it('says line break, not spaces', () => {
    const finding = only(text, 'issuers-whitespace');
    assert.match(finding.message, /line breaks/);
    assert.ok(!finding.message.includes('spaces around a comma'), finding.message);
    assert.ok(!/[\r\n]/.test(finding.message), JSON.stringify(finding.message));
  });

  it('fix writes the list on one line', () => {
    const fix = only(text, 'issuers-whitespace').fixes?.[0];
    assert.equal(fix?.title, 'Write WASMCLOUD_CLUSTER_ISSUERS on one line');
    assert.equal(fix?.edits[0].newText, `${host.publicKey},${other.publicKey}`);
  });

  it('spaces keep their message', () => {
    const spaced = `WASMCLOUD_CLUSTER_SEED=${host.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${host.publicKey}, ${other.publicKey}\n`;
    assert.match(only(spaced, 'issuers-whitespace').message, /spaces around a comma/);
  });
});

describe('lattice-issuers-mismatch wording', () => {
  it('one rejecting file is singular', () => {
    const workspace = new WorkspaceIndex();
    workspace.update('a.env', lintText(`WASMCLOUD_LATTICE_PREFIX=prod\nWASMCLOUD_CLUSTER_SEED=${host.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${host.publicKey},${other.publicKey}\n`));
    workspace.update('b.env', lintText(`WASMCLOUD_LATTICE_PREFIX=prod\nWASMCLOUD_CLUSTER_SEED=${other.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${other.publicKey}\n`));
    const finding = workspace.diagnostics('a.env').find((diagnostic) => diagnostic.key === 'WASMCLOUD_CLUSTER_SEED');
    assert.match(finding?.message ?? '', /^1 other host file in lattice 'prod' does not list /);
  });

  it('two rejecting files are plural', () => {
    const workspace = new WorkspaceIndex();
    const third = cluster();
    workspace.update('a.env', lintText(`WASMCLOUD_LATTICE_PREFIX=prod\nWASMCLOUD_CLUSTER_SEED=${host.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${host.publicKey},${other.publicKey},${third.publicKey}\n`));
    workspace.update('b.env', lintText(`WASMCLOUD_LATTICE_PREFIX=prod\nWASMCLOUD_CLUSTER_SEED=${other.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${other.publicKey},${third.publicKey}\n`));
    workspace.update('c.env', lintText(`WASMCLOUD_LATTICE_PREFIX=prod\nWASMCLOUD_CLUSTER_SEED=${third.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${other.publicKey},${third.publicKey}\n`));
    const finding = workspace.diagnostics('a.env').find((diagnostic) => diagnostic.key === 'WASMCLOUD_CLUSTER_SEED');
    assert.match(finding?.message ?? '', /^2 other host files in lattice 'prod' do not list /);
  });
});
