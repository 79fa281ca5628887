import type { DotenvEntry } from '../dotenv/index';
import type { SourceRange } from '../dotenv/lines';
import { hideSecrets } from '../dotenv/redact';
import { inspectKey, type KeyInspection } from '../keys/inspect';
import { keyKindInfo, type KeyKind } from '../keys/kinds';
import { lineStartRange, quoteValue, replaceValue, report, valueSubRange, type RuleContext } from './context';
import { findPublishedSeed } from './published';
import type { LintEdit, LintFix } from './types';
import { findHostVariable, type VariableType } from './variables';

export const CLUSTER_SEED = 'WASMCLOUD_CLUSTER_SEED';
export const CLUSTER_ISSUERS = 'WASMCLOUD_CLUSTER_ISSUERS';

const SEED_KINDS: Partial<Record<VariableType, KeyKind>> = {
  'cluster-seed': 'cluster',
  'server-seed': 'server',
  'user-seed': 'user',
};

/** One comma-separated entry of an issuers value, with its offsets in the value. */
export interface IssuerEntry {
  readonly text: string;
  readonly trimmed: string;
  readonly from: number;
  readonly to: number;
}

/** Splits an issuers value on ',' as hosts do: no trimming, empty entries kept. */
export function splitIssuers(value: string): IssuerEntry[] {
  const entries: IssuerEntry[] = [];
  let from = 0;
  for (;;) {
    const comma = value.indexOf(',', from);
    const to = comma < 0 ? value.length : comma;
    const text = value.slice(from, to);
    entries.push({ text, trimmed: text.trim(), from, to });
    if (comma < 0) {
      return entries;
    }
    from = comma + 1;
  }
}

/** The cluster seed of a file when it is valid, with its public key. */
export interface ValidClusterSeed {
  readonly entry: DotenvEntry;
  readonly publicKey: string;
}

/** Checks seeds of every kind, then the issuers list and how it relates to the cluster seed. */
export function checkKeys(context: RuleContext): ValidClusterSeed | undefined {
  let clusterSeed: ValidClusterSeed | undefined;
  for (const entry of context.effective.values()) {
    const variable = findHostVariable(entry.key);
    const kind = variable === undefined ? undefined : SEED_KINDS[variable.type];
    if (kind === undefined || entry.value.length === 0 || context.substituted.has(entry.key)) {
      continue;
    }
    const inspection = checkSeed(context, entry, kind);
    // Deriving a public key costs far more than every other check of a seed,
    // so it is done only for the cluster seed, which the issuers must list.
    if (entry.key === CLUSTER_SEED && inspection !== undefined) {
      clusterSeed = { entry, publicKey: inspection.publicKey as string };
    }
  }

  const issuers = context.effective.get(CLUSTER_ISSUERS);
  if (issuers !== undefined && issuers.value.length > 0 && !context.substituted.has(CLUSTER_ISSUERS)) {
    checkIssuers(context, issuers);
  }
  checkSeedAgainstIssuers(context, clusterSeed, issuers);
  return clusterSeed;
}

/** Reports a bad seed and returns its inspection when it is a valid seed of the expected kind. */
function checkSeed(context: RuleContext, entry: DotenvEntry, kind: KeyKind): KeyInspection | undefined {
  const inspection = inspectKey(entry.value, { type: 'seed', kind });
  const range = entry.valueRange;
  const key = entry.key;

  if (inspection.valid) {
    reportIfPublished(context, entry, kind);
    return inspection;
  }

  const reason = hideSecrets(inspection.reason ?? 'It is not a valid nkey seed.');
  const expected = `${kind} seed (${keyKindInfo(kind).seedPrefix}…)`;
  // These messages name the kind, so the inspection's reason, which names it again, is left out.
  if (inspection.problem === 'public-key-as-seed') {
    const found = inspection.kind === undefined ? 'a public key' : `${article(inspection.kind)} ${inspection.kind} public key`;
    const fix = inspection.kind === kind ? `the ${expected} that belongs to it` : `${article(kind)} ${expected}`;
    report(context, 'seed-is-public-key', range, `${key} holds ${found}, not a seed, so use ${fix}.`, { key });
    return undefined;
  }
  if (inspection.problem === 'wrong-kind') {
    const code = kind === 'user' ? 'credentials-seed-kind' : 'seed-wrong-kind';
    const purpose = kind === 'user' ? 'NATS authenticates connections with user seeds' : kind === 'cluster' ? 'hosts sign invocations with a cluster seed' : 'a host identity is a server seed';
    report(context, code, range, `${key} holds ${describeSeed(inspection)}, but ${purpose}, so use ${article(kind)} ${expected} here.`, { key });
    reportIfPublished(context, entry, kind);
    return undefined;
  }
  report(context, 'seed-malformed', range, `${key} is not a valid seed. ${reason}`, {
    key,
    fixes: kind === 'user' ? [] : [replaceSeedFix(context, entry, kind, undefined)],
  });
  return undefined;
}

