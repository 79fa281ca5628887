import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderCompose } from '../../../../src/core/provision/compose';
import { composeEnvFiles, findStaleHostFiles, isProvisionedCompose } from '../../../../src/core/provision/stale';

describe('findStaleHostFiles', () => {
  it('lists host files the plan leaves', () => {
    const files = [
      { name: 'host-1.env', text: 'WASMCLOUD_LATTICE_PREFIX=old\n' },
      { name: 'host-3.env', text: '# old host\nexport WASMCLOUD_LATTICE_PREFIX=old\nWASMCLOUD_CLUSTER_SEED=\n' },
      { name: 'edge.env', text: 'WASMCLOUD_RPC_HOST=10.0.0.1\n' },
      { name: 'app.env', text: 'DATABASE_URL=postgres://db\n' },
      { name: 'docker-compose.yml', text: 'services: {}\n' },
    ];
    assert.deepEqual(findStaleHostFiles(files, ['host-1.env', 'host-2.env']), [{ fileName: 'edge.env' }, { fileName: 'host-3.env', lattice: 'old' }]);
  });
});

describe('compose files', () => {
  it('recognizes its own compose file', () => {
    const text = renderCompose({
      lattice: 'prod',
      profile: '0.8x',
      hosts: [{ host: 'east', fileName: 'east.env', server: { host: '127.0.0.1', port: 4222, tls: false } }],
      credentials: { rpc: { kind: 'none' }, ctl: { kind: 'none' }, providers: { kind: 'none' } },
      created: new Date('2026-12-04T00:00:00Z'),
    });
    assert.equal(isProvisionedCompose(text), true);
    assert.deepEqual(composeEnvFiles(text), ['east.env']);
    assert.equal(isProvisionedCompose('services:\n  east:\n    env_file: ./east.env\n'), false);
  });

  it('finds env files in hand-written compose', () => {
    const text = 'services:\n  a:\n    env_file: ./a.env\n  b:\n    env_file:\n      - "./conf/b.env"\n      - \'c.env\'\n  d:\n    image: x # not.env.file\n';
    assert.deepEqual(composeEnvFiles(text), ['a.env', 'c.env', 'conf/b.env']);
  });
});
