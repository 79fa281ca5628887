import { createHash } from 'node:crypto';

/** A seed published in wasmCloud's documentation, examples or sources. */
export interface PublishedSeed {
  /** The seed's public key, derived with `@nats-io/nkeys`. */
  readonly publicKey: string;
  /** The page or project that published the seed, as the finding names it. */
  readonly source: string;
}

/**
 * Seeds published in wasmCloud's documentation, examples and sources, keyed
 * by the SHA-256 (hex) of the seed text. Anyone can sign with such a seed, so
 * a host that uses one is compromised. Matching by digest derives no public
 * key and keeps the seeds out of this file.
 */
const PUBLISHED_SEEDS: ReadonlyMap<string, PublishedSeed> = new Map([
  // The example pair on the lattice provisioning page: wasmCloud/wasmcloud.com,
  // docs/reference/lattice/provision.md, published as
  // https://wasmcloud.dev/reference/lattice/provision/ (seed SCABNLVRX…).
  ['795e6b3e902e307d36f49a1dc3ac26b9ed435ada6cd89e2ba9902ec9778a908b', { publicKey: 'CDMTUBVGADIQZFWBUZL7LEF7YHZF6CPSKO3HLOTLBQFY2FHDLZFAMYMD', source: "the example pair on wasmCloud's lattice provisioning page" }],
  // Cluster seeds copied from host logs into `export WASMCLOUD_CLUSTER_SEED=…`
  // lines of public wasmCloud walkthroughs and example READMEs.
  ['1281b453f259d93803cf0d422d9583e1cae6e3250d29a2ce8077bb28bb8661e9', { publicKey: 'CD63K346GVMPEE7VC4FGKFDFU3V36DIBWMVTVJSGVOTPGAIERTBYFV2W', source: 'a wasmCloud walkthrough (wash call example)' }],
  ['2fad27eae7bdc225d5c95ca3e9b9c941d2a7675606e5f5cc119b38cd78dda7ae', { publicKey: 'CCNQZOD72KCQLSZRXIKONFWLFHJB6ZO5J3HBDYYUVLWF6EMMANADMF4L', source: "wasmCloud's actor tutorial" }],
  ['1bce394f9cfc4fad6c975a9f054a88407a695019b927e318f5021d45151d785c', { publicKey: 'CC5N7KO23PCE44EFGUAJCUA372OBVVWRHSYTKDXK4HBKHC3SPO7SPQSO', source: 'a wasmCloud example README that starts the Rust host' }],
  ['be102c51406b694bfd0a2e8ba0e7ec34995de477b7ccee0e1851203f3a1efa30', { publicKey: 'CC32VPAIXM7FYMJQKPEA4JJAAQQEFGEHYRU3FOJR4EC7AWIANLIZ3PYB', source: 'a public Raspberry Pi wasmCloud demo' }],
  ['4aaec502c9f4f56a345fe02c5c19f1da90f7f774d64613d0cdf19bb781058e3c', { publicKey: 'CC3ULJFC555DR7WHD732L5DMRIVYZ74OYISJ2UHPSFDZNKCDLJJJVJNN', source: 'a public wasmCloud demo script' }],
  ['95c200c0a3ce8145103cb0a756737b79a4364ab2ab55f0bd9a5f7fc6bfcf762e', { publicKey: 'NDP4B6DPQICPNEA3UJ7FOG4KR66Y56JCKNASH6UXWZECNNYFTVYJ4ROS', source: 'a public wasmCloud demo script (host seed)' }],
  // The user seed in the creds-file test of wasmCloud/wasmCloud, src/main.rs.
  ['afc77a6a3e411b0e4c5e77d607282fa5fe38026c422a46b834082ccbcad5cbd7', { publicKey: 'UB672RZOUBLZ4VVN7MVZO6KGKRBL2EI5KBWXRHTVPJRP7P64XG65NXD7', source: "the wasmCloud host's own tests" }],
]);

/** Returns the published seed that `seed` is, or undefined for any other text. */
export function findPublishedSeed(seed: string): PublishedSeed | undefined {
  return PUBLISHED_SEEDS.get(createHash('sha256').update(seed).digest('hex'));
}
