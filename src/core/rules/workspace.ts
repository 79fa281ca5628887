import type { SourceRange } from '../dotenv/lines';
import type { SeverityOverride } from './codes';
import { ruleInfo } from './codes';
import { quoteValue } from './context';
import { finishDiagnostics, type FactEntry, type FileLintResult, type HostFacts, type Suppressions } from './lint';
import type { LintDiagnostic, LintEdit, LintFix, RelatedInformation } from './types';
import { latticeVariables } from './variables';

/** Maximum number of other files named in one finding's related information. */
const MAX_RELATED = 5;
/** Shared result for the many files without workspace findings; callers must not change it. */
const NO_DIAGNOSTICS: LintDiagnostic[] = [];
/** Maximum number of other lattices named in one message, each with a fix. */
const MAX_NAMED_LATTICES = 3;

interface Member {
  readonly path: string;
  readonly facts: HostFacts;
  readonly suppressions: Suppressions;
  /** The issuers the host accepts: its list, or only its own key when no list is set. Undefined when the file takes no part in cluster checks. */
  readonly accepted?: ReadonlySet<string>;
  /** `accepted` sorted and joined, to compare lists. */
  readonly signature?: string;
}

/** Sets of paths keyed twice, such as lattice → issuer key → paths. */
class Groups {
  private readonly map = new Map<string, Map<string, Set<string>>>();

  add(outer: string, inner: string, path: string): void {
    let byInner = this.map.get(outer);
    if (byInner === undefined) {
      byInner = new Map();
      this.map.set(outer, byInner);
    }
    let paths = byInner.get(inner);
    if (paths === undefined) {
      paths = new Set();
      byInner.set(inner, paths);
    }
    paths.add(path);
  }

  delete(outer: string, inner: string, path: string): void {
    const byInner = this.map.get(outer);
    const paths = byInner?.get(inner);
    if (byInner === undefined || paths === undefined) {
      return;
    }
    paths.delete(path);
    if (paths.size === 0) {
      byInner.delete(inner);
      if (byInner.size === 0) {
        this.map.delete(outer);
      }
    }
  }

  get(outer: string): ReadonlyMap<string, ReadonlySet<string>> | undefined {
    return this.map.get(outer);
  }

  paths(outer: string, inner: string): ReadonlySet<string> | undefined {
    return this.map.get(outer)?.get(inner);
  }
}

/**
 * The workspace rules over every host file, kept up to date one file at a
 * time. `update` re-indexes one file and returns the paths whose workspace
 * findings may have changed: the file itself, files whose findings point at
 * it, and, when its lattice, issuers or seed changed, the peers whose verdict
 * can flip. Findings are computed when asked for and cached until a later
 * update touches the file again.
 *
 * Mismatches are reported on the files that differ from the majority of
 * their group, so one host drifting away marks that host, not all the others.
 * With no clear majority, such as two hosts that disagree, every file of the
 * group is marked.
 */
export class WorkspaceIndex {
  private readonly members = new Map<string, Member>();
  /** Issuer key → lattice → files that list the key, for `lattice-prefix-mismatch`. */
  private readonly latticesByIssuer = new Groups();
  /** Lattice → issuers signature → files, for `lattice-issuers-mismatch`. */
  private readonly signatures = new Groups();
  /** Lattice → issuer key → files that accept the key. */
  private readonly holders = new Groups();
  /** Lattice → seed public key → files that sign with it. */
  private readonly signers = new Groups();
  /** Lattice → files that take part in cluster checks. */
  private readonly latticeMembers = new Map<string, Set<string>>();
  private readonly cache = new Map<string, LintDiagnostic[]>();
  /** File → files its cached findings point at, and the reverse. */
  private readonly references = new Map<string, Set<string>>();
  private readonly referencedBy = new Map<string, Set<string>>();

  constructor(private severities: Readonly<Record<string, SeverityOverride | undefined>> = {}) {}

  /** Number of indexed files. */
  get size(): number {
    return this.members.size;
  }

  paths(): IterableIterator<string> {
    return this.members.keys();
  }

  has(path: string): boolean {
    return this.members.has(path);
  }

  /** Changes the severity overrides; every file's findings must then be read again. */
  setSeverities(severities: Readonly<Record<string, SeverityOverride | undefined>>): string[] {
    this.severities = severities;
    this.cache.clear();
    return [...this.members.keys()];
  }

