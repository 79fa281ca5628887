import { cpus } from 'node:os';

/** One row of `bench/results.json`. */
export interface BenchResult {
  name: string;
  /** The measured figure: a median time, a size or a memory peak; NaN (null in the JSON) when the benchmark could not run. */
  value: number;
  unit: 'ms' | 'KB' | 'MB' | 'ratio';
  /** Name of the reference the figure is compared with, or null for an absolute target. */
  reference: string | null;
  referenceValue: number | null;
  /** value / referenceValue, or null for an absolute target. */
  ratio: number | null;
  /** Human-readable target, such as `ratio <= 1.1` or `<= 400 KB`. */
  target: string;
  pass: boolean;
  /** Spread of the runs behind `value` and `referenceValue`, for the table. */
  min?: number;
  max?: number;
  referenceMin?: number;
  referenceMax?: number;
  runs?: number;
  /** Context for the row, such as what the figure covers or why it could not be measured. Printed under the table. */
  note?: string;
}

export interface Benchmark {
  name: string;
  /** One line for the table and BENCHMARKS.md. */
  description: string;
  run(): Promise<BenchResult>;
}

const cleanups: (() => unknown)[] = [];

/** Registers a step that `runCleanups` runs when the benchmarks are done, such as stopping a server. */
export function onCleanup(step: () => unknown): void {
  cleanups.push(step);
}

/** Runs the registered cleanup steps, newest first. A failing step is reported and the others still run. */
export async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    const step = cleanups.pop() as () => unknown;
    try {
      await step();
    } catch (error) {
      console.error(`Cleanup after the benchmarks failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

export interface Sample {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export interface MeasureOptions {
  /** Untimed calls before the timed ones, so the JIT has compiled the hot code (default 3). */
  warmup?: number;
  /** Maximum number of timed calls (default 9). */
  runs?: number;
  /**
   * Stop after this many milliseconds of timed work, once `minRuns` calls
   * are done, so a slow benchmark keeps the whole run within minutes.
   */
  budgetMs?: number;
  /** Minimum number of timed calls when a budget is set (default 3). */
  minRuns?: number;
  /** Untimed step before every call of `work`, such as refilling a stream that the call purges. */
  prepareWork?: () => unknown;
  /** Untimed step before every call of `reference`. */
  prepareReference?: () => unknown;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Multiplies a sample's figures, as when timed batches stand for a larger amount of work. */
export function scaleSample(sample: Sample, factor: number): Sample {
  return { median: sample.median * factor, min: sample.min * factor, max: sample.max * factor, runs: sample.runs };
}

/** Summarizes timings or other figures as median, min and max. */
export function summarize(values: number[]): Sample {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

/**
 * Times one call. No garbage collection is forced before it: right after
 * `global.gc()`, parseDotenv on the 10,000-line file took 2–40 ms instead of
 * 1.4 ms, while dotenv.parse barely changed. A shrunken young generation is
 * the likely cause, but that was not traced in V8.
 */
async function timeOnce(work: () => unknown, prepare?: () => unknown): Promise<number> {
  await prepare?.();
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function budgetSpent(options: MeasureOptions, done: number, spentMs: number): boolean {
  return options.budgetMs !== undefined && done >= (options.minRuns ?? 3) && spentMs >= options.budgetMs;
}

/** Times `work` in milliseconds: `warmup` untimed calls, then the median of the timed calls. */
export async function measure(work: () => unknown, options: MeasureOptions = {}): Promise<Sample> {
  for (let i = 0; i < (options.warmup ?? 3); i++) {
    await options.prepareWork?.();
    await work();
  }
  const times: number[] = [];
  let spent = 0;
  for (let i = 0; i < (options.runs ?? 9) && !budgetSpent(options, i, spent); i++) {
    times.push(await timeOnce(work, options.prepareWork));
    spent += times[times.length - 1];
  }
  return summarize(times);
}

/**
 * Times `work` and `reference` in alternating runs, so that a change in machine
 * load during the run affects both medians alike. The side that goes first
 * swaps every run (reference, work, work, reference, …), so that neither
 * always runs right after the other's garbage or server-side cleanup.
 */
export async function measurePair(
  work: () => unknown,
  reference: () => unknown,
  options: MeasureOptions = {},
): Promise<{ work: Sample; reference: Sample }> {
  for (let i = 0; i < (options.warmup ?? 3); i++) {
    await options.prepareReference?.();
    await reference();
    await options.prepareWork?.();
    await work();
  }
  const workTimes: number[] = [];
  const referenceTimes: number[] = [];
  let spent = 0;
  for (let i = 0; i < (options.runs ?? 9) && !budgetSpent(options, i, spent); i++) {
    if (i % 2 === 0) {
      referenceTimes.push(await timeOnce(reference, options.prepareReference));
      workTimes.push(await timeOnce(work, options.prepareWork));
    } else {
      workTimes.push(await timeOnce(work, options.prepareWork));
      referenceTimes.push(await timeOnce(reference, options.prepareReference));
    }
    spent += referenceTimes[i] + workTimes[i];
  }
  return { work: summarize(workTimes), reference: summarize(referenceTimes) };
}

/** Builds a ratio row from a measured pair: passes when value / reference <= maxRatio. */
export function ratioResult(
  name: string,
  pair: { work: Sample; reference: Sample },
  reference: string,
  maxRatio: number,
  note?: string,
): BenchResult {
  const ratio = pair.work.median / pair.reference.median;
  return {
    name,
    value: round(pair.work.median),
    unit: 'ms',
    reference,
    referenceValue: round(pair.reference.median),
    ratio: Number(ratio.toPrecision(3)),
    target: `ratio <= ${maxRatio}`,
    pass: ratio <= maxRatio,
    min: round(pair.work.min),
    max: round(pair.work.max),
    referenceMin: round(pair.reference.min),
    referenceMax: round(pair.reference.max),
    runs: pair.work.runs,
    ...(note === undefined ? {} : { note }),
  };
}

/**
 * Builds a row for an absolute limit such as a size, a memory peak or a
 * latency. A `Sample` gives the median as the value and its spread.
 */
export function limitResult(name: string, value: number | Sample, unit: BenchResult['unit'], limit: number, note?: string): BenchResult {
  const sample = typeof value === 'number' ? undefined : value;
  const figure = sample === undefined ? (value as number) : sample.median;
  return {
    name,
    value: round(figure),
    unit,
    reference: null,
    referenceValue: null,
    ratio: null,
    target: `<= ${limit} ${unit}`,
    pass: figure <= limit,
    ...(sample === undefined ? {} : { min: round(sample.min), max: round(sample.max), runs: sample.runs }),
    ...(note === undefined ? {} : { note }),
  };
}

/** Builds a row for a benchmark that could not run here, with the reason; it counts as failed. */
export function failedResult(name: string, target: string, reason: string): BenchResult {
  return { name, value: Number.NaN, unit: 'ms', reference: null, referenceValue: null, ratio: null, target, pass: false, note: reason };
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export interface MachineFacts {
  cpuModel: string;
  cores: number;
  node: string;
  platform: string;
  date: string;
}

export function machineFacts(): MachineFacts {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model ?? 'unknown',
    cores: cpuList.length,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
  };
}
