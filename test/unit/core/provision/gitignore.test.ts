import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planGitignore } from '../../../../src/core/provision/gitignore';

describe('planGitignore', () => {
  it('creates a file', () => {
    assert.equal(planGitignore(undefined, ['a.env', 'b.env']), '# Host files with cluster seeds, written by wasmCloud Lattice\n/a.env\n/b.env\n');
  });

  it('appends only missing names', () => {
    assert.equal(planGitignore('node_modules/\n/a.env\n', ['a.env', 'b.env']), 'node_modules/\n/a.env\n\n# Host files with cluster seeds, written by wasmCloud Lattice\n/b.env\n');
  });

  it('keeps CRLF and adds a line break', () => {
    assert.equal(planGitignore('dist/\r\nout/', ['c.env']), 'dist/\r\nout/\r\n\r\n# Host files with cluster seeds, written by wasmCloud Lattice\r\n/c.env\r\n');
  });

  it('returns undefined when listed', () => {
    assert.equal(planGitignore('a.env\n/b.env\n', ['a.env', 'b.env']), undefined);
    assert.equal(planGitignore('*.env\n', ['a.env']), undefined);
  });
});
