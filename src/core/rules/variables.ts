/**
 * The environment variables wasmCloud hosts read, per host line.
 *
 * Sources, read for this table:
 * - OTP hosts 0.50–0.63: wasmCloud/wasmcloud-otp, host_core/lib/host_core/config_plan.ex
 *   (early releases: every *_TLS parsed with String.to_integer) and
 *   host_core/lib/host_core/vhost/config_plan.ex (later releases: RPC and CTL
 *   TLS are true only for TRUE, YES, ENABLED or ENABLE in any case;
 *   WASMCLOUD_PROV_RPC_TLS is still String.to_integer; issuers are
 *   String.split(value, ",") without trimming).
 * - Rust hosts 0.78–0.80: wasmCloud/wasmCloud, src/main.rs of that line (clap
 *   arguments with `env = "NATS_HOST"`, "NATS_PORT", "NATS_JWT", "NATS_SEED",
 *   "WASMCLOUD_LATTICE_PREFIX", "OCI_REGISTRY", and WASMCLOUD_PROV_RPC_*).
 * - Rust hosts 0.81–0.82: src/main.rs of that line (WASMCLOUD_NATS_HOST,
 *   WASMCLOUD_NATS_PORT, WASMCLOUD_NATS_JWT, the seed from the misspelled
 *   WASMCOULD_NATS_SEED; 0.82 reads WASMCLOUD_LATTICE and copies
 *   WASMCLOUD_LATTICE_PREFIX over it with a deprecation warning; no PROV_RPC).
 * - Rust hosts 1.x: src/main.rs (no cluster seed or issuers, no
 *   WASMCLOUD_LATTICE_PREFIX, no PROV_RPC; WASMCLOUD_NATS_SEED spelled right
 *   from 1.2; *_CREDS files). Clap parses `bool` flags from the environment
 *   with its default parser, which accepts only `true` and `false`.
 */

/** Host lines with different variables: OTP (0.50–0.63), Rust 0.78–0.82, Rust 1.x. */
export type HostProfile = 'otp' | '0.8x' | '1.x';

export const HOST_PROFILES: readonly HostProfile[] = ['otp', '0.8x', '1.x'];

export const PROFILE_LABELS: Readonly<Record<HostProfile, string>> = {
  otp: 'OTP hosts (0.50–0.63)',
  '0.8x': 'hosts 0.78–0.82',
  '1.x': '1.x hosts',
};

/** Whether all, some or none of a profile's releases read a variable. */
export type ReadStatus = 'all' | 'some' | 'none';

export type VariableType =
  | 'cluster-seed'
  | 'cluster-issuers'
  | 'server-seed'
  | 'server-public-key'
  | 'user-seed'
  | 'jwt'
  | 'creds-file'
  | 'lattice'
  | 'port'
  | 'duration'
  | 'boolean'
  | 'integer'
  | 'text'
  | 'list';

/** The NATS connection a credential variable belongs to. */
export type Connection = 'rpc' | 'ctl' | 'prov_rpc' | 'nats';

/** What to report when a profile does not (or not always) read a variable. */
export interface VersionAdvice {
  /** The name this profile reads instead; the finding is then `variable-renamed`. */
  readonly use?: string;
  /**
   * The name that other releases of this profile read, so that setting both
   * names serves every release; the finding is then `variable-renamed`.
   */
  readonly alsoSet?: string;
  /** Which releases read what, as the reason in the message. */
  readonly note: string;
}

export interface HostVariable {
  readonly name: string;
  readonly type: VariableType;
  /** What the variable does, for hovers and completion. */
  readonly summary: string;
  readonly default?: string;
  /** The releases that read it, for hovers. */
  readonly versions: string;
  readonly read: Readonly<Record<HostProfile, ReadStatus>>;
  readonly advice?: Readonly<Partial<Record<HostProfile, VersionAdvice>>>;
  readonly connection?: Connection;
  /** For `duration`: the unit the host reads. */
  readonly unit?: 'milliseconds' | 'seconds';
}

