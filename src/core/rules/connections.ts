import type { DotenvEntry } from '../dotenv/index';
import { inspectKey } from '../keys/inspect';
import { quoteValue, replaceValue, report, type RuleContext } from './context';
import { checkUserJwt } from './jwt';
import { HOST_PROFILES, PROFILE_LABELS, findHostVariable, type HostProfile, type HostVariable } from './variables';

/** Checks ports, durations, booleans, JWTs and that each connection's credentials come as a pair. */
export function checkConnections(context: RuleContext): void {
  for (const entry of context.effective.values()) {
    const variable = findHostVariable(entry.key);
    if (variable === undefined || context.substituted.has(entry.key)) {
      continue;
    }
    switch (variable.type) {
      case 'port':
        checkPort(context, entry);
        break;
      case 'duration':
        checkDuration(context, entry, variable);
        break;
      case 'boolean':
        checkBoolean(context, entry);
        break;
      case 'jwt':
        checkJwt(context, entry);
        break;
      default:
        break;
    }
  }
  checkCredentialPairs(context);
}

function checkPort(context: RuleContext, entry: DotenvEntry): void {
  const value = entry.value;
  if (/^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535) {
    return;
  }
  const why = value.length === 0 ? 'is empty' : /^\d+$/.test(value) ? `${quoteValue(value)} is outside 1–65535` : `${quoteValue(value)} is not a whole number`;
  const match = /^(?:[a-z]+:\/\/)?[^:/\s]*:(\d{1,5})\/?$/.exec(value);
  report(context, 'port-invalid', entry.valueRange, `${entry.key} ${why}. Set a port from 1 to 65535, such as 4222${value.length === 0 ? ', or remove the line to use the default' : ''}.`, {
    key: entry.key,
    fixes: match !== null && Number(match[1]) >= 1 && Number(match[1]) <= 65535 ? [{ title: `Change ${entry.key} to ${match[1]}`, preferred: true, edits: [replaceValue(entry, match[1])] }] : [],
  });
}

const UNIT_FACTORS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000 };

function checkDuration(context: RuleContext, entry: DotenvEntry, variable: HostVariable): void {
  const value = entry.value;
  const unit = variable.unit ?? 'milliseconds';
  const zeroAllowed = entry.key.endsWith('_DELAY_MS');
  if (/^\d+$/.test(value) && (zeroAllowed || Number(value) > 0) && Number.isSafeInteger(Number(value))) {
    return;
  }
  const why = value.length === 0 ? 'is empty' : value === '0' || /^0+$/.test(value) ? 'is 0, so every request times out at once' : `${quoteValue(value)} is not a whole number of ${unit}`;
  const withUnit = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min)$/i.exec(value);
  const fixes = [];
  if (withUnit !== null && unit === 'milliseconds') {
    const milliseconds = Math.round(Number(withUnit[1]) * UNIT_FACTORS[withUnit[2].toLowerCase()]);
    if (milliseconds > 0) {
      fixes.push({ title: `Change ${entry.key} to ${milliseconds}`, preferred: true, edits: [replaceValue(entry, String(milliseconds))] });
    }
  }
  report(context, 'timeout-invalid', entry.valueRange, `${entry.key} ${why}. Hosts read it as a ${zeroAllowed ? 'non-negative' : 'positive'} whole number of ${unit}${variable.default === undefined ? '' : `, such as the default ${variable.default}`}.`, {
    key: entry.key,
    fixes,
  });
}

