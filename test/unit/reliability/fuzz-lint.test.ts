/**
 * Seeded fuzzing of the .env parser and every rule: single-file rules
 * (`lintText`), the rules that read creds files and ask git
 * (`lintEnvironment`) and the cross-file rules (`WorkspaceIndex`). Inputs are
 * random bytes, random UTF-16 text and mutations of host files (realistic ones
 * from test/support/host-files.ts and odd shapes from test/support/fuzz.ts),
 * fed both as the raw text the CLI reads and as the text VS Code shows.
 *
 * Every input must lint without throwing. Every range must lie inside its
 * document and agree with its offsets, and every code must be a rule code
 * listed in docs/rules.md. No message may contain a seed.
 *
 * WCL_FUZZ_SEED sets the seed (random by default, always printed),
 * WCL_FUZZ_COUNT the number of inputs (default 100,000), and
 * WCL_FUZZ_CASE=family:index replays one input. A failure prints the seed,
 * the case, the mutations and the input, and writes the input's bytes to
 * test-results/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { fromSeed } from '@nats-io/nkeys';
import { parseDotenv, type SourceRange } from '../../../src/core/dotenv/index';
import { RULE_CODES, type SeverityOverride } from '../../../src/core/rules/codes';
import { lintEnvironment, type GitStatus, type LintHost } from '../../../src/core/rules/environment';
import { lintText, type FileLintResult } from '../../../src/core/rules/lint';
import type { HostVersionSetting } from '../../../src/core/rules/profile';
import type { LintDiagnostic } from '../../../src/core/rules/types';
import { WorkspaceIndex } from '../../../src/core/rules/workspace';
import {
  DocumentLines,
  Rng,
  decodeAsVsCode,
  fuzzSeedFromEnv,
  generateHostFile,
  hostFileOf,
  makeKeyPool,
  positiveIntFromEnv,
  randomBytes,
  randomMutations,
  type KeyPool,
} from '../../support/fuzz';
import { hostWorkspace } from '../../support/host-files';
import { findSeeds } from '../../support/secret-capture';

const root = path.resolve(__dirname, '../../../..');
const SEED = fuzzSeedFromEnv();
const TOTAL = positiveIntFromEnv('WCL_FUZZ_COUNT', 100_000);
const REPLAY = process.env.WCL_FUZZ_CASE;

/** Share of the inputs per family; the counts add up to TOTAL. */
const FAMILIES = [
  { name: 'mutated-host-file', share: 0.55 },
  { name: 'random-bytes', share: 0.25 },
  { name: 'host-file', share: 0.1 },
  { name: 'random-utf16', share: 0.1 },
] as const;
type Family = (typeof FAMILIES)[number]['name'];

function familyCount(family: Family): number {
  const index = FAMILIES.findIndex((candidate) => candidate.name === family);
  const before = FAMILIES.slice(0, index).reduce((sum, candidate) => sum + Math.round(candidate.share * TOTAL), 0);
  return index === FAMILIES.length - 1 ? Math.max(0, TOTAL - before) : Math.round(FAMILIES[index].share * TOTAL);
}

/** Codes in the rule table of docs/rules.md: rows that start with a code and its default severity. */
function documentedCodes(): Set<string> {
  const docs = readFileSync(path.join(root, 'docs', 'rules.md'), 'utf8');
  const codes = new Set<string>();
  for (const match of docs.matchAll(/^\| `([a-z0-9-]+)` \| (?:error|warning|info|hint)\b/gm)) {
    codes.add(match[1]);
  }
  return codes;
}

const DOCUMENTED = documentedCodes();
const KNOWN_CODES = new Set<string>(RULE_CODES.filter((code) => DOCUMENTED.has(code)));
const SEVERITIES = new Set(['error', 'warning', 'info', 'hint']);
const HOST_VERSIONS: readonly HostVersionSetting[] = ['auto', 'otp', '0.8x', '1.x'];
const OVERRIDES: readonly SeverityOverride[] = ['error', 'warning', 'info', 'hint', 'off'];
/** A message longer than this is not "one sentence naming the problem and the fix". */
const MAX_MESSAGE_LENGTH = 2_000;
const encoder = new TextEncoder();

