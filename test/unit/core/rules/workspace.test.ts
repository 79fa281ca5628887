import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintText } from '../../../../src/core/rules/lint';
import { WorkspaceIndex } from '../../../../src/core/rules/workspace';
import { cluster } from './support';

const keyA = cluster();
const keyB = cluster();

function hostFile(lattice: string | undefined, seed: string | undefined, issuers: string[] | undefined): string {
  return [
    lattice === undefined ? '' : `WASMCLOUD_LATTICE_PREFIX=${lattice}`,
    seed === undefined ? '' : `WASMCLOUD_CLUSTER_SEED=${seed}`,
    issuers === undefined ? '' : `WASMCLOUD_CLUSTER_ISSUERS=${issuers.join(',')}`,
    '',
  ].join('\n');
}

function index(files: Record<string, string>): WorkspaceIndex {
  const workspace = new WorkspaceIndex();
  for (const [path, text] of Object.entries(files)) {
    workspace.update(path, lintText(text));
  }
  return workspace;
}

function codesOf(workspace: WorkspaceIndex, path: string): string[] {
  return workspace.diagnostics(path).map((diagnostic) => diagnostic.code);
}

describe('lattice-prefix-mismatch', () => {
  it('reports both files of a two-host mismatch', () => {
    const workspace = index({
      'a.env': hostFile('prod', keyA.seed, [keyA.publicKey]),
      'b.env': hostFile('staging', keyA.seed, [keyA.publicKey]),
    });
    const [a] = workspace.diagnostics('a.env');
    const [b] = workspace.diagnostics('b.env');
    assert.equal(a.code, 'lattice-prefix-mismatch');
    assert.equal(b.code, 'lattice-prefix-mismatch');
    assert.equal(a.related?.[0].file, 'b.env');
    assert.equal(b.related?.[0].file, 'a.env');
    assert.equal(a.fixes?.[0].edits[0].newText, 'staging');
  });

  it('reports only the file that leaves the majority', () => {
    const workspace = index({
      'a.env': hostFile('prod', keyA.seed, [keyA.publicKey]),
      'b.env': hostFile('prod', keyA.seed, [keyA.publicKey]),
      'c.env': hostFile('prod2', keyA.seed, [keyA.publicKey]),
    });
    assert.deepEqual(codesOf(workspace, 'a.env'), []);
    assert.deepEqual(codesOf(workspace, 'c.env'), ['lattice-prefix-mismatch']);
  });

  it('accepts same lattice', () => {
    const workspace = index({
      'a.env': hostFile('prod', keyA.seed, [keyA.publicKey]),
      'b.env': hostFile('prod', keyA.seed, [keyA.publicKey]),
    });
    assert.deepEqual(codesOf(workspace, 'a.env'), []);
    assert.deepEqual(codesOf(workspace, 'b.env'), []);
  });

  it('unset lattice counts as default', () => {
    const workspace = index({
      'a.env': hostFile(undefined, keyA.seed, [keyA.publicKey]),
      'b.env': hostFile('default', keyA.seed, [keyA.publicKey]),
    });
    assert.deepEqual(codesOf(workspace, 'a.env'), []);
  });
});

describe('lattice-issuers-mismatch', () => {
  it('reports a seed the other host rejects', () => {
    const workspace = index({
      'a.env': hostFile('prod', keyA.seed, [keyA.publicKey, keyB.publicKey]),
      'b.env': hostFile('prod', keyB.seed, [keyB.publicKey]),
    });
    const a = workspace.diagnostics('a.env');
    const b = workspace.diagnostics('b.env');
    assert.ok(a.some((diagnostic) => diagnostic.code === 'lattice-issuers-mismatch' && diagnostic.severity === 'error' && diagnostic.related?.[0].file === 'b.env'));
    const rejecting = b.find((diagnostic) => diagnostic.code === 'lattice-issuers-mismatch');
    assert.ok(rejecting !== undefined);
    assert.equal(rejecting.fixes?.[0].edits[0].newText, `${keyB.publicKey},${keyA.publicKey}`);
    const cross = a.find((diagnostic) => diagnostic.fixes?.[0].edits[0].file === 'b.env');
    assert.ok(cross !== undefined, 'a.env offers to add its key to b.env');
  });

  it('warns about different lists without rejection', () => {
    const workspace = index({
      'a.env': hostFile('prod', keyA.seed, [keyA.publicKey, keyB.publicKey]),
      'b.env': hostFile('prod', keyA.seed, [keyA.publicKey]),
    });
    const warnings = [...workspace.diagnostics('a.env'), ...workspace.diagnostics('b.env')].filter((diagnostic) => diagnostic.code === 'lattice-issuers-mismatch');
    assert.ok(warnings.length > 0);
    assert.ok(warnings.every((diagnostic) => diagnostic.severity === 'warning'));
  });

  it('accepts identical lists', () => {
    const workspace = index({
      'a.env': hostFile('prod', keyA.seed, [keyA.publicKey, keyB.publicKey]),
      'b.env': hostFile('prod', keyB.seed, [keyA.publicKey, keyB.publicKey]),
    });
    assert.deepEqual(codesOf(workspace, 'a.env'), []);
    assert.deepEqual(codesOf(workspace, 'b.env'), []);
  });

  it('ignores other lattices', () => {
    const workspace = index({
      'a.env': hostFile('one', keyA.seed, [keyA.publicKey]),
      'b.env': hostFile('two', keyB.seed, [keyB.publicKey]),
    });
    assert.deepEqual(codesOf(workspace, 'a.env'), []);
  });
});

