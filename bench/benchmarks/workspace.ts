/**
 * `lint-workspace` and `lint-incremental`: the workspace rules over 2,000
 * host files, and re-checking after one of them changes. Both come from one
 * measuring loop, because the full pass is both the first row's work and the
 * second row's reference, and one pass takes seconds.
 */
import { lintText, type FileLintResult } from '../../src/core/rules/lint';
import { WorkspaceIndex } from '../../src/core/rules/workspace';
import { Prefix } from '@nats-io/nkeys';
import { SeededRandom, seededSeed, type GeneratedHostFile } from '../../test/support/host-files';
import { ratioResult, summarize, type Benchmark, type BenchResult } from '../harness';
import { WORKSPACE_FILES, WORKSPACE_SEED, workspaceFiles } from '../inputs';

const MAX_WORKSPACE_RATIO = 1.3;
const MAX_INCREMENTAL_RATIO = 0.02;
/** Full passes measured; each one is followed by the incremental edits. */
const MAX_ROUNDS = 5;
const MIN_ROUNDS = 3;
/** Stop adding rounds after this much measured time. */
const BUDGET_MS = 60_000;
/** Edited files per round; each is changed and then changed back, so a round makes twice as many edits. */
const EDITED_FILES = 6;

/** Files linted and indexed together, as the extension's workspace pass does. */
const INDEX_BATCH = 100;

/** A fixed clock, so JWT expiry checks see the same time in every run. */
const NOW = Date.UTC(2026, 5, 1);

interface WorkspaceFile {
  readonly key: string;
  readonly text: string;
}

function elapsed(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs the single-file rules on every file and nothing across files: the reference. */
function lintEachFile(files: readonly WorkspaceFile[]): number {
  let findings = 0;
  for (const file of files) {
    findings += lintText(file.text, { now: NOW }).diagnostics.length;
  }
  return findings;
}

/**
 * Runs the full pass as the extension's workspace pass does: lints the files
 * and indexes them in batches of 100, then reads every file's workspace
 * findings. Once its batch is indexed, only the index keeps anything of a file.
 */
function fullPass(files: readonly WorkspaceFile[]): { index: WorkspaceIndex; findings: number } {
  const index = new WorkspaceIndex();
  let findings = 0;
  for (let start = 0; start < files.length; start += INDEX_BATCH) {
    const batch: [string, FileLintResult][] = [];
    for (const file of files.slice(start, start + INDEX_BATCH)) {
      const result = lintText(file.text, { now: NOW });
      findings += result.diagnostics.length;
      batch.push([file.key, result]);
    }
    index.updateMany(batch);
  }
  for (const file of files) {
    findings += index.diagnostics(file.key).length;
  }
  return { index, findings };
}

/**
 * Re-checks one changed file as the extension does on an edit: lint its new
 * text, update the index, and read the workspace findings of every file the
 * update reports as affected. Returns the number of affected files.
 */
function recheck(index: WorkspaceIndex, key: string, text: string): number {
  const result = lintText(text, { now: NOW });
  const affected = index.update(key, result);
  for (const path of affected) {
    index.diagnostics(path);
  }
  return affected.length;
}

/**
 * Picks the edits to time, on hosts of different lattices that use cluster
 * keys. Half rename the host's lattice, which moves it out of its group of
 * peers. Half rotate its cluster seed, so every peer that lists the old key
 * now rejects it. Both make other files' findings stale, as a comment edit
 * would not.
 */
function editTargets(files: readonly GeneratedHostFile[]): { index: number; changed: string }[] {
  const random = new SeededRandom(WORKSPACE_SEED);
  const targets: { index: number; changed: string }[] = [];
  const step = Math.floor(files.length / EDITED_FILES);
  for (let position = 0; targets.length < EDITED_FILES && position < files.length; position += step) {
    for (let index = position; index < files.length; index++) {
      const text = files[index].text;
      const lattice = /^(?:export )?WASMCLOUD_LATTICE_PREFIX ?= ?(.+)$/m.exec(text);
      const seed = /^(?:export )?WASMCLOUD_CLUSTER_SEED ?= ?(.+)$/m.exec(text);
      if (lattice === null || seed === null) {
        continue;
      }
      const changed =
        targets.length % 2 === 0 ? text.replace(lattice[0], `${lattice[0]}-moved`) : text.replace(seed[0], seed[0].replace(seed[1], seededSeed(random, Prefix.Cluster)));
      targets.push({ index, changed });
      break;
    }
  }
  return targets;
}

interface Measured {
  workspace: BenchResult;
  incremental: BenchResult;
}

let measured: Promise<Measured> | undefined;

async function measureBoth(): Promise<Measured> {
  const generated = workspaceFiles();
  const files: WorkspaceFile[] = generated.map((file) => ({ key: `file:///workspace/${file.path}`, text: file.text }));
  const targets = editTargets(generated);

  const perFileTimes: number[] = [];
  const fullTimes: number[] = [];
  const editTimes: number[] = [];
  const affectedCounts: number[] = [];
  let spent = 0;
  for (let round = 0; round < MAX_ROUNDS && !(round >= MIN_ROUNDS && spent >= BUDGET_MS); round++) {
    // The side that goes first swaps every round, as in measurePair.
    const timeReference = (): void => {
      const start = process.hrtime.bigint();
      lintEachFile(files);
      perFileTimes.push(elapsed(start));
    };
    if (round % 2 === 0) {
      timeReference();
    }
    let start = process.hrtime.bigint();
    const { index } = fullPass(files);
    fullTimes.push(elapsed(start));
    if (round % 2 === 1) {
      timeReference();
    }
    spent += perFileTimes[round] + fullTimes[round];

    for (const target of targets) {
      const file = files[target.index];
      for (const text of [target.changed, file.text]) {
        start = process.hrtime.bigint();
        affectedCounts.push(recheck(index, file.key, text));
        editTimes.push(elapsed(start));
      }
    }
  }

  const full = summarize(fullTimes);
  return {
    workspace: ratioResult('lint-workspace', { work: full, reference: summarize(perFileTimes) }, `lintText on each of the ${WORKSPACE_FILES.toLocaleString('en')} files`, MAX_WORKSPACE_RATIO),
    incremental: ratioResult(
      'lint-incremental',
      { work: summarize(editTimes), reference: full },
      'the full workspace pass',
      MAX_INCREMENTAL_RATIO,
      `an edit re-checked ${summarize(affectedCounts).median} files (median; ${Math.min(...affectedCounts)}–${Math.max(...affectedCounts)}) of ${files.length}`,
    ),
  };
}

function measureOnce(): Promise<Measured> {
  measured ??= measureBoth();
  return measured;
}

export const lintWorkspaceBenchmark: Benchmark = {
  name: 'lint-workspace',
  description: `workspace rules over ${WORKSPACE_FILES.toLocaleString('en')} host files in nested folders, against lintText on each file`,
  run: async () => (await measureOnce()).workspace,
};

export const lintIncrementalBenchmark: Benchmark = {
  name: 'lint-incremental',
  description: `re-checking one changed file of the ${WORKSPACE_FILES.toLocaleString('en')}, against the full workspace pass`,
  run: async () => (await measureOnce()).incremental,
};