/** One input, and enough to describe it when it fails. */
interface FuzzCase {
  family: Family;
  index: number;
  /** How the text was made: the mutations, or the decoding. */
  recipe: string[];
  bytes?: Uint8Array;
  text: string;
}

/** What a failed check is about; each has its own test, so one bug fails one test. */
type CheckKind = 'throws' | 'range' | 'code' | 'seed' | 'message';

/** Groups failures that differ only in numbers and quoted text, so one bug is reported once with its count. */
function failureClass(problem: string): string {
  return problem
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\{[^}]*\}/g, '{…}')
    .replace(/\d+/g, 'N')
    .slice(0, 160);
}

/** Collects failed checks by kind and class, keeping the first input of each class. */
class Findings {
  private readonly byKind = new Map<CheckKind, Map<string, { count: number; problem: string; fuzzCase: FuzzCase }>>();
  inputs = 0;

  add(kind: CheckKind, fuzzCase: FuzzCase, problem: string): void {
    let classes = this.byKind.get(kind);
    if (classes === undefined) {
      classes = new Map();
      this.byKind.set(kind, classes);
    }
    const key = failureClass(problem);
    const known = classes.get(key);
    if (known === undefined) {
      classes.set(key, { count: 1, problem, fuzzCase });
    } else {
      known.count++;
    }
  }

  /** Returns a report of every class of `kind`, or '' when none failed. */
  report(kind: CheckKind): string {
    const classes = [...(this.byKind.get(kind)?.values() ?? [])];
    if (classes.length === 0) {
      return '';
    }
    const failing = classes.reduce((sum, entry) => sum + entry.count, 0);
    const parts = classes.slice(0, 12).map((entry) => `${describeCase(entry.fuzzCase, entry.problem)}\n  (${entry.count} failing check${entry.count === 1 ? '' : 's'} of this kind)`);
    return `${failing} failing check${failing === 1 ? '' : 's'} in ${classes.length} kind${classes.length === 1 ? '' : 's'} among ${this.inputs} inputs (seed ${SEED}):\n\n${parts.join('\n\n')}`;
  }
}

