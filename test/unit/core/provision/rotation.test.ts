import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCluster } from '@nats-io/nkeys';
import { planProvision } from '../../../../src/core/provision/plan';
import { DEFAULT_SERVER, NO_CREDENTIALS, type KeyStrategy } from '../../../../src/core/provision/request';
import {
  RotationError,
  applyFileEdits,
  planAddIssuer,
  planRemoveIssuer,
  planRotation,
  planSwapSeed,
  readRotationHosts,
  untrustedPairs,
  type HostFileText,
} from '../../../../src/core/provision/rotation';
import type { HostProfile } from '../../../../src/core/rules/variables';
import { errorsAndWarnings, loadEnv, publicKeyOf, rejectedPairs } from './support';

const decoder = new TextDecoder();

function clusterKey(): { publicKey: string; seed: string } {
  const pair = createCluster();
  return { publicKey: pair.getPublicKey(), seed: decoder.decode(pair.getSeed()) };
}

function provisioned(strategy: KeyStrategy, hostVersion: HostProfile = 'otp', hosts = ['east', 'west', 'edge']): HostFileText[] {
  const plan = planProvision({ lattice: 'prod', hosts, strategy, servers: [DEFAULT_SERVER], hostVersion, credentials: NO_CREDENTIALS, compose: false });
  return plan.hostFiles.map((file) => ({ path: file.fileName, text: file.text }));
}

function record(files: readonly HostFileText[]): Record<string, string> {
  return Object.fromEntries(files.map((file) => [file.path, file.text]));
}

function seedKeyOf(files: readonly HostFileText[], path: string): string {
  return publicKeyOf(loadEnv(files.find((file) => file.path === path)?.text ?? '').WASMCLOUD_CLUSTER_SEED);
}

/** Files of two versions side by side, as during a rolling restart: some hosts run the earlier text, others the later one. */
function mixed(before: readonly HostFileText[], after: readonly HostFileText[], restarted: ReadonlySet<string>): Record<string, string> {
  return Object.fromEntries(before.map((file, index) => [file.path, restarted.has(file.path) ? after[index].text : file.text]));
}

