import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LintDiagnostic } from '../../../../src/core/rules/types';
import { WorkspaceIndex } from '../../../../src/core/rules/workspace';
import { lintText } from '../../../../src/core/rules/lint';
import { cluster, lint, server, user } from './support';

const host = cluster();
const other = cluster();
const nats = user();
const serverPair = server();
const SEEDS = [host.seed, other.seed, nats.seed, serverPair.seed];

/** Returns every text of a finding that the editor or the CLI shows: message, related messages and quick-fix titles. */
function shownTexts(diagnostic: LintDiagnostic): string[] {
  return [diagnostic.message, ...(diagnostic.related ?? []).map((related) => related.message), ...(diagnostic.fixes ?? []).map((fix) => fix.title)];
}

/** Fails when any shown text has 8 or more characters in a row of a seed after its 2-letter prefix. */
function assertNoSeedPiece(diagnostics: readonly LintDiagnostic[]): void {
  for (const diagnostic of diagnostics) {
    for (const text of shownTexts(diagnostic)) {
      for (const seed of SEEDS) {
        for (let start = 2; start + 8 <= seed.length; start++) {
          assert.ok(!text.includes(seed.slice(start, start + 8)), `${diagnostic.code} shows part of a seed: ${text}`);
        }
      }
    }
  }
}

describe('value-derived text in findings', () => {
  const cases: [string, string, string][] = [
    ['lattice-prefix-invalid', 'fix title of a lattice name with a seed', `WASMCLOUD_LATTICE_PREFIX=${host.seed}.eu\n`],
    ['variable-unknown', 'unknown name with a seed', `WASMCLOUD_${host.seed}=1\n`],
    ['duplicate-key', 'duplicate name that is a seed', `WASMCLOUD_LATTICE=a\n${other.seed}=1\n${other.seed}=2\n`],
    ['unterminated-quote', 'name that is a seed', `WASMCLOUD_LATTICE=a\n${nats.seed}='open\n`],
    ['jwt-malformed', 'JWT header naming a seed', `WASMCLOUD_RPC_JWT=${Buffer.from(JSON.stringify({ alg: serverPair.seed })).toString('base64url')}.e30.x\nWASMCLOUD_RPC_SEED=${nats.seed}\n`],
    ['seed-malformed', 'seed glued to the next line', `WASMCLOUD_RPC_JWT=x\nWASMCLOUD_RPC_SEED=${nats.seed}PC_TLS=1\n`],
    ['port-invalid', 'port holding a seed', `WASMCLOUD_RPC_PORT=${serverPair.seed}\n`],
    ['issuers-whitespace', 'issuer list entry holding a seed', `WASMCLOUD_CLUSTER_SEED=${host.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${host.publicKey}, ${other.seed}\n`],
  ];

  for (const [code, name, text] of cases) {
    it(`${code}: ${name}`, () => {
      const diagnostics = lint(text);
      assert.ok(
        diagnostics.some((diagnostic) => diagnostic.code === code),
        `expected ${code} in ${JSON.stringify(diagnostics.map((diagnostic) => diagnostic.code))}`,
      );
      assertNoSeedPiece(diagnostics);
    });
  }

  it('lattice fix title names a plain replacement', () => {
    const [finding] = lint('WASMCLOUD_LATTICE_PREFIX=prod.eu\n').filter((diagnostic) => diagnostic.code === 'lattice-prefix-invalid');
    assert.equal(finding.fixes?.[0].title, "Change the lattice name to 'prod-eu'");
    assert.equal(finding.fixes?.[0].edits[0].newText, 'prod-eu');
  });

  it('lattice fix with a seed keeps the edit', () => {
    const [finding] = lint(`WASMCLOUD_LATTICE_PREFIX=${host.seed}.eu\n`).filter((diagnostic) => diagnostic.code === 'lattice-prefix-invalid');
    assert.equal(finding.fixes?.[0].edits[0].newText, `${host.seed}-eu`);
  });

  it('workspace fix title hides a seed lattice', () => {
    // A seed is made of letters and digits, so it is a valid lattice name; the other file's fix names it.
    const workspace = new WorkspaceIndex();
    workspace.update('a.env', lintText(`WASMCLOUD_LATTICE_PREFIX=${other.seed}\nWASMCLOUD_CLUSTER_SEED=${host.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${host.publicKey}\n`));
    workspace.update('b.env', lintText(`WASMCLOUD_LATTICE_PREFIX=prod\nWASMCLOUD_CLUSTER_SEED=${host.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${host.publicKey}\n`));
    const findings = workspace.diagnostics('b.env');
    assert.ok(findings.some((diagnostic) => diagnostic.code === 'lattice-prefix-mismatch'));
    assertNoSeedPiece(findings);
  });

  it('no message has a line break', () => {
    const texts = [
      `WASMCLOUD_CLUSTER_SEED=${host.seed}\nWASMCLOUD_CLUSTER_ISSUERS="${host.publicKey},\n${other.publicKey}"\n`,
      'WASMCLOUD_LATTICE_PREFIX="prod\nline2"\n',
      'WASMCLOUD_RPC_PORT="42\n43"\n',
    ];
    for (const text of texts) {
      for (const diagnostic of lint(text)) {
        for (const shown of shownTexts(diagnostic)) {
          assert.ok(!/[\r\n\u2028\u2029]/.test(shown), `${diagnostic.code}: ${JSON.stringify(shown)}`);
        }
      }
    }
  });
});
