import { parseDotenv, type DotenvEntry, type DotenvParseResult } from '../dotenv/index';
import type { SourceRange } from '../dotenv/lines';
import { isRuleCode, type RuleCode, type SeverityOverride } from './codes';
import { checkConnections } from './connections';
import type { RuleContext } from './context';
import { checkFile } from './file';
import { CLUSTER_ISSUERS, checkKeys, splitIssuers } from './keys';
import { checkLattice } from './lattice';
import { inferHostProfile, type HostVersionSetting, type ProfileInference } from './profile';
import { findSubstitutions, reportSubstitutions } from './substitution';
import type { LintDiagnostic } from './types';
import { DEFAULT_LATTICE, isHostKey, latticeVariables } from './variables';

export interface LintOptions {
  /** `auto` (the default) infers the host line from the variables. */
  readonly hostVersion?: HostVersionSetting;
  /** Per-rule severity overrides; `off` drops a rule. Unknown codes are ignored. */
  readonly severities?: Readonly<Record<string, SeverityOverride | undefined>>;
  /** Milliseconds since the epoch for JWT expiry; defaults to now. */
  readonly now?: number;
}

/** What the workspace rules need from one host file. */
export interface HostFacts {
  /** Whether any key starts with WASMCLOUD_ (or the misspelled WASMCOULD_). */
  readonly isHostFile: boolean;
  /** Whether the host signs and checks cluster keys: false when the file is surely for 1.x hosts. */
  readonly usesClusterKeys: boolean;
  /** The lattice the host joins, "default" when no variable names one. */
  readonly lattice: string;
  /** The entry that names the lattice, when one does. */
  readonly latticeEntry?: FactEntry;
  /** Public key of a valid cluster seed. */
  readonly seedPublicKey?: string;
  readonly seedEntry?: FactEntry;
  /** Issuers exactly as hosts split them, empty entries dropped. */
  readonly issuers?: readonly string[];
  readonly issuersEntry?: FactEntry;
  /**
   * Whether the lattice name, cluster seed or issuers refer to another
   * variable (`${NAME}`), which only the tool that loads the file resolves.
   * The workspace rules then leave the file out of their comparisons.
   */
  readonly usesSubstitution?: boolean;
}

/** The parts of an entry the workspace rules point at and edit. */
export interface FactEntry {
  readonly key: string;
  readonly value: string;
  readonly keyRange: SourceRange;
  readonly valueRange: SourceRange;
}

export interface FileLintResult {
  readonly parse: DotenvParseResult;
  readonly profile: ProfileInference;
  readonly facts: HostFacts;
  /** Single-file findings, with severity overrides and disable comments applied. */
  readonly diagnostics: LintDiagnostic[];
  readonly suppressions: Suppressions;
}

/**
 * Runs every single-file rule on a `.env` text. Pure and synchronous: the
 * rules that read other files or ask git are in `environment.ts`.
 */
export function lintText(text: string, options: LintOptions = {}): FileLintResult {
  const parse = parseDotenv(text);
  const effective = new Map<string, DotenvEntry>();
  for (const entry of parse.entries) {
    effective.set(entry.key, entry);
  }
  const profile = inferHostProfile(effective.values(), options.hostVersion ?? 'auto');
  const substituted = findSubstitutions(effective);
  const context: RuleContext = { text, parse, effective, profile, substituted, now: options.now ?? Date.now(), diagnostics: [] };

  checkFile(context);
  reportSubstitutions(context);
  const clusterSeed = checkKeys(context);
  checkLattice(context);
  checkConnections(context);

  const facts = hostFacts(parse.entries, effective, profile, clusterSeed?.publicKey, substituted);
  const suppressions = findSuppressions(text);
  return { parse, profile, facts, diagnostics: finishDiagnostics(context.diagnostics, suppressions, options.severities), suppressions };
}