describe('incremental updates', () => {
  it('an unchanged file affects only itself', () => {
    const files: Record<string, string> = {};
    for (let n = 0; n < 50; n++) {
      files[`host${n}.env`] = hostFile('prod', keyA.seed, [keyA.publicKey]);
    }
    const workspace = index(files);
    const affected = workspace.update('host7.env', lintText(`# edited\n${files['host7.env']}`));
    assert.deepEqual(affected, ['host7.env']);
  });

  it('a drifting file affects only itself in a healthy group', () => {
    const files: Record<string, string> = {};
    for (let n = 0; n < 50; n++) {
      files[`host${n}.env`] = hostFile('prod', keyA.seed, [keyA.publicKey]);
    }
    const workspace = index(files);
    const affected = workspace.update('host7.env', lintText(hostFile('prod2', keyA.seed, [keyA.publicKey])));
    assert.deepEqual(affected, ['host7.env']);
    assert.deepEqual(codesOf(workspace, 'host7.env'), ['lattice-prefix-mismatch']);
    assert.deepEqual(codesOf(workspace, 'host8.env'), []);
  });

  it('fixing one side clears the other', () => {
    const workspace = index({
      'a.env': hostFile('prod', keyA.seed, [keyA.publicKey]),
      'b.env': hostFile('staging', keyA.seed, [keyA.publicKey]),
    });
    assert.deepEqual(codesOf(workspace, 'a.env'), ['lattice-prefix-mismatch']);
    const affected = workspace.update('b.env', lintText(hostFile('prod', keyA.seed, [keyA.publicKey])));
    assert.ok(affected.includes('a.env'));
    assert.deepEqual(codesOf(workspace, 'a.env'), []);
    assert.deepEqual(codesOf(workspace, 'b.env'), []);
  });

  it('deleting a file clears its peers', () => {
    const workspace = index({
      'a.env': hostFile('prod', keyA.seed, [keyA.publicKey]),
      'b.env': hostFile('staging', keyA.seed, [keyA.publicKey]),
    });
    assert.deepEqual(codesOf(workspace, 'a.env'), ['lattice-prefix-mismatch']);
    const affected = workspace.update('b.env', undefined);
    assert.ok(affected.includes('a.env'));
    assert.deepEqual(codesOf(workspace, 'a.env'), []);
    assert.equal(workspace.has('b.env'), false);
  });

  it('rename moves the findings', () => {
    const workspace = index({
      'a.env': hostFile('prod', keyA.seed, [keyA.publicKey]),
      'b.env': hostFile('staging', keyA.seed, [keyA.publicKey]),
    });
    workspace.rename('b.env', 'c.env');
    assert.equal(workspace.diagnostics('a.env')[0].related?.[0].file, 'c.env');
    assert.deepEqual(codesOf(workspace, 'b.env'), []);
  });

  it('matches a full rebuild after many edits', () => {
    const texts = [hostFile('prod', keyA.seed, [keyA.publicKey]), hostFile('staging', keyA.seed, [keyA.publicKey]), hostFile('prod', keyB.seed, [keyB.publicKey, keyA.publicKey]), hostFile('prod', keyA.seed, [keyA.publicKey, keyB.publicKey])];
    const incremental = new WorkspaceIndex();
    const current: Record<string, string> = {};
    let state = 7;
    for (let step = 0; step < 300; step++) {
      state = (state * 48271) % 2147483647;
      const path = `h${state % 6}.env`;
      const text = texts[state % texts.length];
      current[path] = text;
      incremental.update(path, lintText(text));
      for (const other of Object.keys(current)) {
        incremental.diagnostics(other);
      }
    }
    const rebuilt = index(current);
    for (const path of Object.keys(current)) {
      assert.deepEqual(codesOf(incremental, path), codesOf(rebuilt, path), path);
    }
  });
});