  /**
   * Indexes the lint result of `path`, or removes the file when `result` is
   * undefined (deleted, closed as non-host file, renamed away). Returns the
   * paths whose workspace findings may have changed, `path` included.
   */
  update(path: string, result: Pick<FileLintResult, 'facts' | 'suppressions'> | undefined): string[] {
    const previous = this.members.get(path);
    const next = result === undefined || !result.facts.isHostFile ? undefined : makeMember(path, result.facts, result.suppressions);
    const affected = new Set<string>([path]);
    for (const other of this.referencedBy.get(path) ?? []) {
      affected.add(other);
    }

    const changed = !sameGroups(previous, next);
    if (changed) {
      this.collectGroupPeers(previous, affected, 'before');
    }
    if (previous !== undefined) {
      this.unindex(previous);
    }
    if (next !== undefined) {
      this.members.set(path, next);
      this.indexMember(next);
    }
    if (changed) {
      this.collectGroupPeers(next, affected, 'after');
      this.collectGroupPeers(previous, affected, 'after');
    }

    for (const other of affected) {
      this.cache.delete(other);
    }
    if (next === undefined) {
      this.setReferences(path, new Set());
    }
    return [...affected];
  }

  /**
   * Indexes many files at once, as a workspace scan or the CLI does, without
   * working out which peers each one affects. Every cached finding is dropped,
   * so read the findings of every path again afterwards.
   */
  updateMany(results: Iterable<readonly [string, Pick<FileLintResult, 'facts' | 'suppressions'> | undefined]>): void {
    for (const [path, result] of results) {
      const previous = this.members.get(path);
      if (previous !== undefined) {
        this.unindex(previous);
      }
      const next = result === undefined || !result.facts.isHostFile ? undefined : makeMember(path, result.facts, result.suppressions);
      if (next !== undefined) {
        this.members.set(path, next);
        this.indexMember(next);
      }
    }
    this.cache.clear();
    this.references.clear();
    this.referencedBy.clear();
  }

  /** Moves a file's entry to a new path, as after a rename. Returns the affected paths. */
  rename(oldPath: string, newPath: string): string[] {
    const member = this.members.get(oldPath);
    if (member === undefined) {
      return [];
    }
    const affected = new Set([...this.update(oldPath, undefined), ...this.update(newPath, { facts: member.facts, suppressions: member.suppressions })]);
    return [...affected];
  }

  /** Returns the workspace findings of `path`, with its disable comments and the severity overrides applied. */
  diagnostics(path: string): LintDiagnostic[] {
    const cached = this.cache.get(path);
    if (cached !== undefined) {
      return cached;
    }
    const member = this.members.get(path);
    const found: LintDiagnostic[] = [];
    const referenced = new Set<string>();
    if (member !== undefined) {
      this.checkPrefix(member, found, referenced);
      this.checkIssuers(member, found, referenced);
    }
    const diagnostics = member === undefined || found.length === 0 ? NO_DIAGNOSTICS : finishDiagnostics(found, member.suppressions, this.severities);
    this.cache.set(path, diagnostics);
    if (referenced.size > 0 || this.references.has(path)) {
      this.setReferences(path, referenced);
    }
    return diagnostics;
  }

  /** Paths of the other host files in the same lattice, for hovers and status. */
  latticePeers(path: string): string[] {
    const member = this.members.get(path);
    if (member === undefined) {
      return [];
    }
    return [...(this.latticeMembers.get(member.facts.lattice) ?? [])].filter((other) => other !== path);
  }

  /** Number of host files in `lattice` that accept `publicKey`, for hovers. */
  acceptedBy(lattice: string, publicKey: string): number {
    return this.holders.paths(lattice, publicKey)?.size ?? 0;
  }

  /** Number of host files in `lattice` that sign with the seed of `publicKey`, for hovers. */
  signedBy(lattice: string, publicKey: string): number {
    return this.signers.paths(lattice, publicKey)?.size ?? 0;
  }

  /** Number of host files in `lattice` that take part in cluster checks. */
  latticeSize(lattice: string): number {
    return this.latticeMembers.get(lattice)?.size ?? 0;
  }

