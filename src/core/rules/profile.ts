import type { DotenvEntry } from '../dotenv/index';
import { HOST_PROFILES, PROFILE_LABELS, findHostVariable, type HostProfile, type HostVariable } from './variables';

/** The `wasmcloudLattice.hostVersion` setting and the CLI's `--host-version`. */
export type HostVersionSetting = 'auto' | HostProfile;

export const HOST_VERSION_SETTINGS: readonly HostVersionSetting[] = ['auto', 'otp', '0.8x', '1.x'];

export interface ProfileInference {
  /** The host line the file is written for, when known. */
  readonly profile?: HostProfile;
  /** Whether version-specific rules may run: the setting names a line, or the variables point to exactly one. */
  readonly sure: boolean;
  /** Why, as one sentence for hovers and logs. */
  readonly reason: string;
  /**
   * The host lines that read every variable of the file, or the one that the
   * setting names; empty when the variables belong to different lines. Rules
   * may report a value that every one of these lines rejects even when the
   * inference is not sure.
   */
  readonly candidates: readonly HostProfile[];
}

/**
 * Works out which host line a file is written for. With `auto`, the lines
 * that read every variable of the file are kept; one left, and none of its
 * releases skipping one of those variables, makes the result sure. When no line
 * reads every variable, a variable that only one line reads decides, so a
 * 1.x file with a stale cluster seed is still recognised as 1.x.
 */
export function inferHostProfile(entries: Iterable<Pick<DotenvEntry, 'key'>>, setting: HostVersionSetting = 'auto'): ProfileInference {
  if (setting !== 'auto') {
    return { profile: setting, sure: true, reason: `The hostVersion setting says ${PROFILE_LABELS[setting]}.`, candidates: [setting] };
  }

  let candidates = new Set<HostProfile>(HOST_PROFILES);
  const onlyReaders = new Map<HostProfile, string>();
  const partlyRead = new Map<HostProfile, string>();
  for (const entry of entries) {
    const variable = findHostVariable(entry.key);
    if (variable === undefined) {
      continue;
    }
    const readers = readersOf(variable);
    if (readers.length === HOST_PROFILES.length && HOST_PROFILES.every((profile) => variable.read[profile] === 'all')) {
      continue;
    }
    if (readers.length < candidates.size || readers.some((profile) => !candidates.has(profile))) {
      candidates = new Set(readers.filter((profile) => candidates.has(profile)));
    }
    if (readers.length === 1 && !onlyReaders.has(readers[0])) {
      onlyReaders.set(readers[0], entry.key);
    }
    for (const profile of readers) {
      if (variable.read[profile] === 'some' && !partlyRead.has(profile)) {
        partlyRead.set(profile, entry.key);
      }
    }
  }

  if (candidates.size === 1) {
    const [profile] = candidates;
    const partly = partlyRead.get(profile);
    if (partly === undefined) {
      return { profile, sure: true, reason: `Only ${PROFILE_LABELS[profile]} read all of this file's variables.`, candidates: [profile] };
    }
    return {
      profile,
      sure: false,
      reason: `Only ${PROFILE_LABELS[profile]} read all of this file's variables, but not every release of them reads ${partly}, so set wasmcloudLattice.hostVersion to check version-specific rules.`,
      candidates: [profile],
    };
  }
  if (candidates.size === 0 && onlyReaders.size === 1) {
    const [[profile, key]] = onlyReaders;
    return { profile, sure: true, reason: `${key} is read only by ${PROFILE_LABELS[profile]}.`, candidates: [profile] };
  }
  if (candidates.size === 0) {
    return { sure: false, reason: 'The variables of this file belong to different host versions, so set wasmcloudLattice.hostVersion to check version-specific rules.', candidates: [] };
  }
  return {
    sure: false,
    reason: 'Several host versions read every variable of this file, so only booleans that all of them reject are reported. Set wasmcloudLattice.hostVersion to check version-specific rules.',
    candidates: HOST_PROFILES.filter((profile) => candidates.has(profile)),
  };
}

const READERS = new WeakMap<HostVariable, readonly HostProfile[]>();

/** Returns the profiles with at least one release that reads `variable`, computed once per variable. */
function readersOf(variable: HostVariable): readonly HostProfile[] {
  let readers = READERS.get(variable);
  if (readers === undefined) {
    readers = HOST_PROFILES.filter((profile) => variable.read[profile] !== 'none');
    READERS.set(variable, readers);
  }
  return readers;
}
