/** Severity of a finding, in VS Code's order. */
export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A severity override from settings or the CLI; `off` drops the rule's findings. */
export type SeverityOverride = Severity | 'off';

export type RuleGroup = 'keys' | 'lattice' | 'connections' | 'file' | 'workspace';

export interface RuleInfo {
  readonly code: string;
  readonly group: RuleGroup;
  readonly severity: Severity;
  /** What the rule checks, as one sentence for docs/rules.md, settings and hovers. */
  readonly summary: string;
  /** Whether the rule depends on the host version and so waits for a sure version. */
  readonly versionSpecific: boolean;
}

/**
 * Every rule, in the order of docs/rules.md. Codes are stable: settings,
 * `# wasmcloud-lattice-disable-next-line` comments and quick fixes match them.
 */
export const RULES = [
  { code: 'seed-malformed', group: 'keys', severity: 'error', versionSpecific: false, summary: 'A seed variable holds text that is not a valid nkey seed (length, alphabet, prefix or checksum).' },
  { code: 'seed-is-public-key', group: 'keys', severity: 'error', versionSpecific: false, summary: 'A seed variable holds a public key instead of a seed.' },
  { code: 'seed-wrong-kind', group: 'keys', severity: 'error', versionSpecific: false, summary: 'A valid seed of another kind, such as a user seed in WASMCLOUD_CLUSTER_SEED, which needs a cluster seed (SC…).' },
  { code: 'seed-published-example', group: 'keys', severity: 'error', versionSpecific: false, summary: "A seed that wasmCloud's documentation or examples publish, so anyone can sign as this host." },
  { code: 'issuer-malformed', group: 'keys', severity: 'error', versionSpecific: false, summary: 'An entry of WASMCLOUD_CLUSTER_ISSUERS is not a valid public key (length, alphabet, prefix or checksum).' },
  { code: 'issuer-wrong-kind', group: 'keys', severity: 'error', versionSpecific: false, summary: 'An issuer is a valid public key of another kind, not a cluster public key (C…).' },
  { code: 'issuer-is-seed', group: 'keys', severity: 'error', versionSpecific: false, summary: 'A seed, which is secret, was pasted into the issuers list.' },
  { code: 'issuers-whitespace', group: 'keys', severity: 'error', versionSpecific: false, summary: 'Spaces around commas in the issuers list: hosts split on "," without trimming, so that entry never matches.' },
  { code: 'issuers-duplicate', group: 'keys', severity: 'warning', versionSpecific: false, summary: 'The same public key appears twice in the issuers list.' },
  { code: 'issuers-empty-entry', group: 'keys', severity: 'warning', versionSpecific: false, summary: 'An empty entry in the issuers list, from a doubled, leading or trailing comma.' },
  { code: 'issuers-missing-seed-key', group: 'keys', severity: 'error', versionSpecific: false, summary: "The cluster seed's public key is not in WASMCLOUD_CLUSTER_ISSUERS, so hosts sharing this list reject this host." },
  { code: 'issuers-without-seed', group: 'keys', severity: 'warning', versionSpecific: false, summary: 'Issuers are set but no cluster seed: the host signs with an ad hoc key no other host accepts, and OTP hosts discard the issuers.' },
  { code: 'lattice-prefix-invalid', group: 'lattice', severity: 'error', versionSpecific: false, summary: "The lattice name has characters other than letters, digits, '_' and '-', which break its NATS subjects." },
  { code: 'variable-renamed', group: 'lattice', severity: 'warning', versionSpecific: true, summary: "The host version reads this variable under another name, such as WASMCLOUD_LATTICE_PREFIX, which 1.x hosts read as WASMCLOUD_LATTICE." },
  { code: 'variable-ignored', group: 'lattice', severity: 'warning', versionSpecific: true, summary: 'The host version does not read this variable at all, such as the cluster seed and issuers on 1.x hosts.' },
  { code: 'variable-unknown', group: 'lattice', severity: 'warning', versionSpecific: false, summary: 'A WASMCLOUD_ variable that no host version reads, with "did you mean" when a known name is close.' },
  { code: 'port-invalid', group: 'connections', severity: 'error', versionSpecific: false, summary: 'A *_PORT value that is not an integer from 1 to 65535.' },
  { code: 'timeout-invalid', group: 'connections', severity: 'error', versionSpecific: false, summary: 'A timeout or delay in milliseconds that is not a positive integer.' },
  { code: 'boolean-format', group: 'connections', severity: 'error', versionSpecific: true, summary: 'A boolean in a format the host version does not read: Rust hosts (0.78 and later) accept only true or false, OTP hosts want integers for some.' },
  { code: 'credentials-incomplete', group: 'connections', severity: 'error', versionSpecific: false, summary: 'A NATS JWT without its seed, a seed without its JWT, or both together with a creds file, for RPC, CTL, PROV_RPC or NATS.' },
  { code: 'credentials-seed-kind', group: 'connections', severity: 'error', versionSpecific: false, summary: 'A NATS connection seed that is not a user seed (SU…).' },
  { code: 'jwt-malformed', group: 'connections', severity: 'error', versionSpecific: false, summary: 'A *_JWT value that is not a NATS user JWT, or one that has expired.' },
  { code: 'credsfile-missing', group: 'connections', severity: 'error', versionSpecific: false, summary: "A creds file path that does not exist, resolved against the .env file's folder." },
  { code: 'credsfile-malformed', group: 'connections', severity: 'error', versionSpecific: false, summary: 'A creds file without a valid NATS user JWT block and user seed block.' },
  { code: 'duplicate-key', group: 'file', severity: 'warning', versionSpecific: false, summary: 'A variable set twice in one file: the last value wins.' },
  { code: 'unterminated-quote', group: 'file', severity: 'warning', versionSpecific: false, summary: 'A quote that never closes at the end of a line, so the value keeps its quotes, or that closes lines later and takes in other variables.' },
  { code: 'line-invalid', group: 'file', severity: 'warning', versionSpecific: false, summary: "A line dotenv ignores: no '=' or a name with characters other than letters, digits, '_', '.' and '-'." },
  { code: 'value-substituted', group: 'file', severity: 'info', versionSpecific: false, summary: 'A value that refers to another variable (${NAME} or $NAME), which dotenv does not expand but Docker Compose does: the value is not checked.' },
  { code: 'seed-in-tracked-file', group: 'file', severity: 'warning', versionSpecific: false, summary: 'A seed in a file that git tracks, or does not ignore, so it is or would be committed.' },
  { code: 'lattice-prefix-mismatch', group: 'workspace', severity: 'error', versionSpecific: false, summary: "Host files that share cluster issuers but name different lattices: those hosts won't see each other." },
  { code: 'lattice-issuers-mismatch', group: 'workspace', severity: 'error', versionSpecific: false, summary: "Hosts in one lattice with different issuer lists; an error when one host's seed key is missing from another's issuers, so that host is rejected." },
] as const satisfies readonly RuleInfo[];

export type RuleCode = (typeof RULES)[number]['code'];

/** Every rule code, for the fuzz suite and settings validation. */
export const RULE_CODES: readonly RuleCode[] = RULES.map((rule) => rule.code);

const BY_CODE = new Map<string, RuleInfo>(RULES.map((rule) => [rule.code, rule]));

export function isRuleCode(code: string): code is RuleCode {
  return BY_CODE.has(code);
}

export function ruleInfo(code: RuleCode): RuleInfo {
  return BY_CODE.get(code) as RuleInfo;
}
