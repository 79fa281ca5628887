import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromSeed } from '@nats-io/nkeys';
import { findPublishedSeed } from '../../../../src/core/rules/published';
import { cluster, lint, server, user } from './support';

// Seeds printed in wasmCloud's documentation, walkthroughs, example READMEs,
// demo scripts and the host's own tests. They are public and compromised.
const PUBLISHED_SEEDS = [
  'SCABNLVRXGEJEG5FBBPMMKMMY37FNKVLDY6YXHVL6WA4IRBEYD6ACIQKV4',
  'SCACWMRQTVXVDOMMHE6LKXPPNMP5DWJTWHJY3JTZVKQREKXWQQUPW5G35I',
  'SCAJIRZPJGI2ODWHALXJ5U7ZRC7MR27JMJOPLIKMDJ3QNQGA3TCPDFENDI',
  'SCAONKI3YO6JXLNNOFFLXIECOICWOIBHUCJBZOMIDB2IR3MUOTM5W6VZPA',
  'SCADVNVKDODD25EHKQHT4UAAZMKQUXTEO5PFLMPYFZWUCSIC6NPWLLJRJE',
  'SCALV3N2M5JRUOCSLTRTAIQYJSBKNZ3XMGME2XI3L3OSR2RRSYUTMHAN7E',
  'SNAKDMBLB7TPIL4K3YXDGLUDXYFEEB2UAUXSAJYFBUKAWXBT6VPSTSE34Y',
  'SUAO2CXJCBHGBKIR5TPLXQH6WV2QEEP3YQLLPNVLYVTNSDCZFJMCBHEIN4',
];

const [clusterSeed] = PUBLISHED_SEEDS;
const hostSeed = PUBLISHED_SEEDS[6];
const userSeed = PUBLISHED_SEEDS[7];

function publicKeyOf(seed: string): string {
  return fromSeed(new TextEncoder().encode(seed)).getPublicKey();
}

describe('findPublishedSeed', () => {
  it('finds every published seed with its public key', () => {
    for (const seed of PUBLISHED_SEEDS) {
      const published = findPublishedSeed(seed);
      assert.ok(published, `${seed.slice(0, 9)}… is not found`);
      assert.equal(published.publicKey, publicKeyOf(seed), `${seed.slice(0, 9)}… public key`);
      assert.ok(published.source.length > 0, `${seed.slice(0, 9)}… source`);
    }
  });

  it('finds no new or altered seed', () => {
    for (const seed of [cluster().seed, server().seed, user().seed]) {
      assert.equal(findPublishedSeed(seed), undefined);
    }
    for (const seed of PUBLISHED_SEEDS) {
      assert.equal(findPublishedSeed(seed.toLowerCase()), undefined);
      assert.equal(findPublishedSeed(` ${seed}`), undefined);
    }
  });
});

describe('seed-published-example', () => {
  it('reports a published host seed', () => {
    const findings = lint(`WASMCLOUD_HOST_SEED=${hostSeed}\n`).filter((finding) => finding.code === 'seed-published-example');
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /^WASMCLOUD_HOST_SEED is the published seed from a public wasmCloud demo script \(host seed\)/);
  });

  it('reports a published user seed without a JWT', () => {
    const findings = lint(`WASMCLOUD_RPC_SEED=${userSeed}\n`).filter((finding) => finding.code === 'seed-published-example');
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /Create a new NATS user and use its seed and JWT\.$/);
    assert.equal(findings[0].fixes?.length ?? 0, 0);
  });

  it('reports a published seed of the wrong kind', () => {
    const codes = lint(`WASMCLOUD_HOST_SEED=${clusterSeed}\n`).map((finding) => finding.code);
    assert.ok(codes.includes('seed-wrong-kind'), codes.join(', '));
    assert.ok(codes.includes('seed-published-example'), codes.join(', '));
  });

  it('replaces the published public key in the issuers', () => {
    const other = cluster();
    const text = `WASMCLOUD_CLUSTER_SEED=${clusterSeed}\nWASMCLOUD_CLUSTER_ISSUERS=${other.publicKey},${publicKeyOf(clusterSeed)}\n`;
    const [finding] = lint(text).filter((candidate) => candidate.code === 'seed-published-example');
    assert.ok(finding);
    const issuersEdit = finding.fixes?.[0]?.edits.find((edit) => edit.newText.includes('{{publicKey}}'));
    assert.equal(issuersEdit?.newText, `${other.publicKey},{{publicKey}}`);
  });
});
