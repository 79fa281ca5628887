/**
 * Text edits that put a generated key into a host `.env` file. The edits are
 * offsets into the original text, so the extension and tests apply them the
 * same way.
 */
import { parseDotenv, type DotenvEntry } from '../dotenv/index';
import type { GeneratedKey } from './generate';
import { inspectKey } from './inspect';
import type { KeyKind } from './kinds';

export const CLUSTER_SEED_VARIABLE = 'WASMCLOUD_CLUSTER_SEED';
export const CLUSTER_ISSUERS_VARIABLE = 'WASMCLOUD_CLUSTER_ISSUERS';
export const HOST_SEED_VARIABLE = 'WASMCLOUD_HOST_SEED';

const LATTICE_VARIABLES = ['WASMCLOUD_LATTICE_PREFIX', 'WASMCLOUD_LATTICE'];

/** The host variables that hold a key of one kind. */
export interface KeyVariables {
  /** Variable for the seed, such as `WASMCLOUD_CLUSTER_SEED`. */
  seed: string;
  /** Comma-separated list variable that the public key is added to, such as `WASMCLOUD_CLUSTER_ISSUERS`. */
  publicKeyList?: string;
}

/** Returns the host variables for a kind, or undefined when hosts read no variable of that kind. */
export function keyVariables(kind: KeyKind): KeyVariables | undefined {
  switch (kind) {
    case 'cluster':
      return { seed: CLUSTER_SEED_VARIABLE, publicKeyList: CLUSTER_ISSUERS_VARIABLE };
    case 'server':
      return { seed: HOST_SEED_VARIABLE };
    default:
      return undefined;
  }
}

/** A replacement of `text[start..end)`. An insertion has `start === end`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface EnvInsertion {
  /** Whether the file already sets the seed variable to a non-empty value, which the user should confirm replacing. */
  replacesSeed: boolean;
  /** Whether the public key goes into an existing list line. */
  appendsToList: boolean;
  /** Public key of the seed the file sets now, when that seed is a valid seed of the new key's kind. */
  currentSeedPublicKey?: string;
  /**
   * Returns the edits. With `replaceSeed` false an existing non-empty seed is
   * kept and only public keys are added to the list.
   */
  edits(replaceSeed: boolean): TextEdit[];
  /** Returns the public keys that the list variable gains with these edits, in order. */
  listedKeys(replaceSeed: boolean): string[];
}

/**
 * Plans the edits that put `key` into a `.env` text. Public keys are appended
 * to an existing list line with a comma and no space, because hosts split the
 * list on "," without trimming. Missing lines are added next to the related
 * line, or at the end of the file.
 *
 * The list keeps every key the host accepted before. A host with a seed and
 * no list (or an empty one) accepts only its own key, so that key is written
 * into the new list before the new key. A kept seed's key is also added to a
 * list that lacks it, because the host would reject its own invocations.
 */
export function planEnvInsertion(text: string, variables: KeyVariables, key: GeneratedKey, eol: string): EnvInsertion {
  const entries = parseDotenv(text).entries;
  const seedEntry = lastEntry(entries, variables.seed);
  const listEntry = variables.publicKeyList === undefined ? undefined : lastEntry(entries, variables.publicKeyList);
  const replacesSeed = seedEntry !== undefined && seedEntry.value !== '';
  const currentSeedPublicKey = replacesSeed ? seedPublicKey(seedEntry.value, key) : undefined;
  const listIsEmpty = listEntry === undefined || listEntry.value === '';
  const listed = listEntry === undefined ? [] : text.slice(listEntry.valueRange.start, listEntry.valueRange.end).split(',');

  const listedKeys = (replaceSeed: boolean): string[] => {
    if (variables.publicKeyList === undefined) {
      return [];
    }
    const keys: string[] = [];
    if (currentSeedPublicKey !== undefined && (!replaceSeed || listIsEmpty)) {
      keys.push(currentSeedPublicKey);
    }
    keys.push(key.publicKey);
    return keys.filter((publicKey, index) => !listed.includes(publicKey) && keys.indexOf(publicKey) === index);
  };

  return {
    replacesSeed,
    appendsToList: listEntry !== undefined,
    ...(currentSeedPublicKey === undefined ? {} : { currentSeedPublicKey }),
    listedKeys,
    edits(replaceSeed: boolean): TextEdit[] {
      const edits: TextEdit[] = [];
      const keys = listedKeys(replaceSeed);

      if (listEntry !== undefined && keys.length > 0) {
        edits.push(appendToList(text, listEntry, keys));
      }

      if (seedEntry !== undefined && (!replacesSeed || replaceSeed)) {
        edits.push({ start: seedEntry.valueRange.start, end: seedEntry.valueRange.end, text: key.seed });
      }

      const newLines: string[] = [];
      const anchor = listEntry ?? seedEntry;
      const exportPrefix = usesExport(entries, anchor) ? 'export ' : '';
      if (seedEntry === undefined) {
        newLines.push(`${exportPrefix}${variables.seed}=${key.seed}`);
      }
      if (variables.publicKeyList !== undefined && listEntry === undefined) {
        newLines.push(`${exportPrefix}${variables.publicKeyList}=${keys.join(',')}`);
      }
      if (newLines.length === 0) {
        return edits;
      }

      const block = newLines.map((line) => line + eol).join('');
      if (listEntry !== undefined) {
        // The seed line goes just above the list line.
        const start = lineStart(text, listEntry.keyRange.start);
        edits.push({ start, end: start, text: block });
      } else if (seedEntry !== undefined) {
        // The list line goes just below the seed line, before its line break.
        // When the seed edit ends there too, one edit carries both, because
        // the order of two insertions at one offset is not defined.
        const end = lineEnd(text, seedEntry.valueRange.end);
        const seedEdit = edits.find((edit) => edit.end === end);
        if (seedEdit === undefined) {
          edits.push({ start: end, end, text: eol + newLines.join(eol) });
        } else {
          seedEdit.text += eol + newLines.join(eol);
        }
      } else {
        const separator = text.length === 0 || /[\r\n]$/.test(text) ? '' : eol;
        edits.push({ start: text.length, end: text.length, text: separator + block });
      }
      return edits;
    },
  };
}

