import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromSeed } from '@nats-io/nkeys';
import { parse } from 'dotenv';
import { keyVariables, latticeNameFromEnv, newEnvDocument, planEnvInsertion, type TextEdit } from '../../../../src/core/keys/env-file';
import { lintText } from '../../../../src/core/rules/lint';
import { nkeysPairOf } from './support';

const CLUSTER = keyVariables('cluster') ?? { seed: '' };

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((left, right) => right.start - left.start)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}

function countLines(text: string, variable: string): number {
  return text.split(/\r?\n/).filter((line) => line.replace(/^export\s+/, '').startsWith(`${variable}=`)).length;
}

describe('planEnvInsertion for cluster keys', () => {
  const key = nkeysPairOf('cluster');

  it('adds both lines to an empty file', () => {
    const plan = planEnvInsertion('', CLUSTER, key, '\n');
    assert.equal(plan.replacesSeed, false);
    assert.equal(plan.appendsToList, false);
    const result = applyEdits('', plan.edits(false));
    assert.equal(result, `WASMCLOUD_CLUSTER_SEED=${key.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${key.publicKey}\n`);
  });

  it('appends lines after a last line without newline', () => {
    const text = 'WASMCLOUD_LATTICE_PREFIX=prod\nWASMCLOUD_RPC_HOST=127.0.0.1';
    const result = applyEdits(text, planEnvInsertion(text, CLUSTER, key, '\n').edits(false));
    const parsed = parse(result);
    assert.equal(parsed.WASMCLOUD_RPC_HOST, '127.0.0.1');
    assert.equal(parsed.WASMCLOUD_CLUSTER_SEED, key.seed);
    assert.equal(parsed.WASMCLOUD_CLUSTER_ISSUERS, key.publicKey);
  });

  it('appends to an existing issuers line', () => {
    const other = nkeysPairOf('cluster').publicKey;
    const text = `WASMCLOUD_LATTICE_PREFIX=prod\nWASMCLOUD_CLUSTER_ISSUERS=${other}\nWASMCLOUD_RPC_HOST=127.0.0.1\n`;
    const plan = planEnvInsertion(text, CLUSTER, key, '\n');
    assert.equal(plan.appendsToList, true);
    const result = applyEdits(text, plan.edits(false));
    assert.equal(parse(result).WASMCLOUD_CLUSTER_ISSUERS, `${other},${key.publicKey}`);
    assert.equal(countLines(result, 'WASMCLOUD_CLUSTER_ISSUERS'), 1);
    assert.equal(parse(result).WASMCLOUD_CLUSTER_SEED, key.seed);
    // The new seed line sits just above the issuers line.
    assert.match(result, new RegExp(`^WASMCLOUD_CLUSTER_SEED=${key.seed}\\nWASMCLOUD_CLUSTER_ISSUERS=`, 'm'));
  });

  it('appends inside quotes', () => {
    const other = nkeysPairOf('cluster').publicKey;
    const text = `WASMCLOUD_CLUSTER_ISSUERS="${other}" # trusted\n`;
    const result = applyEdits(text, planEnvInsertion(text, CLUSTER, key, '\n').edits(false));
    assert.equal(parse(result).WASMCLOUD_CLUSTER_ISSUERS, `${other},${key.publicKey}`);
    assert.match(result, /" # trusted$/m);
  });

  it('adds no second comma', () => {
    const other = nkeysPairOf('cluster').publicKey;
    const text = `WASMCLOUD_CLUSTER_ISSUERS=${other},\n`;
    const result = applyEdits(text, planEnvInsertion(text, CLUSTER, key, '\n').edits(false));
    assert.equal(parse(result).WASMCLOUD_CLUSTER_ISSUERS, `${other},${key.publicKey}`);
  });

  it('fills an empty issuers value', () => {
    const text = 'WASMCLOUD_CLUSTER_ISSUERS=\n';
    const result = applyEdits(text, planEnvInsertion(text, CLUSTER, key, '\n').edits(false));
    assert.equal(parse(result).WASMCLOUD_CLUSTER_ISSUERS, key.publicKey);
  });

  it('uses the last issuers line', () => {
    const first = nkeysPairOf('cluster').publicKey;
    const second = nkeysPairOf('cluster').publicKey;
    const text = `WASMCLOUD_CLUSTER_ISSUERS=${first}\nWASMCLOUD_CLUSTER_ISSUERS=${second}\n`;
    const result = applyEdits(text, planEnvInsertion(text, CLUSTER, key, '\n').edits(false));
    assert.equal(parse(result).WASMCLOUD_CLUSTER_ISSUERS, `${second},${key.publicKey}`);
  });

  it('replaces a seed only when confirmed', () => {
    const old = nkeysPairOf('cluster');
    const text = `WASMCLOUD_CLUSTER_SEED=${old.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${old.publicKey}\n`;
    const plan = planEnvInsertion(text, CLUSTER, key, '\n');
    assert.equal(plan.replacesSeed, true);

    const replaced = parse(applyEdits(text, plan.edits(true)));
    assert.equal(replaced.WASMCLOUD_CLUSTER_SEED, key.seed);
    assert.equal(replaced.WASMCLOUD_CLUSTER_ISSUERS, `${old.publicKey},${key.publicKey}`);

    const kept = parse(applyEdits(text, plan.edits(false)));
    assert.equal(kept.WASMCLOUD_CLUSTER_SEED, old.seed);
    assert.equal(kept.WASMCLOUD_CLUSTER_ISSUERS, `${old.publicKey},${key.publicKey}`);
  });

  it('adds issuers below a kept seed', () => {
    const old = nkeysPairOf('cluster');
    const text = `WASMCLOUD_CLUSTER_SEED=${old.seed}\nWASMCLOUD_RPC_HOST=127.0.0.1\n`;
    const plan = planEnvInsertion(text, CLUSTER, key, '\n');
    assert.equal(plan.currentSeedPublicKey, old.publicKey);
    const result = applyEdits(text, plan.edits(false));
    // Without a list the host accepted its own key, so the kept seed's key comes first.
    assert.equal(result, `WASMCLOUD_CLUSTER_SEED=${old.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${old.publicKey},${key.publicKey}\nWASMCLOUD_RPC_HOST=127.0.0.1\n`);
    assert.deepEqual(plan.listedKeys(false), [old.publicKey, key.publicKey]);
  });

  it('fills an empty seed without asking', () => {
    const text = 'WASMCLOUD_CLUSTER_SEED=\n';
    const plan = planEnvInsertion(text, CLUSTER, key, '\n');
    assert.equal(plan.replacesSeed, false);
    const parsed = parse(applyEdits(text, plan.edits(false)));
    assert.equal(parsed.WASMCLOUD_CLUSTER_SEED, key.seed);
    assert.equal(parsed.WASMCLOUD_CLUSTER_ISSUERS, key.publicKey);
  });

  it('keeps CRLF line ends', () => {
    const text = 'WASMCLOUD_LATTICE_PREFIX=prod\r\n';
    const result = applyEdits(text, planEnvInsertion(text, CLUSTER, key, '\r\n').edits(false));
    assert.equal(result, `WASMCLOUD_LATTICE_PREFIX=prod\r\nWASMCLOUD_CLUSTER_SEED=${key.seed}\r\nWASMCLOUD_CLUSTER_ISSUERS=${key.publicKey}\r\n`);
  });

  it('follows export style', () => {
    const text = 'export WASMCLOUD_LATTICE_PREFIX=prod\n';
    const result = applyEdits(text, planEnvInsertion(text, CLUSTER, key, '\n').edits(false));
    assert.match(result, new RegExp(`^export WASMCLOUD_CLUSTER_SEED=${key.seed}$`, 'm'));
    assert.match(result, new RegExp(`^export WASMCLOUD_CLUSTER_ISSUERS=${key.publicKey}$`, 'm'));
  });
});

describe('planEnvInsertion keeps the host trusted', () => {
  const key = nkeysPairOf('cluster');
  const old = nkeysPairOf('cluster');
  const other = nkeysPairOf('cluster');
  const account = nkeysPairOf('account');

  /** Every file's seed, as nkeys derives its public key, must be in its own issuers list. */
  function assertTrustsItself(result: string): void {
    const values = parse(result);
    const signer = fromSeed(new TextEncoder().encode(values.WASMCLOUD_CLUSTER_SEED)).getPublicKey();
    assert.ok((values.WASMCLOUD_CLUSTER_ISSUERS ?? '').split(',').includes(signer), `${signer} is not in ${values.WASMCLOUD_CLUSTER_ISSUERS}`);
    const codes = lintText(result).diagnostics.map((diagnostic) => diagnostic.code);
    assert.ok(!codes.includes('issuers-missing-seed-key'), codes.join(', '));
  }

  const cases: Array<[string, string, boolean, (values: Record<string, string>) => void]> = [
    ['no list, seed kept', `WASMCLOUD_CLUSTER_SEED=${old.seed}\n`, false, (values) => assert.equal(values.WASMCLOUD_CLUSTER_ISSUERS, `${old.publicKey},${key.publicKey}`)],
    ['no list, seed replaced', `WASMCLOUD_CLUSTER_SEED=${old.seed}\n`, true, (values) => {
      assert.equal(values.WASMCLOUD_CLUSTER_SEED, key.seed);
      // Hosts that still sign with the old seed stay accepted.
      assert.equal(values.WASMCLOUD_CLUSTER_ISSUERS, `${old.publicKey},${key.publicKey}`);
    }],
    ['empty list, seed kept', `WASMCLOUD_CLUSTER_SEED=${old.seed}\nWASMCLOUD_CLUSTER_ISSUERS=\n`, false, (values) => assert.equal(values.WASMCLOUD_CLUSTER_ISSUERS, `${old.publicKey},${key.publicKey}`)],
    ['list lacks kept seed', `WASMCLOUD_CLUSTER_SEED=${old.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${other.publicKey}\n`, false, (values) => assert.equal(values.WASMCLOUD_CLUSTER_ISSUERS, `${other.publicKey},${old.publicKey},${key.publicKey}`)],
    ['list lacks replaced seed', `WASMCLOUD_CLUSTER_SEED=${old.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${other.publicKey}\n`, true, (values) => {
      // The host never accepted the old key, so it is not added.
      assert.equal(values.WASMCLOUD_CLUSTER_ISSUERS, `${other.publicKey},${key.publicKey}`);
    }],
    ['list has kept seed', `WASMCLOUD_CLUSTER_SEED=${old.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${old.publicKey}\n`, false, (values) => assert.equal(values.WASMCLOUD_CLUSTER_ISSUERS, `${old.publicKey},${key.publicKey}`)],
    ['no seed, list', `WASMCLOUD_CLUSTER_ISSUERS=${other.publicKey}\n`, false, (values) => assert.equal(values.WASMCLOUD_CLUSTER_ISSUERS, `${other.publicKey},${key.publicKey}`)],
  ];
  for (const [name, text, replaceSeed, check] of cases) {
    it(name, () => {
      const result = applyEdits(text, planEnvInsertion(text, CLUSTER, key, '\n').edits(replaceSeed));
      check(parse(result));
      assert.equal(countLines(result, 'WASMCLOUD_CLUSTER_ISSUERS'), 1);
      assertTrustsItself(result);
    });
  }

  it('adds no key for an unusable seed', () => {
    // An account seed or a broken seed has no cluster public key to list.
    for (const seed of [account.seed, old.seed.slice(0, 57)]) {
      const text = `WASMCLOUD_CLUSTER_SEED=${seed}\n`;
      const plan = planEnvInsertion(text, CLUSTER, key, '\n');
      assert.equal(plan.currentSeedPublicKey, undefined);
      assert.equal(parse(applyEdits(text, plan.edits(false))).WASMCLOUD_CLUSTER_ISSUERS, key.publicKey);
    }
  });
});

describe('planEnvInsertion for server keys', () => {
  it('sets only WASMCLOUD_HOST_SEED', () => {
    const key = nkeysPairOf('server');
    const variables = keyVariables('server');
    assert.deepEqual(variables, { seed: 'WASMCLOUD_HOST_SEED' });
    const result = applyEdits('', planEnvInsertion('', variables ?? { seed: '' }, key, '\n').edits(false));
    assert.equal(result, `WASMCLOUD_HOST_SEED=${key.seed}\n`);
  });

  it('has no variables for other kinds', () => {
    assert.equal(keyVariables('account'), undefined);
    assert.equal(keyVariables('user'), undefined);
  });
});

describe('latticeNameFromEnv', () => {
  it('reads WASMCLOUD_LATTICE_PREFIX first', () => {
    assert.equal(latticeNameFromEnv('WASMCLOUD_LATTICE=b\nWASMCLOUD_LATTICE_PREFIX=a\n'), 'a');
  });

  it('falls back to WASMCLOUD_LATTICE', () => {
    assert.equal(latticeNameFromEnv('WASMCLOUD_LATTICE="edge"\n'), 'edge');
  });

  it('returns undefined without a lattice', () => {
    assert.equal(latticeNameFromEnv('WASMCLOUD_LATTICE_PREFIX=\n'), undefined);
  });
});

describe('newEnvDocument', () => {
  it('writes both cluster lines', () => {
    const key = nkeysPairOf('cluster');
    const text = newEnvDocument('cluster', key, new Date('2026-12-04T10:00:00Z'));
    assert.deepEqual(parse(text), { WASMCLOUD_CLUSTER_SEED: key.seed, WASMCLOUD_CLUSTER_ISSUERS: key.publicKey });
    assert.match(text, /^# wasmCloud cluster key, generated on 2026-12-04\.\n# The seed is secret\./);
  });

  it('names other kinds by kind', () => {
    const key = nkeysPairOf('account');
    assert.deepEqual(parse(newEnvDocument('account', key, new Date())), { ACCOUNT_PUBLIC_KEY: key.publicKey, ACCOUNT_SEED: key.seed });
  });

  it('comments a server public key', () => {
    const key = nkeysPairOf('server');
    const text = newEnvDocument('server', key, new Date());
    assert.deepEqual(parse(text), { WASMCLOUD_HOST_SEED: key.seed });
    assert.match(text, new RegExp(`^# Public key: ${key.publicKey}$`, 'm'));
  });
});