describe('planRotation', () => {
  for (const strategy of ['shared', 'per-host'] as const) {
    for (const hostVersion of ['otp', '0.8x'] as const) {
      it(`${strategy}, ${hostVersion}: every stage lints clean and trusts`, () => {
        const files = provisioned(strategy, hostVersion);
        const oldPublicKey = seedKeyOf(files, 'west.env');
        const newKey = clusterKey();
        const stages = planRotation(files, { oldPublicKey, newKey, removeOld: true });
        assert.deepEqual(
          stages.map((stage) => stage.id),
          ['add-issuer', 'swap-seed', 'remove-issuer'],
        );

        for (const stage of stages) {
          assert.deepEqual(errorsAndWarnings(record(stage.texts)), [], `${stage.id}: lint`);
          assert.deepEqual(errorsAndWarnings(record(stage.texts), { hostVersion }), [], `${stage.id}: lint with hostVersion`);
          assert.deepEqual(rejectedPairs(record(stage.texts)), [], `${stage.id}: nkeys trust`);
          assert.deepEqual(untrustedPairs(readRotationHosts(stage.texts)), [], `${stage.id}: planner trust`);
        }

        // Stage 1 adds the new key to every list and changes no seed.
        for (const file of stages[0].texts) {
          const env = loadEnv(file.text);
          assert.ok(env.WASMCLOUD_CLUSTER_ISSUERS.split(',').includes(newKey.publicKey), file.path);
        }
        assert.equal(stages[0].files.length, 3);

        // Stage 2 gives the new seed to the hosts that signed with the old key.
        const signers = files.filter((file) => seedKeyOf(files, file.path) === oldPublicKey).map((file) => file.path);
        assert.deepEqual(
          stages[1].files.map((file) => file.path),
          signers,
        );
        for (const file of stages[1].texts) {
          const expected = signers.includes(file.path) ? newKey.publicKey : seedKeyOf(files, file.path);
          assert.equal(seedKeyOf(stages[1].texts, file.path), expected, file.path);
        }

        // Stage 3 removes the old key everywhere.
        for (const file of stages[2].texts) {
          assert.ok(!loadEnv(file.text).WASMCLOUD_CLUSTER_ISSUERS.split(',').includes(oldPublicKey), file.path);
        }
      });
    }
  }

  it('rolling restarts keep every host trusted', () => {
    const files = provisioned('per-host');
    const oldPublicKey = seedKeyOf(files, 'east.env');
    const stages = planRotation(files, { oldPublicKey, newKey: clusterKey(), removeOld: true });
    const versions = [files, ...stages.map((stage) => stage.texts)];
    for (let index = 1; index < versions.length; index++) {
      for (const restarted of [new Set<string>(), new Set(['east.env']), new Set(['west.env', 'edge.env'])]) {
        assert.deepEqual(rejectedPairs(mixed(versions[index - 1], versions[index], restarted)), [], `stage ${index} with ${[...restarted].join(',') || 'no host'} restarted`);
      }
    }
  });

  it('skipping stage 1 locks hosts out', () => {
    const files = provisioned('shared');
    const newKey = clusterKey();
    assert.throws(() => planSwapSeed(files, seedKeyOf(files, 'east.env'), newKey), (error: unknown) => error instanceof RotationError && /do not accept the new key/.test(error.message));
  });

  it('stage 3 waits for every signer', () => {
    const files = provisioned('shared');
    const oldPublicKey = seedKeyOf(files, 'east.env');
    assert.throws(() => planRemoveIssuer(files, oldPublicKey), (error: unknown) => error instanceof RotationError && /still sign with/.test(error.message));
  });

  it('stage 1 is empty when done', () => {
    const files = provisioned('per-host');
    const newKey = clusterKey();
    const once = applyFileEdits(files, planAddIssuer(files, newKey.publicKey));
    assert.deepEqual(planAddIssuer(once, newKey.publicKey), []);
  });

  it('adds a list to a host without one', () => {
    const own = clusterKey();
    const newKey = clusterKey();
    const files = [{ path: 'solo.env', text: `WASMCLOUD_LATTICE_PREFIX=prod\r\nWASMCLOUD_CLUSTER_SEED=${own.seed}\r\nWASMCLOUD_RPC_HOST=127.0.0.1\r\n` }];
    const [after] = applyFileEdits(files, planAddIssuer(files, newKey.publicKey));
    assert.equal(after.text, `WASMCLOUD_LATTICE_PREFIX=prod\r\nWASMCLOUD_CLUSTER_SEED=${own.seed}\r\nWASMCLOUD_CLUSTER_ISSUERS=${own.publicKey},${newKey.publicKey}\r\nWASMCLOUD_RPC_HOST=127.0.0.1\r\n`);
    assert.deepEqual(errorsAndWarnings(record([after])), []);
  });

  it('keeps quotes and export', () => {
    const own = clusterKey();
    const newKey = clusterKey();
    const files = [{ path: 'quoted.env', text: `export WASMCLOUD_CLUSTER_SEED="${own.seed}"\nexport WASMCLOUD_CLUSTER_ISSUERS="${own.publicKey}"\n` }];
    const stages = planRotation(files, { oldPublicKey: own.publicKey, newKey, removeOld: true });
    assert.equal(stages[0].texts[0].text, `export WASMCLOUD_CLUSTER_SEED="${own.seed}"\nexport WASMCLOUD_CLUSTER_ISSUERS="${own.publicKey},${newKey.publicKey}"\n`);
    assert.equal(stages[2].texts[0].text, `export WASMCLOUD_CLUSTER_SEED="${newKey.seed}"\nexport WASMCLOUD_CLUSTER_ISSUERS="${newKey.publicKey}"\n`);
  });

  it('ignores 1.x host files', () => {
    const files = provisioned('shared', '1.x');
    assert.deepEqual(readRotationHosts(files), []);
    assert.deepEqual(planAddIssuer(files, clusterKey().publicKey), []);
  });
});
