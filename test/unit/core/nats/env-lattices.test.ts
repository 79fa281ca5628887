import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'dotenv';
import { latticeNamesInEnv } from '../../../../src/core/nats/env-lattices';

describe('latticeNamesInEnv', () => {
  it('reads the prefix and the lattice as dotenv does', () => {
    const text = [
      '# OTP host',
      'WASMCLOUD_LATTICE_PREFIX=first',
      'export WASMCLOUD_LATTICE="edge-1_eu"',
      'WASMCLOUD_LATTICE_PREFIX=second # the last value wins',
      '',
    ].join('\r\n');
    const loaded = parse(text);
    assert.deepEqual(latticeNamesInEnv(text), [loaded.WASMCLOUD_LATTICE_PREFIX, loaded.WASMCLOUD_LATTICE]);
    assert.deepEqual(latticeNamesInEnv(text), ['second', 'edge-1_eu']);
  });

  it('lists a name set by both variables once', () => {
    assert.deepEqual(latticeNamesInEnv('WASMCLOUD_LATTICE_PREFIX=default\nWASMCLOUD_LATTICE=default\n'), ['default']);
  });

  it('skips empty values and names no stream can hold', () => {
    assert.deepEqual(latticeNamesInEnv('WASMCLOUD_LATTICE_PREFIX=\nWASMCLOUD_LATTICE=my.lattice\n'), []);
    assert.deepEqual(latticeNamesInEnv("WASMCLOUD_LATTICE='two words'\n"), []);
  });
});