/** Returns the lattice name a `.env` text sets in WASMCLOUD_LATTICE_PREFIX, else in WASMCLOUD_LATTICE. The last assignment wins, as in dotenv. */
export function latticeNameFromEnv(text: string): string | undefined {
  const entries = parseDotenv(text).entries;
  for (const name of LATTICE_VARIABLES) {
    const value = lastEntry(entries, name)?.value.trim();
    if (value !== undefined && value !== '') {
      return value;
    }
  }
  return undefined;
}

/**
 * Writes the text of a new `.env` document for a generated key: a comment that
 * the seed is secret, then the host variables for the kind, or
 * `<KIND>_PUBLIC_KEY` and `<KIND>_SEED` for kinds that hosts do not read.
 */
export function newEnvDocument(kind: KeyKind, key: GeneratedKey, created: Date, eol = '\n'): string {
  const date = created.toISOString().slice(0, 10);
  const lines = [
    `# wasmCloud ${kind} key, generated on ${date}.`,
    '# The seed is secret. Keep this file out of version control and give the seed only to the hosts that use it.',
  ];
  const variables = keyVariables(kind);
  if (variables === undefined) {
    const prefix = kind.toUpperCase();
    lines.push(`${prefix}_PUBLIC_KEY=${key.publicKey}`, `${prefix}_SEED=${key.seed}`);
  } else {
    lines.push(`${variables.seed}=${key.seed}`);
    if (variables.publicKeyList === undefined) {
      lines.push(`# Public key: ${key.publicKey}`);
    } else {
      lines.push(`${variables.publicKeyList}=${key.publicKey}`);
    }
  }
  return lines.map((line) => line + eol).join('');
}

function lastEntry(entries: readonly DotenvEntry[], key: string): DotenvEntry | undefined {
  for (let index = entries.length - 1; index >= 0; index--) {
    if (entries[index].key === key) {
      return entries[index];
    }
  }
  return undefined;
}

function appendToList(text: string, entry: DotenvEntry, publicKeys: readonly string[]): TextEdit {
  const current = text.slice(entry.valueRange.start, entry.valueRange.end);
  const end = entry.valueRange.end;
  const separator = current === '' || current.endsWith(',') ? '' : ',';
  return { start: end, end, text: separator + publicKeys.join(',') };
}

/** Returns the public key of `seed` when it is a valid seed of the same kind as `key`. */
function seedPublicKey(seed: string, key: GeneratedKey): string | undefined {
  const kind = inspectKey(key.publicKey).kind;
  if (kind === undefined) {
    return undefined;
  }
  const inspection = inspectKey(seed, { type: 'seed', kind });
  return inspection.valid ? inspection.publicKey : undefined;
}

/** New lines follow `export` when the related line uses it, or when every line of the file does. */
function usesExport(entries: readonly DotenvEntry[], anchor: DotenvEntry | undefined): boolean {
  if (anchor !== undefined) {
    return anchor.exported;
  }
  return entries.length > 0 && entries.every((entry) => entry.exported);
}

function lineStart(text: string, offset: number): number {
  let index = offset;
  while (index > 0 && text[index - 1] !== '\n' && text[index - 1] !== '\r') {
    index--;
  }
  return index;
}

function lineEnd(text: string, offset: number): number {
  let index = offset;
  while (index < text.length && text[index] !== '\n' && text[index] !== '\r') {
    index++;
  }
  return index;
}