const ALL: Record<HostProfile, ReadStatus> = { otp: 'all', '0.8x': 'all', '1.x': 'all' };
const RUST: Record<HostProfile, ReadStatus> = { otp: 'none', '0.8x': 'all', '1.x': 'all' };
const LATE_OTP_AND_RUST: Record<HostProfile, ReadStatus> = { otp: 'some', '0.8x': 'all', '1.x': 'all' };
const ONLY_1X: Record<HostProfile, ReadStatus> = { otp: 'none', '0.8x': 'none', '1.x': 'some' };
const FROM_082: Record<HostProfile, ReadStatus> = { otp: 'none', '0.8x': 'some', '1.x': 'all' };
const BEFORE_1X: Record<HostProfile, ReadStatus> = { otp: 'all', '0.8x': 'all', '1.x': 'none' };
const RUST_078_TO_080: Record<HostProfile, ReadStatus> = { otp: 'none', '0.8x': 'some', '1.x': 'none' };
const OTP_AND_078: Record<HostProfile, ReadStatus> = { otp: 'all', '0.8x': 'some', '1.x': 'none' };

const OTP_CONNECTIONS_NOTE = 'they have no shared NATS settings and read WASMCLOUD_RPC_*, WASMCLOUD_CTL_* and WASMCLOUD_PROV_RPC_* instead';
const NO_CREDS_FILE_NOTE = 'only 1.x hosts read creds files, so set the JWT and seed variables of the connection instead';
const PROV_RPC_1X_NOTE = 'they give providers the host RPC connection (WASMCLOUD_RPC_*), so set those instead';

function connectionVariables(connection: Connection, prefix: string, label: string, read: Record<HostProfile, ReadStatus>, advice?: Partial<Record<HostProfile, VersionAdvice>>, versions = 'all releases'): HostVariable[] {
  const common = { read, connection, versions, ...(advice === undefined ? {} : { advice }) };
  return [
    { ...common, name: `${prefix}_HOST`, type: 'text', summary: `Host name or IP address of the NATS server for ${label}.`, default: 'the NATS host (127.0.0.1)' },
    { ...common, name: `${prefix}_PORT`, type: 'port', summary: `Port of the NATS server for ${label}.`, default: 'the NATS port (4222)' },
    { ...common, name: `${prefix}_JWT`, type: 'jwt', summary: `NATS user JWT that authenticates the ${label} connection; needs ${prefix}_SEED.` },
    { ...common, name: `${prefix}_SEED`, type: 'user-seed', summary: `NATS user seed (SU…) that signs the ${label} connection's nonce; needs ${prefix}_JWT.` },
    { ...common, name: `${prefix}_TLS`, type: 'boolean', summary: `Whether the ${label} connection requires TLS.`, default: 'false' },
  ];
}