function hostFacts(entries: readonly DotenvEntry[], effective: ReadonlyMap<string, DotenvEntry>, profile: ProfileInference, seedPublicKey: string | undefined, substituted: ReadonlySet<string>): HostFacts {
  const isHostFile = entries.some((entry) => isHostKey(entry.key));
  const usesClusterKeys = !(profile.sure && profile.profile === '1.x');
  let latticeEntry: DotenvEntry | undefined;
  for (const key of latticeVariables(profile.sure ? profile.profile : undefined)) {
    latticeEntry = effective.get(key);
    if (latticeEntry !== undefined) {
      break;
    }
  }
  const issuersEntry = effective.get(CLUSTER_ISSUERS);
  const seedEntry = effective.get('WASMCLOUD_CLUSTER_SEED');
  const issuers = issuersEntry === undefined || issuersEntry.value.length === 0 ? undefined : splitIssuers(issuersEntry.value).map((part) => part.text).filter((text) => text.length > 0);
  const usesSubstitution = [latticeEntry, issuersEntry, seedEntry].some((entry) => entry !== undefined && substituted.has(entry.key));
  return {
    isHostFile,
    usesClusterKeys,
    ...(usesSubstitution ? { usesSubstitution } : {}),
    lattice: latticeEntry === undefined || latticeEntry.value.length === 0 ? DEFAULT_LATTICE : latticeEntry.value,
    ...(latticeEntry === undefined ? {} : { latticeEntry: factEntry(latticeEntry) }),
    ...(seedPublicKey === undefined || seedEntry === undefined ? {} : { seedPublicKey, seedEntry: factEntry(seedEntry) }),
    ...(issuers === undefined || issuersEntry === undefined ? {} : { issuers, issuersEntry: factEntry(issuersEntry) }),
  };
}

/** Copies only what the index keeps, so it holds no seed text. */
function factEntry(entry: DotenvEntry): FactEntry {
  const holdsSecret = entry.key.endsWith('_SEED');
  return { key: entry.key, value: holdsSecret ? '' : entry.value, keyRange: entry.keyRange, valueRange: entry.valueRange };
}

/** Lines on which `# wasmcloud-lattice-disable-next-line` comments turn rules off: all rules when the set is empty. */
export type Suppressions = ReadonlyMap<number, ReadonlySet<string>>;

export const DISABLE_NEXT_LINE = 'wasmcloud-lattice-disable-next-line';

/**
 * Finds `# wasmcloud-lattice-disable-next-line [code …]` comments. Codes may
 * be separated by spaces or commas; without codes every rule is off for the
 * next line. Text after ` -- ` is a free comment.
 */
export function findSuppressions(text: string): Suppressions {
  const suppressions = new Map<number, Set<string>>();
  let index = text.indexOf(DISABLE_NEXT_LINE);
  if (index < 0) {
    return suppressions;
  }
  let line = 0;
  let counted = 0;
  while (index >= 0) {
    let lineStart = index;
    while (lineStart > 0 && text.charCodeAt(lineStart - 1) !== 10 && text.charCodeAt(lineStart - 1) !== 13) {
      lineStart--;
    }
    const before = text.slice(lineStart, index);
    if (/^\s*#\s*$/.test(before)) {
      for (; counted < lineStart; counted++) {
        const code = text.charCodeAt(counted);
        if (code === 10 || (code === 13 && text.charCodeAt(counted + 1) !== 10)) {
          line++;
        }
      }
      let end = index + DISABLE_NEXT_LINE.length;
      while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) {
        end++;
      }
      const rest = text.slice(index + DISABLE_NEXT_LINE.length, end).split(' -- ')[0];
      const codes = rest.split(/[\s,]+/).filter((code) => code.length > 0);
      suppressions.set(line + 1, new Set(codes));
    }
    index = text.indexOf(DISABLE_NEXT_LINE, index + DISABLE_NEXT_LINE.length);
  }
  return suppressions;
}

/** Whether a disable comment turns `code` off on `line`. */
export function isSuppressed(suppressions: Suppressions, line: number, code: RuleCode): boolean {
  const codes = suppressions.get(line);
  return codes !== undefined && (codes.size === 0 || codes.has(code));
}

/** Applies disable comments and severity overrides, and sorts by position. */
export function finishDiagnostics(
  diagnostics: readonly LintDiagnostic[],
  suppressions: Suppressions,
  severities: Readonly<Record<string, SeverityOverride | undefined>> | undefined,
): LintDiagnostic[] {
  const result: LintDiagnostic[] = [];
  for (const diagnostic of diagnostics) {
    if (isSuppressed(suppressions, diagnostic.range.startLine, diagnostic.code)) {
      continue;
    }
    const override = severities !== undefined && isRuleCode(diagnostic.code) ? severities[diagnostic.code] : undefined;
    if (override === 'off') {
      continue;
    }
    result.push(override === undefined ? diagnostic : { ...diagnostic, severity: override });
  }
  return result.sort((a, b) => a.range.start - b.range.start);
}
