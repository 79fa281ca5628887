import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dotenv from 'dotenv';
import { lintText } from '../../../../src/core/rules/lint';
import { WorkspaceIndex } from '../../../../src/core/rules/workspace';
import { cluster, codes, lint } from './support';

const host = cluster();
const other = cluster();

describe('variable substitution', () => {
  const substituted = [
    'WASMCLOUD_LATTICE=${LATTICE}',
    'WASMCLOUD_RPC_PORT=${NATS_PORT}',
    'WASMCLOUD_CTL_PORT=${NATS_PORT:-4222}',
    'WASMCLOUD_RPC_TIMEOUT_MS=$TIMEOUT',
    'WASMCLOUD_RPC_TLS="${RPC_TLS}"',
    'WASMCLOUD_HOST_SEED=${HOST_SEED}',
    'WASMCLOUD_RPC_JWT=${RPC_JWT}',
    'WASMCLOUD_RPC_SEED=${RPC_SEED}',
  ].join('\n');

  it('dotenv keeps the reference text', () => {
    // The premise: dotenv does not expand, so the linter gets the reference itself.
    const parsed = dotenv.parse(substituted);
    assert.equal(parsed.WASMCLOUD_RPC_PORT, '${NATS_PORT}');
    assert.equal(parsed.WASMCLOUD_RPC_TIMEOUT_MS, '$TIMEOUT');
  });

  it('skips the value rules', () => {
    const found = codes(substituted, { hostVersion: '1.x' });
    assert.deepEqual(
      found.filter((code) => code !== 'value-substituted'),
      [],
    );
  });

  it('reports each substituted value as info', () => {
    const notes = lint(substituted).filter((diagnostic) => diagnostic.code === 'value-substituted');
    assert.deepEqual(
      notes.map((diagnostic) => diagnostic.key),
      ['WASMCLOUD_LATTICE', 'WASMCLOUD_RPC_PORT', 'WASMCLOUD_CTL_PORT', 'WASMCLOUD_RPC_TIMEOUT_MS', 'WASMCLOUD_RPC_TLS', 'WASMCLOUD_HOST_SEED', 'WASMCLOUD_RPC_JWT', 'WASMCLOUD_RPC_SEED'],
    );
    assert.ok(notes.every((diagnostic) => diagnostic.severity === 'info'));
    assert.match(notes[1].message, /'\$\{NATS_PORT\}'.*not checked/);
  });

  it('skips the issuers check of a substituted list', () => {
    assert.deepEqual(codes(`WASMCLOUD_CLUSTER_SEED=${host.seed}\nWASMCLOUD_CLUSTER_ISSUERS=\${ISSUERS}\n`), ['value-substituted']);
  });

  it('checks single-quoted and escaped values', () => {
    assert.ok(codes("WASMCLOUD_RPC_PORT='${NATS_PORT}'\n").includes('port-invalid'));
    assert.ok(codes('WASMCLOUD_RPC_PORT=$$4222\n').includes('port-invalid'));
    assert.ok(!codes("WASMCLOUD_RPC_PORT='${NATS_PORT}'\n").includes('value-substituted'));
  });

  it('needs a variable name after the dollar sign', () => {
    assert.ok(codes('WASMCLOUD_RPC_PORT=$4222\n').includes('port-invalid'));
  });

  it('leaves substituted files out of workspace rules', () => {
    const workspace = new WorkspaceIndex();
    workspace.update('a.env', lintText(`WASMCLOUD_LATTICE_PREFIX=\${LATTICE}\nWASMCLOUD_CLUSTER_SEED=${host.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${host.publicKey}\n`));
    workspace.update('b.env', lintText(`WASMCLOUD_LATTICE_PREFIX=prod\nWASMCLOUD_CLUSTER_SEED=${host.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${host.publicKey}\n`));
    workspace.update('c.env', lintText(`WASMCLOUD_LATTICE_PREFIX=prod\nWASMCLOUD_CLUSTER_SEED=${other.seed}\nWASMCLOUD_CLUSTER_ISSUERS=\${ISSUERS}\n`));
    for (const path of ['a.env', 'b.env', 'c.env']) {
      assert.deepEqual(
        workspace.diagnostics(path).map((diagnostic) => diagnostic.code),
        [],
        path,
      );
    }
  });
});