const TRUE_WORDS = new Set(['1', 'yes', 'y', 'on', 'true', 'enabled', 'enable', 't']);
const FALSE_WORDS = new Set(['0', 'no', 'n', 'off', 'false', 'disabled', 'disable', 'f']);
// Later OTP hosts read RPC and CTL TLS as true for these words, in any case, and as false for anything else.
const OTP_WORDS = new Set(['true', 'yes', 'enabled', 'enable', 'false', 'no', 'disabled', 'disable']);
const OTP_WORD_BOOLEANS = new Set(['WASMCLOUD_RPC_TLS', 'WASMCLOUD_CTL_TLS', 'WASMCLOUD_CONFIG_SERVICE', 'WASMCLOUD_ENABLE_IPV6']);
const OTP_INTEGER_BOOLEANS = new Set(['WASMCLOUD_RPC_TLS', 'WASMCLOUD_CTL_TLS', 'WASMCLOUD_PROV_RPC_TLS']);

/** Whether a profile's hosts read `value` for this variable as intended; undefined when the rule has nothing to say. */
function acceptsBoolean(profile: HostProfile, key: string, value: string): boolean | undefined {
  if (profile !== 'otp') {
    return value === 'true' || value === 'false';
  }
  if (key === 'WASMCLOUD_PROV_RPC_TLS') {
    return /^-?\d+$/.test(value);
  }
  const integerOk = OTP_INTEGER_BOOLEANS.has(key) && /^-?\d+$/.test(value);
  const wordOk = OTP_WORD_BOOLEANS.has(key) && OTP_WORDS.has(value.toLowerCase());
  if (!OTP_WORD_BOOLEANS.has(key) && !OTP_INTEGER_BOOLEANS.has(key)) {
    return undefined;
  }
  return integerOk || wordOk;
}

function expectedFormat(profile: HostProfile, key: string): string {
  if (profile !== 'otp') {
    return `${PROFILE_LABELS[profile]} accept only true or false (lower case)`;
  }
  if (key === 'WASMCLOUD_PROV_RPC_TLS') {
    return 'OTP hosts parse WASMCLOUD_PROV_RPC_TLS as an integer, 1 or 0';
  }
  if (OTP_INTEGER_BOOLEANS.has(key)) {
    return 'OTP 0.52–0.59 hosts parse it as an integer (1 or 0), and later OTP hosts read true only from true, yes, enabled or enable';
  }
  return 'OTP hosts read true only from true, yes, enabled or enable, and anything else as false';
}

function checkBoolean(context: RuleContext, entry: DotenvEntry): void {
  const key = entry.key;
  const value = entry.value;
  const profile = context.profile;
  let problem: string | undefined;
  let fixProfile: HostProfile | undefined;
  let fixReaders: readonly HostProfile[] | undefined;

  if (profile.sure && profile.profile !== undefined) {
    if (findHostVariable(key)?.read[profile.profile] !== 'none' && acceptsBoolean(profile.profile, key, value) === false) {
      problem = `${expectedFormat(profile.profile, key)}, so ${quoteValue(value)} ${profile.profile === 'otp' ? 'is misread or stops the host' : 'stops the host at start'}`;
      fixProfile = profile.profile;
    }
  } else {
    // Without a sure version, report only a value that every host line the file may be for rejects.
    const pool = profile.candidates.length > 0 ? profile.candidates : HOST_PROFILES;
    const readers = pool.filter((candidate) => findHostVariable(key)?.read[candidate] !== 'none');
    const verdicts = readers.map((candidate) => acceptsBoolean(candidate, key, value));
    if (readers.length > 0 && verdicts.every((verdict) => verdict !== true) && verdicts.some((verdict) => verdict === false)) {
      problem = rejectedByAll(readers, pool.length === HOST_PROFILES.length, key, value);
      fixProfile = readers.length === 1 ? readers[0] : '1.x';
      fixReaders = readers;
    }
  }
  if (problem === undefined || fixProfile === undefined) {
    return;
  }

  const lower = value.trim().toLowerCase();
  const meaning = TRUE_WORDS.has(lower) ? true : FALSE_WORDS.has(lower) ? false : undefined;
  const fixes = [];
  const replacement = meaning === undefined ? undefined : booleanReplacement(fixReaders ?? [fixProfile], fixProfile, key, meaning);
  if (replacement !== undefined) {
    fixes.push({ title: `Change ${key} to ${replacement}`, preferred: true, edits: [replaceValue(entry, replacement)] });
  }
  let advice = 'Write true or false.';
  if (replacement !== undefined) {
    advice = `Write ${replacement}.`;
  } else if (meaning !== undefined) {
    advice = 'No spelling suits all of these host versions, so write the one that your hosts read.';
  }
  report(context, 'boolean-format', entry.valueRange, `${key}: ${problem}. ${advice}`, { key, fixes });
}

