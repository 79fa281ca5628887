/**
 * Plans a cluster key rotation over the host files of one lattice in three
 * stages, so that every pair of hosts keeps accepting each other's
 * invocations while hosts restart one by one:
 *
 * 1. add the new public key to every host's issuers;
 * 2. once every host runs with that list, give the new seed to the hosts that
 *    signed with the old key;
 * 3. once those hosts run with the new seed, remove the old public key from
 *    every issuers list (optional).
 *
 * Each stage is a set of text edits against the files' current text, so the
 * extension can re-plan a stage from what the editor contains right before it
 * applies it.
 */
import { CLUSTER_ISSUERS_VARIABLE } from '../keys/env-file';
import type { GeneratedKey } from '../keys/generate';
import type { TextEdit } from '../keys/env-file';
import { lintText, type HostFacts, type LintOptions } from '../rules/lint';

export interface HostFileText {
  readonly path: string;
  readonly text: string;
}

/** A host file that takes part in cluster checks, with the keys it signs with and accepts. */
export interface RotationHost {
  readonly path: string;
  readonly lattice: string;
  readonly facts: HostFacts;
  /** Public key of the host's cluster seed, when it has a valid one. */
  readonly seedPublicKey?: string;
  /** The issuers the host accepts: its list, or only its own key when the list is not set. */
  readonly accepted: readonly string[];
}

export interface FileEdits {
  readonly path: string;
  readonly edits: readonly TextEdit[];
}

export type RotationStageId = 'add-issuer' | 'swap-seed' | 'remove-issuer';

export interface RotationStage {
  readonly id: RotationStageId;
  /** Edits per file, against the texts after the previous stage. Files without edits are left out. */
  readonly files: readonly FileEdits[];
  /** Every file's text after this stage. */
  readonly texts: readonly HostFileText[];
}

/** Thrown when a stage would lock a host out. The message names the hosts and the fix. */
export class RotationError extends Error {}

/**
 * Reads the host files that take part in cluster checks: files whose host
 * version signs with cluster keys and that set a valid seed or issuers.
 */
export function readRotationHosts(files: readonly HostFileText[], options: LintOptions = {}): RotationHost[] {
  const hosts: RotationHost[] = [];
  for (const file of files) {
    const facts = lintText(file.text, options).facts;
    if (!facts.isHostFile || !facts.usesClusterKeys || (facts.seedPublicKey === undefined && facts.issuers === undefined)) {
      continue;
    }
    const accepted = facts.issuers ?? (facts.seedPublicKey === undefined ? [] : [facts.seedPublicKey]);
    hosts.push({ path: file.path, lattice: facts.lattice, facts, ...(facts.seedPublicKey === undefined ? {} : { seedPublicKey: facts.seedPublicKey }), accepted });
  }
  return hosts;
}

/**
 * Stage 1: adds `publicKey` to every host's issuers. A host without an
 * issuers list accepts only its own key, so it gets a list of its own key and
 * the new one, below its seed line.
 */
export function planAddIssuer(files: readonly HostFileText[], publicKey: string, options: LintOptions = {}): FileEdits[] {
  const result: FileEdits[] = [];
  for (const host of readRotationHosts(files, options)) {
    if (host.accepted.includes(publicKey)) {
      continue;
    }
    const text = textOf(files, host.path);
    const list = host.facts.issuersEntry;
    if (list !== undefined) {
      const current = text.slice(list.valueRange.start, list.valueRange.end);
      const separator = current === '' || current.endsWith(',') ? '' : ',';
      result.push({ path: host.path, edits: [{ start: list.valueRange.end, end: list.valueRange.end, text: separator + publicKey }] });
      continue;
    }
    const seed = host.facts.seedEntry;
    if (seed === undefined) {
      continue;
    }
    const end = lineEnd(text, seed.valueRange.end);
    const line = `${CLUSTER_ISSUERS_VARIABLE}=${[...host.accepted, publicKey].join(',')}`;
    result.push({ path: host.path, edits: [{ start: end, end, text: eolOf(text) + line }] });
  }
  return result;
}

/**
 * Stage 2: replaces the seed of every host that signs with `oldPublicKey`
 * by `newKey.seed`. Throws RotationError when a host does not accept the new
 * public key yet, because it would then reject the hosts with the new seed.
 */