  private indexMember(member: Member): void {
    const facts = member.facts;
    if (facts.issuers !== undefined && comparesIssuers(facts)) {
      for (const issuer of new Set(facts.issuers)) {
        this.latticesByIssuer.add(issuer, facts.lattice, member.path);
      }
    }
    if (member.accepted === undefined || member.signature === undefined) {
      return;
    }
    let paths = this.latticeMembers.get(facts.lattice);
    if (paths === undefined) {
      paths = new Set();
      this.latticeMembers.set(facts.lattice, paths);
    }
    paths.add(member.path);
    this.signatures.add(facts.lattice, member.signature, member.path);
    for (const issuer of member.accepted) {
      this.holders.add(facts.lattice, issuer, member.path);
    }
    if (facts.seedPublicKey !== undefined) {
      this.signers.add(facts.lattice, facts.seedPublicKey, member.path);
    }
  }

  private unindex(member: Member): void {
    this.members.delete(member.path);
    const facts = member.facts;
    if (facts.issuers !== undefined && comparesIssuers(facts)) {
      for (const issuer of new Set(facts.issuers)) {
        this.latticesByIssuer.delete(issuer, facts.lattice, member.path);
      }
    }
    if (member.accepted === undefined || member.signature === undefined) {
      return;
    }
    const paths = this.latticeMembers.get(facts.lattice);
    paths?.delete(member.path);
    if (paths !== undefined && paths.size === 0) {
      this.latticeMembers.delete(facts.lattice);
    }
    this.signatures.delete(facts.lattice, member.signature, member.path);
    for (const issuer of member.accepted) {
      this.holders.delete(facts.lattice, issuer, member.path);
    }
    if (facts.seedPublicKey !== undefined) {
      this.signers.delete(facts.lattice, facts.seedPublicKey, member.path);
    }
  }

  /**
   * Adds the files whose verdict can change when `member` joins or leaves its
   * groups: with the group's majority unchanged, only the files outside it
   * and the signers this member rejects; with a new majority, the whole group.
   */
  private collectGroupPeers(member: Member | undefined, affected: Set<string>, phase: 'before' | 'after'): void {
    if (member === undefined) {
      return;
    }
    const facts = member.facts;
    for (const issuer of comparesIssuers(facts) ? (facts.issuers ?? []) : []) {
      const lattices = this.latticesByIssuer.get(issuer);
      if (lattices === undefined) {
        continue;
      }
      const majority = uniqueLargest(lattices);
      const key = `p:${issuer}`;
      this.noteMajority(key, majority, phase, lattices, affected);
    }
    if (member.accepted === undefined) {
      return;
    }
    const lattice = facts.lattice;
    const signatures = this.signatures.get(lattice);
    if (signatures !== undefined) {
      this.noteMajority(`i:${lattice}`, uniqueLargest(signatures), phase, signatures, affected);
    }
    for (const [seedKey, paths] of this.signers.get(lattice) ?? []) {
      if (!member.accepted.has(seedKey)) {
        addAll(affected, paths);
      }
    }
    if (facts.seedPublicKey !== undefined) {
      // Every member that rejects this seed names this file in its findings.
      for (const path of this.latticeMembers.get(lattice) ?? []) {
        if (!(this.holders.paths(lattice, facts.seedPublicKey)?.has(path) ?? false)) {
          affected.add(path);
        }
      }
    }
  }

  private readonly majorityBefore = new Map<string, string | undefined>();

  private noteMajority(key: string, majority: string | undefined, phase: 'before' | 'after', groups: ReadonlyMap<string, ReadonlySet<string>>, affected: Set<string>): void {
    if (phase === 'before') {
      this.majorityBefore.set(key, majority);
    } else if (this.majorityBefore.has(key) && this.majorityBefore.get(key) !== majority) {
      for (const paths of groups.values()) {
        addAll(affected, paths);
      }
      this.majorityBefore.delete(key);
      return;
    } else {
      this.majorityBefore.delete(key);
    }
    for (const [value, paths] of groups) {
      if (value !== majority) {
        addAll(affected, paths);
      }
    }
  }

  private setReferences(path: string, referenced: Set<string>): void {
    for (const old of this.references.get(path) ?? []) {
      this.referencedBy.get(old)?.delete(path);
    }
    if (referenced.size === 0) {
      this.references.delete(path);
      return;
    }
    this.references.set(path, referenced);
    for (const other of referenced) {
      let back = this.referencedBy.get(other);
      if (back === undefined) {
        back = new Set();
        this.referencedBy.set(other, back);
      }
      back.add(path);
    }
  }