/** Explains a boolean that every host line in `readers` rejects; `allLines` when the file may be for any line. */
function rejectedByAll(readers: readonly HostProfile[], allLines: boolean, key: string, value: string): string {
  const quoted = quoteValue(value);
  if (allLines) {
    return `no host version reads ${quoted} as a boolean: Rust hosts accept only true or false${OTP_INTEGER_BOOLEANS.has(key) || OTP_WORD_BOOLEANS.has(key) ? ' and OTP hosts want 1, 0 or words such as yes' : ''}`;
  }
  const labels = readers.map((reader) => PROFILE_LABELS[reader]).join(' and ');
  if (!readers.includes('otp')) {
    return `the variables of this file are read by ${labels}, which accept only true or false (lower case), so ${quoted} stops the host at start`;
  }
  if (readers.length === 1) {
    return `${expectedFormat('otp', key)}, so ${quoted} is misread or stops the host`;
  }
  return `none of ${labels}, which read the variables of this file, reads ${quoted} as a boolean: Rust hosts accept only true or false and OTP hosts want 1, 0 or words such as yes`;
}

/** Picks the spelling of `meaning` that every host line in `readers` reads as intended, or returns undefined when they share none. */
function booleanReplacement(readers: readonly HostProfile[], fixProfile: HostProfile, key: string, meaning: boolean): string | undefined {
  const preferred = fixProfile === 'otp' && key === 'WASMCLOUD_PROV_RPC_TLS' ? (meaning ? '1' : '0') : String(meaning);
  for (const spelling of [preferred, String(meaning), meaning ? '1' : '0']) {
    if (readers.every((reader) => acceptsBoolean(reader, key, spelling) !== false)) {
      return spelling;
    }
  }
  return undefined;
}

function checkJwt(context: RuleContext, entry: DotenvEntry): void {
  if (entry.value.length === 0) {
    return;
  }
  const result = checkUserJwt(entry.value, context.now);
  if (!result.ok) {
    report(context, 'jwt-malformed', entry.valueRange, `${entry.key} is not a usable NATS user JWT. ${result.reason}`, { key: entry.key });
  }
}

interface CredentialGroup {
  readonly label: string;
  readonly jwt: readonly string[];
  readonly seed: readonly string[];
  readonly creds?: string;
}

const CREDENTIAL_GROUPS: readonly CredentialGroup[] = [
  { label: 'RPC', jwt: ['WASMCLOUD_RPC_JWT'], seed: ['WASMCLOUD_RPC_SEED'], creds: 'WASMCLOUD_RPC_CREDS' },
  { label: 'control interface', jwt: ['WASMCLOUD_CTL_JWT'], seed: ['WASMCLOUD_CTL_SEED'], creds: 'WASMCLOUD_CTL_CREDS' },
  { label: 'provider RPC', jwt: ['WASMCLOUD_PROV_RPC_JWT'], seed: ['WASMCLOUD_PROV_RPC_SEED'] },
  { label: 'NATS', jwt: ['WASMCLOUD_NATS_JWT'], seed: ['WASMCLOUD_NATS_SEED', 'WASMCOULD_NATS_SEED'], creds: 'WASMCLOUD_NATS_CREDS' },
  { label: 'NATS (0.78–0.80)', jwt: ['NATS_JWT'], seed: ['NATS_SEED'] },
];