export function planSwapSeed(files: readonly HostFileText[], oldPublicKey: string, newKey: GeneratedKey, options: LintOptions = {}): FileEdits[] {
  const hosts = readRotationHosts(files, options);
  const missing = hosts.filter((host) => !host.accepted.includes(newKey.publicKey)).map((host) => host.path);
  if (missing.length > 0) {
    throw new RotationError(`${describePaths(missing)} ${missing.length === 1 ? 'does' : 'do'} not accept the new key ${newKey.publicKey} yet, so they would reject the hosts that sign with it. Add the key to their issuers first.`);
  }
  const result: FileEdits[] = [];
  for (const host of hosts) {
    const seed = host.facts.seedEntry;
    if (host.seedPublicKey !== oldPublicKey || seed === undefined) {
      continue;
    }
    result.push({ path: host.path, edits: [{ start: seed.valueRange.start, end: seed.valueRange.end, text: newKey.seed }] });
  }
  return result;
}

/**
 * Stage 3: removes `oldPublicKey` from every issuers list. Throws
 * RotationError when a host still signs with it, because every host would
 * then reject that host.
 */
export function planRemoveIssuer(files: readonly HostFileText[], oldPublicKey: string, options: LintOptions = {}): FileEdits[] {
  const hosts = readRotationHosts(files, options);
  const signers = hosts.filter((host) => host.seedPublicKey === oldPublicKey).map((host) => host.path);
  if (signers.length > 0) {
    throw new RotationError(`${describePaths(signers)} still ${signers.length === 1 ? 'signs' : 'sign'} with ${oldPublicKey}, so removing it from the issuers would lock them out. Give them the new seed first.`);
  }
  const result: FileEdits[] = [];
  for (const host of hosts) {
    const list = host.facts.issuersEntry;
    if (list === undefined || !host.accepted.includes(oldPublicKey)) {
      continue;
    }
    const text = textOf(files, host.path);
    const kept = text
      .slice(list.valueRange.start, list.valueRange.end)
      .split(',')
      .filter((entry) => entry !== oldPublicKey && entry !== '');
    if (kept.length === 0) {
      throw new RotationError(`${host.path} accepts no other key than ${oldPublicKey}, so removing it would leave an empty issuers list. Add the new key to its issuers first.`);
    }
    result.push({ path: host.path, edits: [{ start: list.valueRange.start, end: list.valueRange.end, text: kept.join(',') }] });
  }
  return result;
}

export interface RotationRequest {
  /** The public key to retire: the seed key of the host the user chose. */
  readonly oldPublicKey: string;
  readonly newKey: GeneratedKey;
  /** Whether to plan stage 3. */
  readonly removeOld: boolean;
}

/** Plans every stage in order, each against the texts the previous stage leaves. For previews and tests. */
export function planRotation(files: readonly HostFileText[], request: RotationRequest, options: LintOptions = {}): RotationStage[] {
  const stages: RotationStage[] = [];
  let texts = files;
  const run = (id: RotationStageId, plan: (current: readonly HostFileText[]) => FileEdits[]): void => {
    const edits = plan(texts);
    texts = applyFileEdits(texts, edits);
    stages.push({ id, files: edits, texts });
  };
  run('add-issuer', (current) => planAddIssuer(current, request.newKey.publicKey, options));
  run('swap-seed', (current) => planSwapSeed(current, request.oldPublicKey, request.newKey, options));
  if (request.removeOld) {
    run('remove-issuer', (current) => planRemoveIssuer(current, request.oldPublicKey, options));
  }
  return stages;
}

/** Applies non-overlapping edits to a text. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}

/** Applies the edits of every file, returning all files with their new texts. */
export function applyFileEdits(files: readonly HostFileText[], edits: readonly FileEdits[]): HostFileText[] {
  return files.map((file) => {
    const fileEdits = edits.find((candidate) => candidate.path === file.path);
    return fileEdits === undefined ? file : { path: file.path, text: applyTextEdits(file.text, fileEdits.edits) };
  });
}

/**
 * Returns the pairs of hosts where one rejects the other's seed, as
 * "rejecter → signer" path pairs. Empty when every host accepts every other.
 */
export function untrustedPairs(hosts: readonly RotationHost[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const rejecter of hosts) {
    for (const signer of hosts) {
      if (signer.seedPublicKey !== undefined && !rejecter.accepted.includes(signer.seedPublicKey)) {
        pairs.push([rejecter.path, signer.path]);
      }
    }
  }
  return pairs;
}

function textOf(files: readonly HostFileText[], path: string): string {
  return files.find((file) => file.path === path)?.text ?? '';
}

function describePaths(paths: readonly string[]): string {
  const shown = paths.slice(0, 3).join(', ');
  return paths.length > 3 ? `${shown} and ${paths.length - 3} more host files` : shown;
}

function lineEnd(text: string, offset: number): number {
  let index = offset;
  while (index < text.length && text[index] !== '\n' && text[index] !== '\r') {
    index++;
  }
  return index;
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}
