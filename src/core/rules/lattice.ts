import type { DotenvEntry } from '../dotenv/index';
import { shownName } from '../dotenv/redact';
import { lineStartRange, quoteValue, renameKey, replaceValue, report, valueSubRange, type RuleContext } from './context';
import { HOST_VARIABLES, PROFILE_LABELS, findHostVariable, isHostKey } from './variables';

const LATTICE_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * Describes why `value` is not a valid lattice name, or returns undefined when
 * it is one. The `lattice-prefix-invalid` rule and the provisioning flow share
 * this check. `index` is the first invalid character, or -1 for an empty name.
 */
export function latticeNameProblem(value: string): { index: number; reason: string } | undefined {
  if (LATTICE_NAME.test(value)) {
    return undefined;
  }
  if (value.length === 0) {
    return { index: -1, reason: "the name is empty, so the lattice's NATS subjects have an empty part" };
  }
  const index = value.search(/[^A-Za-z0-9_-]/);
  const character = value[index];
  const reason =
    character === '.'
      ? "'.' separates NATS subject tokens, so the hosts would listen on different subjects than their clients use"
      : character === '*' || character === '>'
        ? `'${character}' is a NATS wildcard, so the hosts would receive other lattices' messages`
        : /\s/.test(character)
          ? 'NATS subjects cannot contain whitespace'
          : `'${character}' is not allowed in a lattice name`;
  return { index, reason };
}

/** Checks lattice names and, when the host version is sure, renamed and ignored variables; then unknown names. */
export function checkLattice(context: RuleContext): void {
  for (const key of ['WASMCLOUD_LATTICE_PREFIX', 'WASMCLOUD_LATTICE']) {
    const entry = context.effective.get(key);
    if (entry !== undefined && !context.substituted.has(key)) {
      checkLatticeName(context, key, entry.value, entry);
    }
  }
  checkVariableNames(context);
}

function checkLatticeName(context: RuleContext, key: string, value: string, entry: Parameters<typeof replaceValue>[0]): void {
  const problem = latticeNameProblem(value);
  if (problem === undefined) {
    return;
  }
  if (value.length === 0) {
    report(context, 'lattice-prefix-invalid', entry.keyRange, `${key} is empty, so the lattice's NATS subjects have an empty part. Set a name of letters, digits, '_' and '-', or remove the line to use "default".`, { key });
    return;
  }
  const { index, reason } = problem;
  const replacement = value.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  // The title names the new name only when it can be shown whole, because it is built from the value, which may contain a pasted secret.
  const shown = quoteValue(replacement);
  const title = shown === `'${replacement}'` ? `Change the lattice name to ${shown}` : "Replace the lattice name's invalid characters with '-'";
  report(context, 'lattice-prefix-invalid', valueSubRange(entry, index, index + 1), `${key} ${quoteValue(value)} is not a valid lattice name: ${reason}. Use only letters, digits, '_' and '-'.`, {
    key,
    fixes: replacement.length > 0 ? [{ title, preferred: false, edits: [replaceValue(entry, replacement)] }] : [],
  });
}

/** Maximum number of `variable-unknown` findings for one file; each one compares the name with every known name. */
const MAX_UNKNOWN_FINDINGS = 200;

function checkVariableNames(context: RuleContext): void {
  const profile = context.profile;
  let unknown = 0;
  for (const entry of context.effective.values()) {
    const key = entry.key;
    const variable = findHostVariable(key);
    if (variable === undefined) {
      if (isHostKey(key) && ++unknown <= MAX_UNKNOWN_FINDINGS) {
        reportUnknown(context, key, entry);
      }
      continue;
    }
    if (!profile.sure || profile.profile === undefined) {
      continue;
    }

    const advice = variable.advice?.[profile.profile];
    if (advice === undefined || variable.read[profile.profile] === 'all') {
      continue;
    }
    const label = PROFILE_LABELS[profile.profile];
    const head = variable.read[profile.profile] === 'none' ? `${capitalize(label)} do not read ${key}` : `Not all ${label} read ${key}`;
    if (advice.alsoSet !== undefined) {
      reportAlsoSet(context, entry, advice.alsoSet, `${head}: ${advice.note}`);
      continue;
    }
    if (advice.use === undefined) {
      report(context, 'variable-ignored', entry.keyRange, `${head}: ${advice.note}. Remove it, or set wasmcloudLattice.hostVersion if these hosts run another version.`, { key });
      continue;
    }
    if (context.effective.has(advice.use)) {
      continue;
    }
    report(context, 'variable-renamed', entry.keyRange, `${head}: ${advice.note}. Rename it to ${advice.use}.`, {
      key,
      fixes: [{ title: `Rename ${key} to ${advice.use}`, preferred: true, edits: [renameKey(entry, advice.use)] }],
    });
  }
}