  private checkPrefix(member: Member, found: LintDiagnostic[], referenced: Set<string>): void {
    const facts = member.facts;
    if (!comparesIssuers(facts) || facts.issuers === undefined) {
      return;
    }
    // Other lattice → the largest number of its hosts sharing one issuer with this one, and a few of them.
    const others = new Map<string, { count: number; examples: string[] }>();
    for (const issuer of new Set(facts.issuers)) {
      const lattices = this.latticesByIssuer.get(issuer);
      if (lattices === undefined || lattices.size < 2 || uniqueLargest(lattices) === facts.lattice) {
        continue;
      }
      for (const [lattice, paths] of lattices) {
        if (lattice === facts.lattice) {
          continue;
        }
        let other = others.get(lattice);
        if (other === undefined) {
          other = { count: 0, examples: [] };
          others.set(lattice, other);
        }
        other.count = Math.max(other.count, paths.size);
        for (const path of paths) {
          if (other.examples.length >= MAX_RELATED) {
            break;
          }
          if (!other.examples.includes(path)) {
            other.examples.push(path);
          }
        }
      }
    }
    if (others.size === 0) {
      return;
    }

    // The largest other lattices first; messages, links and fixes name only the first few.
    const ranked = [...others].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1));
    const related: RelatedInformation[] = [];
    const fixes: LintFix[] = [];
    const summaries: string[] = [];
    for (const [lattice, other] of ranked.slice(0, MAX_NAMED_LATTICES)) {
      summaries.push(`${quoteValue(lattice)} (${other.count} host file${other.count === 1 ? '' : 's'})`);
      for (const path of other.examples) {
        const peer = this.members.get(path);
        if (peer === undefined || related.length >= MAX_RELATED) {
          continue;
        }
        referenced.add(path);
        related.push({ file: path, range: latticeRange(peer.facts), message: `This host joins the lattice ${quoteValue(lattice)} with the same cluster issuers.` });
      }
      fixes.push({ title: `Change the lattice to ${quoteValue(lattice)}`, preferred: others.size === 1, edits: [latticeEdit(facts, lattice)] });
    }
    if (ranked.length > MAX_NAMED_LATTICES) {
      summaries.push(`${ranked.length - MAX_NAMED_LATTICES} more lattices`);
    }
    found.push({
      code: 'lattice-prefix-mismatch',
      severity: ruleInfo('lattice-prefix-mismatch').severity,
      key: facts.latticeEntry?.key ?? latticeVariables(undefined)[0],
      range: latticeRange(facts),
      message: `Hosts that share cluster issuers with this one join ${summaries.join(' and ')}, but this host joins ${quoteValue(facts.lattice)}, so they won't see each other. Use the same lattice name on every host.`,
      related,
      fixes,
    });
  }

  private checkIssuers(member: Member, found: LintDiagnostic[], referenced: Set<string>): void {
    const facts = member.facts;
    if (member.accepted === undefined || member.signature === undefined) {
      return;
    }
    const lattice = facts.lattice;
    const latticePaths = this.latticeMembers.get(lattice);
    if (latticePaths === undefined || latticePaths.size < 2) {
      return;
    }

    // This host's seed, rejected by others.
    if (facts.seedPublicKey !== undefined && facts.seedEntry !== undefined) {
      const seedKey = facts.seedPublicKey;
      const holding = this.holders.paths(lattice, seedKey);
      const rejecterCount = latticePaths.size - (holding?.size ?? 0) - (holding?.has(member.path) === true ? 0 : 1);
      const rejecters = rejecterCount > 0 ? [...latticePaths].filter((path) => path !== member.path && !(holding?.has(path) ?? false)) : [];
      if (rejecters.length > 0) {
        const related: RelatedInformation[] = [];
        const edits: LintEdit[] = [];
        for (const path of rejecters.slice(0, MAX_RELATED)) {
          const other = this.members.get(path);
          if (other === undefined) {
            continue;
          }
          referenced.add(path);
          related.push({ file: path, range: issuersRange(other.facts), message: `This host does not accept ${seedKey}.` });
        }
        for (const path of rejecters) {
          const other = this.members.get(path);
          if (other?.facts.issuersEntry !== undefined) {
            edits.push(appendIssuers(other.facts.issuersEntry, [seedKey], path));
          }
        }
        found.push({
          code: 'lattice-issuers-mismatch',
          severity: 'error',
          key: facts.seedEntry.key,
          range: facts.seedEntry.valueRange,
          message: `${rejecters.length === 1 ? '1 other host file' : `${rejecters.length} other host files`} in lattice ${quoteValue(lattice)} ${rejecters.length === 1 ? 'does' : 'do'} not list ${seedKey}, the public key of this host's cluster seed, in their issuers, so those hosts reject this host's invocations. Add the key to their issuers.`,
          related,
          ...(edits.length === 0 ? {} : { fixes: [{ title: `Add ${seedKey.slice(0, 8)}… to the issuers of ${edits.length} other host file${edits.length === 1 ? '' : 's'}`, preferred: true, edits }] }),
        });
      }
    }

    // Other hosts' seeds this host rejects, or a list that differs from the lattice's.
    const signatures = this.signatures.get(lattice);
    const majority = signatures === undefined ? undefined : uniqueLargest(signatures);
    if (majority === member.signature) {
      return;
    }
    const missing = new Map<string, string[]>();
    for (const [seedKey, paths] of this.signers.get(lattice) ?? []) {
      if (!member.accepted.has(seedKey)) {
        const others = [...paths].filter((path) => path !== member.path);
        if (others.length > 0) {
          missing.set(seedKey, others);
        }
      }
    }
    const target = facts.issuersEntry;
    const range = target?.valueRange ?? facts.seedEntry?.keyRange ?? latticeRange(facts);
    if (missing.size > 0) {
      const related: RelatedInformation[] = [];
      for (const [seedKey, paths] of missing) {
        for (const path of paths.slice(0, MAX_RELATED)) {
          const other = this.members.get(path);
          if (other?.facts.seedEntry === undefined) {
            continue;
          }
          referenced.add(path);
          related.push({ file: path, range: other.facts.seedEntry.valueRange, message: `This host signs with ${seedKey}.` });
        }
      }
      const keys = [...missing.keys()];
      const hostCount = new Set([...missing.values()].flat()).size;
      found.push({
        code: 'lattice-issuers-mismatch',
        severity: 'error',
        key: target?.key ?? 'WASMCLOUD_CLUSTER_ISSUERS',
        range,
        message: `${target === undefined ? 'WASMCLOUD_CLUSTER_ISSUERS is not set, so this host accepts only its own key and' : 'This host'} does not list ${keys.join(', ')}, the cluster key${keys.length === 1 ? '' : 's'} of ${hostCount} other host file${hostCount === 1 ? '' : 's'} in lattice ${quoteValue(lattice)}, so it rejects their invocations. Add ${keys.length === 1 ? 'the key' : 'the keys'} to its issuers.`,
        related,
        ...(target === undefined ? {} : { fixes: [{ title: `Add ${keys.length} missing issuer${keys.length === 1 ? '' : 's'} to WASMCLOUD_CLUSTER_ISSUERS`, preferred: true, edits: [appendIssuers(target, keys)] }] }),
      });
      return;
    }

    const ownCount = signatures?.get(member.signature)?.size ?? 1;
    const peerCount = majority === undefined ? latticePaths.size - ownCount : (signatures?.get(majority)?.size ?? 0);
    if (peerCount === 0) {
      return;
    }
    const peers = majority === undefined ? firstOf(latticePaths, MAX_RELATED, (path) => this.members.get(path)?.signature !== member.signature) : firstOf(signatures?.get(majority) ?? [], MAX_RELATED, () => true);
    const related: RelatedInformation[] = [];
    for (const path of peers) {
      const other = this.members.get(path);
      if (other === undefined) {
        continue;
      }
      referenced.add(path);
      related.push({ file: path, range: issuersRange(other.facts), message: 'This host has a different issuers list.' });
    }
    const fixes: LintFix[] = [];
    const model = majority === undefined ? undefined : this.members.get(peers[0]);
    if (model?.accepted !== undefined && target !== undefined) {
      fixes.push({ title: 'Use the issuers list of the other hosts in this lattice', preferred: true, edits: [{ range: target.valueRange, newText: [...model.accepted].join(',') }] });
    }
    found.push({
      code: 'lattice-issuers-mismatch',
      severity: 'warning',
      key: target?.key ?? 'WASMCLOUD_CLUSTER_ISSUERS',
      range,
      message: `This host's cluster issuers differ from those of ${peerCount} other host file${peerCount === 1 ? '' : 's'} in lattice ${quoteValue(lattice)}. No host is rejected today, but a host that later signs with a key only some lists hold will be. Give every host in the lattice the same list.`,
      related,
      fixes,
    });
  }
}

