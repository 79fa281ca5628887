/**
 * Public keys of seeds that are published in wasmCloud's documentation,
 * examples and sources. Anyone can sign with such a seed, so a host that uses
 * one must be treated as compromised. The list holds the public keys, derived
 * with `@nats-io/nkeys`, so this source holds no seed; a seed in a .env file
 * is matched through its derived public key.
 */
export const PUBLISHED_EXAMPLE_KEYS: ReadonlyMap<string, string> = new Map([
  // The example pair on the lattice provisioning page: wasmCloud/wasmcloud.com,
  // docs/reference/lattice/provision.md, published as
  // https://wasmcloud.dev/reference/lattice/provision/ (seed SCABNLVRX…).
  ['CDMTUBVGADIQZFWBUZL7LEF7YHZF6CPSKO3HLOTLBQFY2FHDLZFAMYMD', "the example pair on wasmCloud's lattice provisioning page"],
  // Cluster seeds copied from host logs into `export WASMCLOUD_CLUSTER_SEED=…`
  // lines of public wasmCloud walkthroughs and example READMEs.
  ['CD63K346GVMPEE7VC4FGKFDFU3V36DIBWMVTVJSGVOTPGAIERTBYFV2W', 'a wasmCloud walkthrough (wash call example)'],
  ['CCNQZOD72KCQLSZRXIKONFWLFHJB6ZO5J3HBDYYUVLWF6EMMANADMF4L', "wasmCloud's actor tutorial"],
  ['CC5N7KO23PCE44EFGUAJCUA372OBVVWRHSYTKDXK4HBKHC3SPO7SPQSO', 'a wasmCloud example README that starts the Rust host'],
  ['CC32VPAIXM7FYMJQKPEA4JJAAQQEFGEHYRU3FOJR4EC7AWIANLIZ3PYB', 'a public Raspberry Pi wasmCloud demo'],
  ['CC3ULJFC555DR7WHD732L5DMRIVYZ74OYISJ2UHPSFDZNKCDLJJJVJNN', 'a public wasmCloud demo script'],
  ['NDP4B6DPQICPNEA3UJ7FOG4KR66Y56JCKNASH6UXWZECNNYFTVYJ4ROS', 'a public wasmCloud demo script (host seed)'],
  // The user seed in the creds-file test of wasmCloud/wasmCloud, src/main.rs.
  ['UB672RZOUBLZ4VVN7MVZO6KGKRBL2EI5KBWXRHTVPJRP7P64XG65NXD7', "the wasmCloud host's own tests"],
]);