/**
 * Reports a variable that some releases of the host line read under another
 * name, where setting both names serves every release. The fix adds the
 * other name with the same value, when the value is a plain token.
 */
function reportAlsoSet(context: RuleContext, entry: DotenvEntry, other: string, reason: string): void {
  if (context.effective.has(other)) {
    return;
  }
  const key = entry.key;
  const copyable = /^[A-Za-z0-9_./:-]+$/.test(entry.value);
  report(context, 'variable-renamed', entry.keyRange, `${reason}. If any host runs such a release, also set ${other} to the same value.`, {
    key,
    fixes: copyable ? [{ title: `Also set ${other} to the value of ${key}`, preferred: true, edits: [{ range: lineStartRange(entry.keyRange), newText: `${other}=${entry.value}\n` }] }] : [],
  });
}

const KNOWN_NAMES: readonly string[] = HOST_VARIABLES.map((variable) => variable.name).filter(isHostKey);
const KNOWN_WORDS: readonly (readonly string[])[] = KNOWN_NAMES.map((known) => known.split('_'));

function reportUnknown(context: RuleContext, key: string, entry: Parameters<typeof renameKey>[0]): void {
  const suggestion = closestName(key);
  const name = shownName(key);
  if (suggestion === undefined) {
    report(context, 'variable-unknown', entry.keyRange, `No wasmCloud host version reads ${name}. Check the name against the host's documentation, or remove it.`, { key });
    return;
  }
  report(context, 'variable-unknown', entry.keyRange, `No wasmCloud host version reads ${name}. Did you mean ${suggestion}?`, {
    key,
    fixes: [{ title: `Rename to ${suggestion}`, preferred: true, edits: [renameKey(entry, suggestion)] }],
  });
}

/**
 * Returns the known name closest to `name`: one within a small edit distance,
 * or else the only one that differs by one whole '_'-separated word, such as
 * WASMCLOUD_STRUCTURED_LOGGING_ENABLED for WASMCLOUD_STRUCTURED_LOGGING.
 * Returns undefined when neither finds a name.
 */
export function closestName(name: string): string | undefined {
  return closestByEditDistance(name) ?? closestByWords(name);
}

function closestByEditDistance(name: string): string | undefined {
  const limit = Math.max(1, Math.min(4, Math.floor(name.length / 6)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of KNOWN_NAMES) {
    if (Math.abs(candidate.length - name.length) > limit) {
      continue;
    }
    const distance = editDistance(name, candidate, bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Finds the known name that adds or drops exactly one word of `name`, when only one name does. */
function closestByWords(name: string): string | undefined {
  const words = name.split('_');
  let found: string | undefined;
  for (const [position, candidateWords] of KNOWN_WORDS.entries()) {
    const matches = candidateWords.length === words.length + 1 ? dropsOneWord(candidateWords, words) : candidateWords.length + 1 === words.length && dropsOneWord(words, candidateWords);
    if (!matches) {
      continue;
    }
    if (found !== undefined) {
      return undefined;
    }
    found = KNOWN_NAMES[position];
  }
  return found;
}

/** Checks whether removing one word from `longer` gives `shorter`. */
function dropsOneWord(longer: readonly string[], shorter: readonly string[]): boolean {
  let skipped = false;
  for (let index = 0, other = 0; index < longer.length; index++) {
    if (other < shorter.length && longer[index] === shorter[other]) {
      other++;
    } else if (skipped) {
      return false;
    } else {
      skipped = true;
    }
  }
  return skipped;
}

// Rows of the edit distance table, reused across calls because names are short.
let previousRow = new Int32Array(64);
let currentRow = new Int32Array(64);

/** Levenshtein distance, or `cutoff` once the distance is known to reach it. */
function editDistance(a: string, b: string, cutoff: number): number {
  if (previousRow.length <= b.length) {
    previousRow = new Int32Array(b.length + 1);
    currentRow = new Int32Array(b.length + 1);
  }
  for (let j = 0; j <= b.length; j++) {
    previousRow[j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    currentRow[0] = i;
    let rowMinimum = i;
    const code = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = code === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previousRow[j] + 1, currentRow[j - 1] + 1, previousRow[j - 1] + cost);
      currentRow[j] = value;
      if (value < rowMinimum) {
        rowMinimum = value;
      }
    }
    if (rowMinimum >= cutoff) {
      return cutoff;
    }
    const swap = previousRow;
    previousRow = currentRow;
    currentRow = swap;
  }
  return Math.min(previousRow[b.length], cutoff);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