function describeSeed(inspection: KeyInspection): string {
  return inspection.kind === undefined ? 'a seed of another kind' : `${article(inspection.kind)} ${inspection.kind} seed`;
}

/** Returns the indefinite article for a key kind: "an account", "a cluster". */
function article(kind: KeyKind): string {
  return kind === 'account' || kind === 'operator' ? 'an' : 'a';
}

/** Reports a well-formed seed, of any kind, that is a published example seed. */
function reportIfPublished(context: RuleContext, entry: DotenvEntry, kind: KeyKind): void {
  const published = findPublishedSeed(entry.value);
  if (published === undefined) {
    return;
  }
  const fixes = kind === 'user' ? [] : [replaceSeedFix(context, entry, kind, published.publicKey)];
  const advice = kind === 'user' ? 'Create a new NATS user and use its seed and JWT.' : `Replace it with a newly generated ${kind} seed.`;
  report(context, 'seed-published-example', entry.valueRange, `${entry.key} is the published seed from ${published.source}, so anyone can sign as this host: treat it as compromised. ${advice}`, {
    key: entry.key,
    fixes,
  });
}

/**
 * A fix that puts a newly generated seed into `entry` and, for a cluster seed,
 * its public key into the issuers: in place of `oldPublicKey` when listed,
 * else appended.
 */
function replaceSeedFix(context: RuleContext, entry: DotenvEntry, kind: KeyKind, oldPublicKey: string | undefined): LintFix {
  const edits: LintEdit[] = [replaceValue(entry, '{{seed}}')];
  const issuers = context.effective.get(CLUSTER_ISSUERS);
  if (kind === 'cluster' && issuers !== undefined && issuers.value.length > 0) {
    const parts = splitIssuers(issuers.value).map((part) => part.text);
    const index = oldPublicKey === undefined ? -1 : parts.indexOf(oldPublicKey);
    if (index >= 0) {
      parts[index] = '{{publicKey}}';
    } else {
      parts.push('{{publicKey}}');
    }
    edits.push(replaceValue(issuers, parts.join(',')));
  }
  const title = kind === 'cluster' && edits.length > 1 ? `Replace ${entry.key} with a new cluster seed and update ${CLUSTER_ISSUERS}` : `Replace ${entry.key} with a new ${kind} seed`;
  return { title, preferred: true, edits, generateKey: kind };
}

/** Findings of one code reported per issuers list; a pasted megabyte of keys would otherwise flood the editor. */
const MAX_FINDINGS_PER_CODE = 10;