/**
 * Checks that each connection gets a JWT and its seed together, and not next
 * to a creds file. With a sure host version, only the names that version
 * reads count, and the messages name that version.
 */
function checkCredentialPairs(context: RuleContext): void {
  const profile = context.profile.sure ? context.profile.profile : undefined;
  const read = (keys: readonly string[]): readonly string[] => (profile === undefined ? keys : keys.filter((key) => findHostVariable(key)?.read[profile] !== 'none'));
  // Rust hosts declare the JWT and seed as arguments that require each other, so they stop at start without the pair.
  let refusal = ' (Rust hosts refuse to start)';
  if (profile === 'otp') {
    refusal = '';
  } else if (profile !== undefined) {
    refusal = ` (${PROFILE_LABELS[profile]} refuse to start)`;
  }

  for (const group of CREDENTIAL_GROUPS) {
    // A version that reads neither name gets variable-ignored or variable-renamed findings for them instead.
    const jwtNames = read(group.jwt);
    const seedNames = read(group.seed);
    if (jwtNames.length === 0 || seedNames.length === 0) {
      continue;
    }
    const jwt = firstSet(context, jwtNames);
    const seed = firstSet(context, seedNames);
    // Only 1.x hosts read creds files, so under another version a creds variable changes nothing.
    const creds = group.creds === undefined ? undefined : firstSet(context, read([group.creds]));

    if (creds !== undefined && (jwt !== undefined || seed !== undefined)) {
      const other = (jwt ?? seed) as DotenvEntry;
      report(context, 'credentials-incomplete', other.keyRange, `${other.key} is set together with ${creds.key}, but 1.x hosts refuse to start when a creds file and a JWT or seed are both given for the ${group.label} connection. Keep either the creds file or the JWT and seed.`, { key: other.key });
      continue;
    }
    if (jwt !== undefined && seed === undefined) {
      report(context, 'credentials-incomplete', jwt.keyRange, `${jwt.key} is set but not ${seedNames[0]}, so the ${group.label} connection cannot answer the server's challenge${refusal}. Add ${seedNames[0]} with the user seed that belongs to this JWT.`, { key: jwt.key });
      continue;
    }
    if (seed !== undefined && jwt === undefined) {
      report(context, 'credentials-incomplete', seed.keyRange, `${seed.key} is set but not ${jwtNames[0]}, so the ${group.label} connection has no user JWT to present${refusal}. Add ${jwtNames[0]} with the user's JWT.`, { key: seed.key });
      continue;
    }
    if (jwt !== undefined && seed !== undefined) {
      checkSeedMatchesJwt(context, group, jwt, seed);
    }
  }
}

/** Reports a seed whose public key is not the JWT's subject: the server then rejects the connection. */
function checkSeedMatchesJwt(context: RuleContext, group: CredentialGroup, jwt: DotenvEntry, seed: DotenvEntry): void {
  const decoded = checkUserJwt(jwt.value, context.now);
  const inspection = inspectKey(seed.value, { type: 'seed', kind: 'user' });
  if (!decoded.ok || !inspection.valid) {
    return;
  }
  const publicKey = inspection.publicKey as string;
  if (publicKey === decoded.jwt.subject) {
    return;
  }
  report(context, 'credentials-incomplete', seed.valueRange, `${seed.key} does not belong to ${jwt.key}: the seed's public key is ${publicKey}, but the JWT was issued to ${decoded.jwt.subject}, so the server rejects the ${group.label} connection. Use the seed and JWT of the same NATS user.`, {
    key: seed.key,
    related: [{ file: '', range: jwt.valueRange, message: `${jwt.key}, issued to ${decoded.jwt.subject}` }],
  });
}

function firstSet(context: RuleContext, keys: readonly string[]): DotenvEntry | undefined {
  for (const key of keys) {
    const entry = context.effective.get(key);
    if (entry !== undefined && entry.value.length > 0) {
      return entry;
    }
  }
  return undefined;
}