/**
 * Checks whether the cluster checks compare this file with others: not for
 * 1.x hosts, and not when its lattice, seed or issuers come from
 * substitution, because their values are unknown here.
 */
function comparesIssuers(facts: HostFacts): boolean {
  return facts.usesClusterKeys && facts.usesSubstitution !== true;
}

function makeMember(path: string, facts: HostFacts, suppressions: Suppressions): Member {
  if (!comparesIssuers(facts) || (facts.seedPublicKey === undefined && facts.issuers === undefined)) {
    return { path, facts, suppressions };
  }
  const accepted = new Set(facts.issuers ?? (facts.seedPublicKey === undefined ? [] : [facts.seedPublicKey]));
  return { path, facts, suppressions, accepted, signature: [...accepted].sort().join(',') };
}

/** Whether two versions of a file belong to the same groups, so no peer's verdict can change. */
function sameGroups(a: Member | undefined, b: Member | undefined): boolean {
  if (a === undefined || b === undefined) {
    return a === b;
  }
  return (
    a.facts.lattice === b.facts.lattice &&
    comparesIssuers(a.facts) === comparesIssuers(b.facts) &&
    a.facts.seedPublicKey === b.facts.seedPublicKey &&
    a.signature === b.signature &&
    (a.facts.issuers ?? []).join(',') === (b.facts.issuers ?? []).join(',')
  );
}