function describeCase(fuzzCase: FuzzCase, problem: string): string {
  const dir = path.join(root, 'test-results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `fuzz-failure-${SEED}-${fuzzCase.family}-${fuzzCase.index}.txt`);
  writeFileSync(file, fuzzCase.bytes ?? fuzzCase.text);
  const excerpt = fuzzCase.text.length > 1_500 ? `${fuzzCase.text.slice(0, 1_500)}… (${fuzzCase.text.length} characters)` : fuzzCase.text;
  return [
    problem.length > 600 ? `${problem.slice(0, 600)}…` : problem,
    `  seed ${SEED}, case ${fuzzCase.family}:${fuzzCase.index}; replay with WCL_FUZZ_SEED=${SEED} WCL_FUZZ_CASE=${fuzzCase.family}:${fuzzCase.index}`,
    `  recipe: ${fuzzCase.recipe.join('; ') || '(none)'}`,
    `  input (JSON): ${JSON.stringify(excerpt)}`,
    `  input written to ${path.relative(root, file)}`,
  ].join('\n');
}

/** Checks of one input, reporting into `findings`. */
class CaseChecker {
  constructor(
    private readonly findings: Findings,
    readonly fuzzCase: FuzzCase,
  ) {}

  fail(kind: CheckKind, problem: string): void {
    this.findings.add(kind, this.fuzzCase, problem);
  }

  /** Runs `work`, recording a throw; returns undefined when it threw. */
  async attempt<T>(operation: string, work: () => T | Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      this.fail('throws', `${operation} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return undefined;
    }
  }

  range(lines: DocumentLines, range: SourceRange, subject: string): void {
    const text = lines.text;
    const described = `${subject} ${JSON.stringify(range)}`;
    if (!(Number.isInteger(range.start) && Number.isInteger(range.end) && range.start >= 0 && range.start <= range.end && range.end <= text.length)) {
      this.fail('range', `${described} lies outside the document of ${text.length} characters`);
      return;
    }
    const ends: [number, number, number][] = [
      [range.start, range.startLine, range.startColumn],
      [range.end, range.endLine, range.endColumn],
    ];
    for (const [offset, line, column] of ends) {
      if (!(line >= 0 && line < lines.lineCount && column >= 0 && column <= lines.lengths[line])) {
        const lineInfo = line >= 0 && line < lines.lineCount ? `, line ${line} has ${lines.lengths[line]} characters` : '';
        this.fail('range', `${described}: position ${line}:${column} is not in the document (${lines.lineCount} lines${lineInfo})`);
        return;
      }
      const [expectedLine, expectedColumn] = lines.positionAt(offset);
      if (expectedLine !== line || expectedColumn !== column) {
        this.fail('range', `${described}: offset ${offset} is at ${expectedLine}:${expectedColumn}, not ${line}:${column}`);
        return;
      }
    }
  }

  /** Checks the findings of `file`. `documents` contains the text of every file a finding may point into. */
  diagnostics(file: string, diagnostics: readonly LintDiagnostic[], documents: ReadonlyMap<string, DocumentLines>): void {
    const own = documents.get(file) as DocumentLines;
    for (const diagnostic of diagnostics) {
      const label = `${diagnostic.code} in '${file}'`;
      if (!KNOWN_CODES.has(diagnostic.code)) {
        this.fail('code', `finding code '${diagnostic.code}' is not a rule code documented in docs/rules.md`);
      }
      if (!SEVERITIES.has(diagnostic.severity)) {
        this.fail('code', `${label} has severity '${diagnostic.severity}'`);
      }
      if (typeof diagnostic.message !== 'string' || diagnostic.message.trim() === '') {
        this.fail('message', `${label} has an empty message`);
      } else if (diagnostic.message.length > MAX_MESSAGE_LENGTH) {
        this.fail('message', `${label} has a message of ${diagnostic.message.length} characters: ${JSON.stringify(diagnostic.message.slice(0, 200))}…`);
      }
      this.range(own, diagnostic.range, label);

      const texts = [diagnostic.message];
      for (const related of diagnostic.related ?? []) {
        const target = related.file === '' ? own : documents.get(related.file);
        if (target === undefined) {
          this.fail('range', `${label} points at '${related.file}', which is not one of the linted files`);
        } else {
          this.range(target, related.range, `related information of ${label}`);
        }
        texts.push(related.message);
      }
      for (const fix of diagnostic.fixes ?? []) {
        texts.push(fix.title);
        for (const edit of fix.edits) {
          const target = edit.file === undefined ? own : documents.get(edit.file);
          if (target === undefined) {
            this.fail('range', `quick fix of ${label} edits '${String(edit.file)}', which is not one of the linted files`);
          } else {
            this.range(target, edit.range, `edit of a quick fix of ${label}`);
          }
        }
      }
      for (const text of texts) {
        const [seed] = findSeeds(text);
        if (seed !== undefined) {
          this.fail('seed', `${label} shows a seed (${seed.slice(0, 4)}…) in ${JSON.stringify(text.replace(seed, `${seed.slice(0, 4)}…`).slice(0, 300))}`);
        }
      }
    }
  }
}

/** Returns an in-memory LintHost: creds files from the key pool, and a git status picked per file. */
function memoryHost(pool: KeyPool, rng: Rng): LintHost {
  const statuses: GitStatus[] = ['tracked', 'untracked', 'ignored', 'outside'];
  return {
    readFile: async (file: string) => pool.credsFiles.get(path.basename(file)),
    gitStatus: async () => rng.pick(statuses),
  };
}

/** Cross-file state: the last files linted, indexed together. */
class Workspace {
  readonly index = new WorkspaceIndex();
  readonly documents = new Map<string, DocumentLines>();
  private readonly order: string[] = [];
  private counter = 0;

  constructor(private readonly size: number) {}

  /** Indexes `result` under a new or reused path, evicts and renames files, and checks the findings of every affected file. */
  add(check: CaseChecker, lines: DocumentLines, result: FileLintResult, rng: Rng): void {
    const reuse = this.order.length > 0 && rng.chance(0.2);
    const file = reuse ? rng.pick(this.order) : `/fuzz/hosts/h${this.counter++}/.env`;
    if (!reuse) {
      this.order.push(file);
    }
    this.documents.set(file, lines);
    let affected = this.index.update(file, result);

    if (this.order.length > this.size) {
      const evicted = this.order.shift() as string;
      affected = [...affected, ...this.index.update(evicted, undefined)];
      this.documents.delete(evicted);
    }
    if (rng.chance(0.05) && this.order.length > 1) {
      const from = rng.pick(this.order.filter((candidate) => candidate !== file));
      const to = `/fuzz/hosts/r${this.counter++}/.env`;
      affected = [...affected, ...this.index.rename(from, to)];
      this.documents.set(to, this.documents.get(from) as DocumentLines);
      this.documents.delete(from);
      this.order[this.order.indexOf(from)] = to;
    }
    for (const other of new Set(affected)) {
      if (this.documents.has(other)) {
        check.diagnostics(other, this.index.diagnostics(other), this.documents);
      }
    }
  }
}

function lintOptions(rng: Rng): { hostVersion: HostVersionSetting; severities: Record<string, SeverityOverride>; now: number } {
  const severities: Record<string, SeverityOverride> = {};
  if (rng.chance(0.2)) {
    for (let count = rng.range(1, 4); count > 0; count--) {
      severities[rng.pick(RULE_CODES)] = rng.pick(OVERRIDES);
    }
  }
  return { hostVersion: rng.pick(HOST_VERSIONS), severities, now: 1_750_000_000_000 };
}

/** Runs the parser and every rule on one input and checks the results. */
async function lintCase(check: CaseChecker, rng: Rng, pool: KeyPool, workspace: Workspace): Promise<void> {
  const text = check.fuzzCase.text;
  const lines = new DocumentLines(text);
  const documents = new Map([['', lines]]);

  const parsed = await check.attempt('parseDotenv', () => parseDotenv(text));
  for (const entry of parsed?.entries ?? []) {
    check.range(lines, entry.keyRange, `key range of ${entry.key.slice(0, 40)}`);
    check.range(lines, entry.valueRange, `value range of ${entry.key.slice(0, 40)}`);
  }
  for (const problem of parsed?.problems ?? []) {
    check.range(lines, problem.range, `parser problem ${problem.code}`);
  }

  const options = lintOptions(rng);
  const result = await check.attempt(`lintText with ${JSON.stringify(options)}`, () => lintText(text, options));
  if (result === undefined) {
    return;
  }
  check.diagnostics('', result.diagnostics, documents);

  const environment = await check.attempt('lintEnvironment', () => lintEnvironment('/fuzz/hosts/current/.env', result, memoryHost(pool, rng), options));
  check.diagnostics('', environment ?? [], documents);

  await check.attempt('the workspace rules', () => workspace.add(check, lines, result, rng));
}

function makeCase(family: Family, index: number, rng: Rng, pool: KeyPool): FuzzCase {
  switch (family) {
    case 'random-bytes': {
      const bytes = randomBytes(rng);
      const asVsCode = rng.chance(0.5);
      const text = asVsCode ? decodeAsVsCode(bytes) : new TextDecoder('utf-8').decode(bytes);
      return { family, index, recipe: [asVsCode ? 'decoded as VS Code' : 'decoded as UTF-8 with replacement, line ends kept'], bytes, text };
    }
    case 'random-utf16': {
      const length = rng.int(400);
      let text = '';
      const alphabet = ['=', '#', '"', "'", '`', '\\', '\n', '\r', ' ', 'A', 'S', '_', ':', ',', '\u2028', '\ufeff', '\u0000'];
      for (let i = 0; i < length; i++) {
        text += rng.chance(0.7) ? rng.pick(alphabet) : String.fromCharCode(rng.int(0x10000));
      }
      return { family, index, recipe: ['random UTF-16 code units, lone surrogates included'], text };
    }
    case 'host-file': {
      const file = generateHostFile(rng, pool);
      const bytes = encoder.encode(file.text);
      const asVsCode = rng.chance(0.5);
      return { family, index, recipe: [asVsCode ? 'decoded as VS Code' : 'raw'], bytes, text: asVsCode ? decodeAsVsCode(bytes) : file.text };
    }
    case 'mutated-host-file': {
      // Realistic bases lint about ten times slower (their seeds need key derivation), so they are 40% of the bases.
      const realistic = rng.chance(0.4);
      const file = realistic ? hostFileOf(rng.pick(realisticFiles())) : generateHostFile(rng, pool);
      const mutations = randomMutations(rng, file);
      let bytes: Uint8Array = encoder.encode(file.text);
      for (const mutation of mutations) {
        bytes = mutation.apply(bytes);
      }
      const asVsCode = rng.chance(0.5);
      const text = asVsCode ? decodeAsVsCode(bytes) : new TextDecoder('utf-8').decode(bytes);
      const base = realistic ? 'realistic host file' : 'generated host file';
      return { family, index, recipe: [base, ...mutations.map((mutation) => mutation.name), asVsCode ? 'decoded as VS Code' : 'decoded as UTF-8, line ends kept'], bytes, text };
    }
  }
}

let realistic: string[] | undefined;

/** Host files of a seeded workspace from test/support/host-files.ts, made once per run. */
function realisticFiles(): string[] {
  realistic ??= hostWorkspace({ seed: SEED, files: 300 }).map((file) => file.text);
  return realistic;
}

/** The case's own generator, so one case can be replayed without the ones before it. */
function caseRng(family: Family, index: number): Rng {
  const familyIndex = FAMILIES.findIndex((candidate) => candidate.name === family);
  return new Rng(SEED, familyIndex * 0x1000000 + index);
}

/** Fails with the report of `kind` when any check of that kind failed; assert.fail keeps the report from being printed three times as a diff. */
function assertNone(findings: Findings, kind: CheckKind): void {
  const report = findings.report(kind);
  if (report !== '') {
    assert.fail(report);
  }
}

async function runFamily(family: Family, pool: KeyPool, findings: Findings): Promise<void> {
  const workspace = new Workspace(24);
  let first = 0;
  let count = familyCount(family);
  if (REPLAY !== undefined && REPLAY !== '') {
    const [replayFamily, replayIndex] = REPLAY.split(':');
    if (replayFamily !== family) {
      return;
    }
    first = Number(replayIndex);
    count = first + 1;
  }
  for (let index = first; index < count; index++) {
    const rng = caseRng(family, index);
    const fuzzCase = makeCase(family, index, rng, pool);
    await lintCase(new CaseChecker(findings, fuzzCase), rng, pool, workspace);
    findings.inputs++;
  }
}

describe('fuzz: .env parser and rules', () => {
  const pool = makeKeyPool(SEED);
  const findings = new Findings();

  before(async () => {
    const scope = REPLAY === undefined || REPLAY === '' ? `${TOTAL} inputs` : `replaying case ${REPLAY}`;
    console.log(`# fuzz seed ${SEED} (repeat with WCL_FUZZ_SEED=${SEED}), ${scope}`);
    for (const family of FAMILIES) {
      await runFamily(family.name, pool, findings);
    }
  });

  it('docs list every rule code', () => {
    assert.deepEqual(
      RULE_CODES.filter((code) => !DOCUMENTED.has(code)),
      [],
    );
  });

  it('key pool decodes with @nats-io/nkeys', () => {
    for (const key of [...pool.clusters, ...pool.users, ...pool.servers, ...pool.accounts]) {
      assert.equal(fromSeed(encoder.encode(key.seed)).getPublicKey(), key.publicKey);
      assert.equal(key.seed[1], key.letter);
      assert.equal(key.publicKey[0], key.letter);
    }
  });

  it('runs the whole input budget', () => {
    const expected = REPLAY === undefined || REPLAY === '' ? TOTAL : 1;
    assert.equal(findings.inputs, expected);
    assert.ok(TOTAL >= 100_000 || process.env.WCL_FUZZ_COUNT !== undefined, `only ${TOTAL} inputs`);
  });

  it('nothing throws', () => {
    assertNone(findings, 'throws');
  });

  it('ranges lie inside the document', () => {
    assertNone(findings, 'range');
  });

  it('codes are documented rule codes', () => {
    assertNone(findings, 'code');
  });

  it('no message shows a seed', () => {
    assertNone(findings, 'seed');
  });

  it('messages quote values shortened', () => {
    assertNone(findings, 'message');
  });
});