function checkIssuers(context: RuleContext, entry: DotenvEntry): void {
  const parts = splitIssuers(entry.value);
  const key = entry.key;
  const seen = new Set<string>();
  const reported = new Map<string, number>();
  const allow = (code: string): boolean => {
    const count = reported.get(code) ?? 0;
    reported.set(code, count + 1);
    return count < MAX_FINDINGS_PER_CODE;
  };

  // Each fix rewrites the whole list, so it is built once and shared by the findings of its code.
  let withoutEmpty: LintFix | undefined;
  let withoutDuplicates: LintFix | undefined;
  const removeEmpty = (): LintFix =>
    (withoutEmpty ??= { title: `Remove empty entries from ${key}`, preferred: true, edits: [replaceValue(entry, parts.filter((other) => other.trimmed.length > 0).map((other) => other.text).join(','))] });
  const removeDuplicates = (): LintFix => {
    if (withoutDuplicates === undefined) {
      const kept = new Set<string>();
      const remaining = parts.filter((other) => {
        if (other.trimmed.length === 0 || !kept.has(other.trimmed)) {
          kept.add(other.trimmed);
          return true;
        }
        return false;
      });
      withoutDuplicates = { title: `Remove duplicate issuers from ${key}`, preferred: true, edits: [replaceValue(entry, remaining.map((other) => other.text).join(','))] };
    }
    return withoutDuplicates;
  };

  parts.forEach((part, index) => {
    const range = valueSubRange(entry, part.from, part.to);
    if (part.trimmed.length === 0) {
      if (allow('issuers-empty-entry')) {
        const position = index === 0 ? 'first' : index === parts.length - 1 ? 'last' : `${ordinal(index + 1)}`;
        const around = part.text.length > 0 ? range : valueSubRange(entry, Math.max(0, part.from - 1), Math.min(entry.value.length, part.to + 1));
        report(context, 'issuers-empty-entry', around, `The ${position} entry of ${key} is empty because of a doubled, leading or trailing comma. Remove the extra comma.`, { key, fixes: [removeEmpty()] });
      }
      return;
    }

    if (part.text !== part.trimmed && allow('issuers-whitespace') && reported.get('issuers-whitespace') === 1) {
      reportIssuersWhitespace(context, entry, parts, part, range);
    }

    if (seen.has(part.trimmed)) {
      if (allow('issuers-duplicate')) {
        report(context, 'issuers-duplicate', range, `${key} lists ${quoteValue(part.trimmed)} more than once. Remove the duplicate.`, { key, fixes: [removeDuplicates()] });
      }
      return;
    }
    seen.add(part.trimmed);

    const inspection = inspectKey(part.trimmed, { type: 'public', kind: 'cluster' });
    if (!inspection.valid && allow(inspection.problem ?? 'invalid')) {
      reportInvalidIssuer(context, entry, parts, index, inspection);
    }
  });
}

/**
 * Reports whitespace around the entries of an issuers list, once per list.
 * Line breaks, from a quoted list written over several lines, get their own
 * wording: hosts do not trim them either, so the entry never matches.
 */
function reportIssuersWhitespace(context: RuleContext, entry: DotenvEntry, parts: readonly IssuerEntry[], part: IssuerEntry, range: SourceRange): void {
  const key = entry.key;
  const joined = parts.map((other) => other.trimmed).join(',');
  const lineBreaks = parts.some((other) => /[\r\n]/.test(other.text));
  const spaces = parts.some((other) => /[^\S\r\n]/.test(other.text));
  if (!lineBreaks) {
    report(context, 'issuers-whitespace', range, `${key} has spaces around a comma. Hosts split the list on ',' without trimming, so the entry ${quoteValue(part.text)} never matches a signer. Remove the spaces.`, {
      key,
      fixes: [{ title: `Remove whitespace around commas in ${key}`, preferred: true, edits: [replaceValue(entry, joined)] }],
    });
    return;
  }
  const what = spaces ? 'line breaks and spaces' : 'line breaks';
  report(
    context,
    'issuers-whitespace',
    range,
    `${key} is written over several lines, so its entries have ${what} around the commas. Hosts split the list on ',' without trimming, so the entry ${quoteValue(part.text)} never matches a signer. Write the list on one line, without spaces.`,
    {
      key,
      fixes: [{ title: `Write ${key} on one line`, preferred: true, edits: [replaceValue(entry, joined)] }],
    },
  );
}

function reportInvalidIssuer(context: RuleContext, entry: DotenvEntry, parts: IssuerEntry[], index: number, inspection: KeyInspection): void {
  const part = parts[index];
  const range = valueSubRange(entry, part.from, part.to);
  const key = entry.key;
  const position = `The ${ordinal(index + 1)} entry of ${key}`;
  const reason = hideSecrets(inspection.reason ?? 'It is not a valid public key.');

  // These messages name the kind, so the inspection's reason, which names it again, is left out.
  if (inspection.problem === 'seed-as-public-key') {
    const fixes: LintFix[] = [];
    if (inspection.kind === 'cluster' && inspection.publicKey !== undefined) {
      const replaced = parts.map((other, other_index) => (other_index === index ? (inspection.publicKey as string) : other.text));
      fixes.push({ title: 'Replace the seed with its public key', preferred: true, edits: [replaceValue(entry, replaced.join(','))] });
    }
    const found = inspection.kind === undefined ? 'a seed' : `${article(inspection.kind)} ${inspection.kind} seed`;
    const replacement = inspection.kind === 'cluster' ? 'its public key (C…)' : 'a cluster public key (C…)';
    report(
      context,
      'issuer-is-seed',
      range,
      `${position} is ${found}, which is secret and must not be shared with other hosts. Replace it with ${replacement}, then generate a new ${inspection.kind ?? 'cluster'} seed, because this one has been exposed.`,
      { key, fixes },
    );
    return;
  }
  if (inspection.problem === 'wrong-kind') {
    const found = inspection.kind === undefined ? 'a public key of another kind' : `${article(inspection.kind)} ${inspection.kind} public key`;
    report(context, 'issuer-wrong-kind', range, `${position} is ${found}, but issuers are cluster public keys (C…), so list the public key of a cluster seed instead.`, { key });
    return;
  }
  report(context, 'issuer-malformed', range, `${position} is not a valid cluster public key. ${reason}`, { key });
}