/** Every variable a wasmCloud host reads, plus the old and misspelled names that some releases read. */
export const HOST_VARIABLES: readonly HostVariable[] = [
  {
    name: 'WASMCLOUD_LATTICE_PREFIX',
    type: 'lattice',
    summary: 'Name of the lattice: hosts with the same name share NATS subjects and the lattice cache.',
    default: 'default',
    versions: 'OTP 0.50–0.63 and 0.78–0.82 (0.82 copies it into WASMCLOUD_LATTICE and warns that it is deprecated)',
    read: BEFORE_1X,
    advice: { '1.x': { use: 'WASMCLOUD_LATTICE', note: 'they join the lattice named in WASMCLOUD_LATTICE, or "default" when it is not set' } },
  },
  {
    name: 'WASMCLOUD_LATTICE',
    type: 'lattice',
    summary: 'Name of the lattice: hosts with the same name share NATS subjects and the lattice cache.',
    default: 'default',
    versions: '0.82 and 1.x',
    read: FROM_082,
    advice: {
      otp: { use: 'WASMCLOUD_LATTICE_PREFIX', note: 'they read the lattice name from WASMCLOUD_LATTICE_PREFIX' },
      '0.8x': { use: 'WASMCLOUD_LATTICE_PREFIX', note: 'only 0.82 does, while 0.78–0.81 read WASMCLOUD_LATTICE_PREFIX, which 0.82 also reads' },
    },
  },
  {
    name: 'WASMCLOUD_CLUSTER_SEED',
    type: 'cluster-seed',
    summary: "Cluster seed (SC…) this host signs invocations with; its public key must be in every host's WASMCLOUD_CLUSTER_ISSUERS.",
    default: 'an ad hoc key generated at start',
    versions: 'OTP 0.50–0.63 and 0.78–0.82',
    read: BEFORE_1X,
    advice: { '1.x': { note: 'they do not sign invocations with cluster keys, so the seed has no effect' } },
  },
  {
    name: 'WASMCLOUD_CLUSTER_ISSUERS',
    type: 'cluster-issuers',
    summary: 'Comma-separated cluster public keys (C…) whose signed invocations this host accepts. Hosts split on "," without trimming spaces.',
    default: "the public key of this host's cluster seed",
    versions: 'OTP 0.50–0.63 and 0.78–0.82',
    read: BEFORE_1X,
    advice: { '1.x': { note: 'they do not check cluster issuers, so the list has no effect' } },
  },
  { name: 'WASMCLOUD_HOST_SEED', type: 'server-seed', summary: "Server seed (SN…) that fixes the host's identity across restarts.", default: 'a new key at every start', versions: 'all releases', read: ALL },
  {
    name: 'WASMCLOUD_HOST_KEY',
    type: 'server-public-key',
    summary: 'Public key (N…) of the host; early OTP hosts read it next to WASMCLOUD_HOST_SEED.',
    versions: 'early OTP releases',
    read: { otp: 'some', '0.8x': 'none', '1.x': 'none' },
    advice: {
      '0.8x': { note: 'they derive the host public key from WASMCLOUD_HOST_SEED' },
      '1.x': { note: 'they derive the host public key from WASMCLOUD_HOST_SEED' },
    },
  },

  ...['HOST', 'PORT', 'JWT', 'SEED'].map(
    (part): HostVariable => ({
      name: `NATS_${part}`,
      type: part === 'PORT' ? 'port' : part === 'JWT' ? 'jwt' : part === 'SEED' ? 'user-seed' : 'text',
      summary: `NATS ${part === 'HOST' ? 'server host' : part === 'PORT' ? 'server port' : part === 'JWT' ? 'user JWT' : 'user seed'} for every host connection, in 0.78–0.80.`,
      versions: '0.78–0.80',
      read: RUST_078_TO_080,
      connection: 'nats',
      advice: {
        otp: { note: OTP_CONNECTIONS_NOTE },
        '1.x': { use: `WASMCLOUD_NATS_${part}`, note: `they read WASMCLOUD_NATS_${part} instead` },
      },
    }),
  ),
  ...['HOST', 'PORT', 'JWT'].map(
    (part): HostVariable => ({
      name: `WASMCLOUD_NATS_${part}`,
      type: part === 'PORT' ? 'port' : part === 'JWT' ? 'jwt' : 'text',
      summary:
        part === 'HOST'
          ? 'Host name or IP address of the NATS server; the RPC and CTL connections use it unless their own variables are set.'
          : part === 'PORT'
            ? 'Port of the NATS server; the RPC and CTL connections use it unless their own variables are set.'
            : 'NATS user JWT for the RPC and CTL connections unless their own JWTs are set; needs the NATS seed.',
      default: part === 'HOST' ? '127.0.0.1' : part === 'PORT' ? '4222' : undefined,
      versions: '0.81–0.82 and 1.x',
      read: FROM_082,
      connection: 'nats',
      advice: { otp: { note: OTP_CONNECTIONS_NOTE } },
    }),
  ),
  {
    name: 'WASMCOULD_NATS_SEED',
    type: 'user-seed',
    summary: 'NATS user seed for the RPC and CTL connections, under the misspelled name that 0.81–1.1 read.',
    versions: '0.81–1.1 (1.2 and later read WASMCLOUD_NATS_SEED)',
    read: { otp: 'none', '0.8x': 'some', '1.x': 'some' },
    connection: 'nats',
    advice: {
      otp: { note: OTP_CONNECTIONS_NOTE },
      '1.x': { use: 'WASMCLOUD_NATS_SEED', note: '1.2 and later read the seed from WASMCLOUD_NATS_SEED, and only 1.0 and 1.1 read this misspelled name' },
    },
  },
  {
    name: 'WASMCLOUD_NATS_SEED',
    type: 'user-seed',
    summary: 'NATS user seed (SU…) for the RPC and CTL connections unless their own seeds are set; needs WASMCLOUD_NATS_JWT.',
    versions: '1.2 and later (0.81–1.1 read the misspelled WASMCOULD_NATS_SEED)',
    read: { otp: 'none', '0.8x': 'none', '1.x': 'some' },
    connection: 'nats',
    advice: {
      otp: { note: OTP_CONNECTIONS_NOTE },
      '0.8x': { use: 'WASMCOULD_NATS_SEED', note: '0.81 and 0.82 read the seed from the misspelled WASMCOULD_NATS_SEED, and 0.78–0.80 from NATS_SEED' },
      '1.x': { alsoSet: 'WASMCOULD_NATS_SEED', note: '1.0 and 1.1 read the seed only from the misspelled WASMCOULD_NATS_SEED, so they ignore this name and refuse to start while WASMCLOUD_NATS_JWT is set' },
    },
  },
  {
    name: 'WASMCLOUD_NATS_CREDS',
    type: 'creds-file',
    summary: 'Path of a NATS creds file with the user JWT and seed for the RPC and CTL connections; replaces WASMCLOUD_NATS_JWT and the seed.',
    versions: 'later 1.x releases',
    read: ONLY_1X,
    connection: 'nats',
    advice: { otp: { note: NO_CREDS_FILE_NOTE }, '0.8x': { note: NO_CREDS_FILE_NOTE } },
  },

  ...connectionVariables('rpc', 'WASMCLOUD_RPC', 'RPC (invocations between components and providers)', ALL),
  {
    name: 'WASMCLOUD_RPC_TIMEOUT_MS',
    type: 'duration',
    unit: 'milliseconds',
    summary: 'Timeout in milliseconds for RPC calls.',
    default: '2000',
    versions: 'all releases',
    read: ALL,
  },
  {
    name: 'WASMCLOUD_RPC_CREDS',
    type: 'creds-file',
    summary: 'Path of a NATS creds file for the RPC connection; replaces WASMCLOUD_RPC_JWT and WASMCLOUD_RPC_SEED.',
    versions: 'later 1.x releases',
    read: ONLY_1X,
    connection: 'rpc',
    advice: { otp: { note: NO_CREDS_FILE_NOTE }, '0.8x': { note: NO_CREDS_FILE_NOTE } },
  },
  ...connectionVariables('ctl', 'WASMCLOUD_CTL', 'the control interface (CTL)', ALL),
  { name: 'WASMCLOUD_CTL_TOPIC_PREFIX', type: 'text', summary: 'Prefix of every control interface subject.', default: 'wasmbus.ctl', versions: 'later OTP releases, 0.78–0.82 and 1.x', read: LATE_OTP_AND_RUST },
  {
    name: 'WASMCLOUD_CTL_CREDS',
    type: 'creds-file',
    summary: 'Path of a NATS creds file for the control interface connection; replaces WASMCLOUD_CTL_JWT and WASMCLOUD_CTL_SEED.',
    versions: 'later 1.x releases',
    read: ONLY_1X,
    connection: 'ctl',
    advice: { otp: { note: NO_CREDS_FILE_NOTE }, '0.8x': { note: NO_CREDS_FILE_NOTE } },
  },
  ...connectionVariables('prov_rpc', 'WASMCLOUD_PROV_RPC', 'capability providers', OTP_AND_078, { '1.x': { note: PROV_RPC_1X_NOTE } }, 'OTP 0.50–0.63 and 0.78'),

  { name: 'WASMCLOUD_JS_DOMAIN', type: 'text', summary: 'JetStream domain of the lattice cache, for leaf nodes with their own JetStream.', versions: 'all releases', read: ALL },
  { name: 'WASMCLOUD_PROV_SHUTDOWN_DELAY_MS', type: 'duration', unit: 'milliseconds', summary: 'Milliseconds between asking a provider to shut down and killing its process.', default: '300', versions: 'all releases', read: ALL },
  { name: 'WASMCLOUD_OCI_ALLOW_LATEST', type: 'boolean', summary: 'Whether images tagged latest may be pulled from OCI registries.', default: 'false', versions: 'all releases', read: ALL },
  { name: 'WASMCLOUD_OCI_ALLOWED_INSECURE', type: 'list', summary: 'Comma-separated OCI registries that may be reached without TLS.', versions: 'all releases', read: ALL },
  ...['', '_USER', '_PASSWORD'].flatMap((suffix): HostVariable[] => [
    {
      name: `WASMCLOUD_OCI_REGISTRY${suffix}`,
      type: 'text',
      summary: suffix === '' ? 'OCI registry whose credentials WASMCLOUD_OCI_REGISTRY_USER and _PASSWORD give.' : suffix === '_USER' ? 'User name for WASMCLOUD_OCI_REGISTRY.' : 'Password for WASMCLOUD_OCI_REGISTRY.',
      versions: 'later 0.8x releases and 1.x',
      read: FROM_082,
    },
    {
      name: `OCI_REGISTRY${suffix}`,
      type: 'text',
      summary: `The 0.78 name of WASMCLOUD_OCI_REGISTRY${suffix}.`,
      versions: '0.78',
      read: RUST_078_TO_080,
      advice: { '1.x': { use: `WASMCLOUD_OCI_REGISTRY${suffix}`, note: `they read WASMCLOUD_OCI_REGISTRY${suffix} instead` } },
    },
  ]),
  { name: 'WASMCLOUD_CONFIG_SERVICE', type: 'boolean', summary: 'Whether the host asks a config service for its settings at start.', default: 'false', versions: 'later OTP releases, 0.78–0.82 and 1.x', read: LATE_OTP_AND_RUST },
  { name: 'WASMCLOUD_ALLOW_FILE_LOAD', type: 'boolean', summary: 'Whether components and providers may be started from files on the host.', default: 'false', versions: '0.78–0.82 and 1.x', read: RUST },
  { name: 'WASMCLOUD_STRUCTURED_LOGGING_ENABLED', type: 'boolean', summary: 'Whether the host logs JSON.', default: 'false', versions: 'later OTP releases, 0.78–0.82 and 1.x', read: LATE_OTP_AND_RUST },
  {
    name: 'WASMCLOUD_STRUCTURED_LOG_LEVEL',
    type: 'text',
    summary: 'Log level of structured logging on OTP hosts.',
    default: 'info',
    versions: 'later OTP releases',
    read: { otp: 'some', '0.8x': 'none', '1.x': 'none' },
    advice: {
      '0.8x': { use: 'WASMCLOUD_LOG_LEVEL', note: 'they read the log level from WASMCLOUD_LOG_LEVEL' },
      '1.x': { use: 'WASMCLOUD_LOG_LEVEL', note: 'they read the log level from WASMCLOUD_LOG_LEVEL' },
    },
  },
  { name: 'WASMCLOUD_LOG_LEVEL', type: 'text', summary: 'Log level of the host: error, warn, info, debug or trace.', default: 'info', versions: '0.78–0.82 and 1.x', read: RUST },
  { name: 'WASMCLOUD_ENABLE_IPV6', type: 'boolean', summary: 'Whether the OTP host listens on IPv6.', default: 'false', versions: 'later OTP releases', read: { otp: 'some', '0.8x': 'none', '1.x': 'none' } },
  { name: 'WASMCLOUD_POLICY_TOPIC', type: 'text', summary: 'NATS subject of a policy server; when set, the host asks it before starting components and before invocations.', versions: 'later OTP releases, 0.78–0.82 and 1.x', read: LATE_OTP_AND_RUST },
  { name: 'WASMCLOUD_POLICY_CHANGES_TOPIC', type: 'text', summary: 'NATS subject on which the policy server announces changed decisions; needs WASMCLOUD_POLICY_TOPIC.', versions: 'later OTP releases, 0.78–0.82 and 1.x', read: LATE_OTP_AND_RUST },
  { name: 'WASMCLOUD_POLICY_TIMEOUT', type: 'duration', unit: 'milliseconds', summary: 'Milliseconds to wait for a policy decision.', default: '1000', versions: 'later OTP releases, 0.78–0.82 and 1.x', read: LATE_OTP_AND_RUST },
  ...['OBSERVABILITY', 'TRACES', 'METRICS', 'LOGS'].map(
    (part): HostVariable => ({
      name: `WASMCLOUD_${part}_ENABLED`,
      type: 'boolean',
      summary: part === 'OBSERVABILITY' ? 'Whether the host exports traces, metrics and logs over OpenTelemetry.' : `Whether the host exports ${part.toLowerCase()} over OpenTelemetry.`,
      default: 'false',
      versions: '0.82 and 1.x',
      read: FROM_082,
    }),
  ),
  ...(
    [
      ['WASMCLOUD_TRACE_LEVEL', 'text', 'Level of the traces the host exports.', 'info'],
      ['WASMCLOUD_OBSERVABILITY_PROTOCOL', 'text', 'OpenTelemetry export protocol: http or grpc.', 'http'],
      ['WASMCLOUD_MAX_EXECUTION_TIME_MS', 'duration', 'Maximum time in milliseconds one component invocation may run.', '600000'],
      ['WASMCLOUD_MAX_LINEAR_MEMORY', 'integer', 'Maximum bytes of memory one component may allocate.', '268435456'],
      ['WASMCLOUD_MAX_COMPONENT_SIZE', 'integer', 'Maximum bytes of a component binary.', '52428800'],
      ['WASMCLOUD_MAX_COMPONENTS', 'integer', 'Maximum number of components running at once.', '10000'],
      ['WASMCLOUD_MAX_CORE_INSTANCES_PER_COMPONENT', 'integer', 'Maximum core instances per component.', '30'],
      ['WASMCLOUD_SECRETS_TOPIC', 'text', 'NATS subject prefix of a secrets backend.', undefined],
      ['WASMCLOUD_FLAME_GRAPH', 'text', 'Path to write a flame graph to.', undefined],
      ['WASMCLOUD_TLS_CA_PATH', 'list', 'Comma-separated certificate authority files for the OCI and OpenTelemetry clients.', undefined],
      ['WASMCLOUD_HEARTBEAT_INTERVAL', 'duration', 'Seconds between host heartbeats.', '30'],
      ['WASMCLOUD_EXPERIMENTAL_FEATURES', 'list', 'Comma-separated experimental host features to turn on.', undefined],
      ['WASMCLOUD_HTTP_ADMIN', 'text', 'Address (host:port) of the HTTP administration endpoint.', undefined],
      ['WASMCLOUD_COMPONENT_AUCTION_ENABLED', 'boolean', 'Whether the host answers component auctions.', 'true'],
      ['WASMCLOUD_PROVIDER_AUCTION_ENABLED', 'boolean', 'Whether the host answers provider auctions.', 'true'],
    ] as const
  ).map(
    ([name, type, summary, fallback]): HostVariable => ({
      name,
      type,
      summary,
      ...(fallback === undefined ? {} : { default: fallback }),
      ...(type === 'duration' ? { unit: name === 'WASMCLOUD_HEARTBEAT_INTERVAL' ? ('seconds' as const) : ('milliseconds' as const) } : {}),
      versions: 'later 1.x releases',
      read: ONLY_1X,
    }),
  ),
];