/** Returns the value with the most paths, or undefined on a tie. */
function uniqueLargest(groups: ReadonlyMap<string, ReadonlySet<string>>): string | undefined {
  let best: string | undefined;
  let bestSize = -1;
  let tied = false;
  for (const [value, paths] of groups) {
    if (paths.size > bestSize) {
      best = value;
      bestSize = paths.size;
      tied = false;
    } else if (paths.size === bestSize) {
      tied = true;
    }
  }
  return tied ? undefined : best;
}

function latticeRange(facts: HostFacts): SourceRange {
  return facts.latticeEntry?.valueRange ?? facts.issuersEntry?.keyRange ?? facts.seedEntry?.keyRange ?? { start: 0, end: 0, startLine: 0, startColumn: 0, endLine: 0, endColumn: 0 };
}

function issuersRange(facts: HostFacts): SourceRange {
  return facts.issuersEntry?.valueRange ?? facts.seedEntry?.keyRange ?? latticeRange(facts);
}

/** Sets the lattice name: replaces the value, or adds a line before the issuers when no variable names the lattice. */
function latticeEdit(facts: HostFacts, lattice: string): LintEdit {
  if (facts.latticeEntry !== undefined) {
    return { range: facts.latticeEntry.valueRange, newText: lattice };
  }
  const anchor = facts.issuersEntry?.keyRange ?? facts.seedEntry?.keyRange;
  const start = anchor === undefined ? 0 : anchor.start - anchor.startColumn;
  const line = anchor?.startLine ?? 0;
  const variable = facts.usesClusterKeys ? 'WASMCLOUD_LATTICE_PREFIX' : 'WASMCLOUD_LATTICE';
  return { range: { start, end: start, startLine: line, startColumn: 0, endLine: line, endColumn: 0 }, newText: `${variable}=${lattice}\n` };
}

function appendIssuers(entry: FactEntry, keys: readonly string[], file?: string): LintEdit {
  const existing = entry.value.split(',').filter((part) => part.length > 0);
  return { range: entry.valueRange, newText: [...existing, ...keys].join(','), ...(file === undefined ? {} : { file }) };
}

/** Returns the first `limit` items of `items` that pass `keep`, without copying the rest. */
function firstOf(items: Iterable<string>, limit: number, keep: (item: string) => boolean): string[] {
  const result: string[] = [];
  for (const item of items) {
    if (result.length >= limit) {
      break;
    }
    if (keep(item)) {
      result.push(item);
    }
  }
  return result;
}

function addAll(target: Set<string>, paths: Iterable<string>): void {
  for (const path of paths) {
    target.add(path);
  }
}