function checkSeedAgainstIssuers(context: RuleContext, seed: ValidClusterSeed | undefined, issuers: DotenvEntry | undefined): void {
  // 1.x hosts ignore both variables; variable-ignored says so.
  if (context.profile.sure && context.profile.profile === '1.x') {
    return;
  }
  const seedEntry = context.effective.get(CLUSTER_SEED);
  const hasIssuers = issuers !== undefined && issuers.value.length > 0;
  // A list such as ${ISSUERS} is known only once the tool that loads the file expands it.
  if (hasIssuers && context.substituted.has(CLUSTER_ISSUERS) && seedEntry !== undefined && seedEntry.value.length > 0) {
    return;
  }

  if (hasIssuers && (seedEntry === undefined || seedEntry.value.length === 0)) {
    const fix: LintFix = {
      title: `Add a new ${CLUSTER_SEED} and its public key to ${CLUSTER_ISSUERS}`,
      preferred: false,
      generateKey: 'cluster',
      edits:
        seedEntry === undefined
          ? [
              { range: lineStartRange(issuers.keyRange), newText: `${CLUSTER_SEED}={{seed}}\n` },
              replaceValue(issuers, `${issuers.value},{{publicKey}}`),
            ]
          : [replaceValue(seedEntry, '{{seed}}'), replaceValue(issuers, `${issuers.value},{{publicKey}}`)],
    };
    report(
      context,
      'issuers-without-seed',
      issuers.keyRange,
      `${CLUSTER_ISSUERS} is set but ${CLUSTER_SEED} is not, so the host signs with an ad hoc cluster key that no other host accepts, and OTP hosts discard this issuers list. Set ${CLUSTER_SEED} to the seed of one of the issuers.`,
      { key: CLUSTER_ISSUERS, fixes: [fix] },
    );
    return;
  }

  if (seed === undefined || !hasIssuers) {
    return;
  }
  const parts = splitIssuers(issuers.value);
  if (parts.some((part) => part.text === seed.publicKey)) {
    return;
  }
  const spaced = parts.some((part) => part.trimmed === seed.publicKey);
  const append = parts.filter((part) => part.trimmed.length > 0).map((part) => part.text);
  const fixes: LintFix[] = [
    { title: `Add this host's public key ${seed.publicKey.slice(0, 8)}… to ${CLUSTER_ISSUERS}`, preferred: !spaced, edits: [replaceValue(issuers, [...append, seed.publicKey].join(','))] },
  ];
  if (spaced) {
    fixes.unshift({ title: `Remove whitespace around commas in ${CLUSTER_ISSUERS}`, preferred: true, edits: [replaceValue(issuers, parts.map((part) => part.trimmed).join(','))] });
  }
  report(
    context,
    'issuers-missing-seed-key',
    issuers.valueRange,
    `${CLUSTER_ISSUERS} does not list ${seed.publicKey}, the public key of this host's ${CLUSTER_SEED}${spaced ? ' (an entry with spaces around it does not count)' : ''}, so hosts that share this list reject this host's invocations. Add the key to the list.`,
    {
      key: CLUSTER_ISSUERS,
      fixes,
      related: [{ file: '', range: seed.entry.valueRange, message: `${CLUSTER_SEED}, whose public key is ${seed.publicKey}` }],
    },
  );
}

function ordinal(position: number): string {
  const tens = position % 100;
  if (tens >= 11 && tens <= 13) {
    return `${position}th`;
  }
  switch (position % 10) {
    case 1:
      return `${position}st`;
    case 2:
      return `${position}nd`;
    case 3:
      return `${position}rd`;
    default:
      return `${position}th`;
  }
}