/** Hosts turn every variable with this prefix into a host label. */
export const LABEL_PREFIX = 'WASMCLOUD_LABEL_';

const LABEL_VARIABLE: HostVariable = {
  name: `${LABEL_PREFIX}*`,
  type: 'text',
  summary: 'Host label: WASMCLOUD_LABEL_zone=east gives the host the label zone=east.',
  versions: '0.82 and 1.x',
  read: { otp: 'none', '0.8x': 'some', '1.x': 'all' },
};

const BY_NAME = new Map<string, HostVariable>(HOST_VARIABLES.map((variable) => [variable.name, variable]));

/** Looks up a variable by name; every WASMCLOUD_LABEL_ name maps to the label entry. */
export function findHostVariable(name: string): HostVariable | undefined {
  const variable = BY_NAME.get(name);
  if (variable !== undefined) {
    return variable;
  }
  return name.startsWith(LABEL_PREFIX) && name.length > LABEL_PREFIX.length ? LABEL_VARIABLE : undefined;
}

/** Whether a key makes a file a host .env file: any WASMCLOUD_ name, or the misspelled WASMCOULD_ one. */
export function isHostKey(key: string): boolean {
  return key.startsWith('WASMCLOUD_') || key.startsWith('WASMCOULD_');
}

/** Names of the variables that hold the lattice name, in the order a profile reads them. */
export function latticeVariables(profile: HostProfile | undefined): readonly string[] {
  if (profile === '1.x') {
    return ['WASMCLOUD_LATTICE'];
  }
  if (profile === 'otp') {
    return ['WASMCLOUD_LATTICE_PREFIX'];
  }
  // 0.82 copies WASMCLOUD_LATTICE_PREFIX over WASMCLOUD_LATTICE, so it wins.
  return ['WASMCLOUD_LATTICE_PREFIX', 'WASMCLOUD_LATTICE'];
}

export const DEFAULT_LATTICE = 'default';
