/**
 * Runs the benchmarks, prints a table and writes bench/results.json.
 * Usage: node .bench/out/bench/index.js [--only NAME[,NAME…]]
 * (`npm run bench -- --only NAME` builds everything first).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { failedResult, machineFacts, runCleanups, type Benchmark, type BenchResult } from './harness';
import { benchmarks } from './registry';
import { benchPaths } from './support/paths';

function parseOnly(argv: string[]): string[] | undefined {
  const index = argv.indexOf('--only');
  if (index === -1) {
    return undefined;
  }
  const value = argv[index + 1];
  if (value === undefined || value.startsWith('-')) {
    throw new Error('--only needs a benchmark name, for example --only parse');
  }
  return value.split(',');
}

function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? '—' : String(value);
}

function formatRow(result: BenchResult): string[] {
  const spread = result.min === undefined ? '' : ` (${result.min}–${result.max})`;
  const referenceSpread = result.referenceMin === undefined ? '' : ` (${result.referenceMin}–${result.referenceMax})`;
  return [
    result.name,
    `${formatNumber(result.value)} ${result.unit}${spread}`,
    result.reference === null ? '—' : `${formatNumber(result.referenceValue)} ms${referenceSpread}`,
    formatNumber(result.ratio),
    result.target,
    result.pass ? 'pass' : 'FAIL',
  ];
}

/** Formats results as a Markdown table, which reads in a terminal and pastes into BENCHMARKS.md. */
export function markdownTable(results: BenchResult[]): string {
  const header = ['benchmark', 'value (min–max)', 'reference (min–max)', 'ratio', 'target', 'result'];
  const rows = results.map(formatRow);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]): string => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  const notes = results.filter((result) => result.note !== undefined).map((result) => `- ${result.name}: ${result.note}`);
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line), ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}

async function main(): Promise<number> {
  const only = parseOnly(process.argv.slice(2));
  const unknown = only?.filter((name) => !benchmarks.some((benchmark) => benchmark.name === name)) ?? [];
  if (unknown.length > 0) {
    console.error(`Unknown benchmark: ${unknown.join(', ')}. Known: ${benchmarks.map((benchmark) => benchmark.name).join(', ')}.`);
    return 2;
  }
  const selected: Benchmark[] = only === undefined ? benchmarks : benchmarks.filter((benchmark) => only.includes(benchmark.name));

  const results: BenchResult[] = [];
  const started = Date.now();
  try {
    for (const benchmark of selected) {
      process.stdout.write(`running ${benchmark.name}: ${benchmark.description}\n`);
      const benchmarkStart = Date.now();
      try {
        results.push(await benchmark.run());
      } catch (error) {
        // One broken benchmark must not hide the others' figures.
        console.error(`  ${benchmark.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        results.push(failedResult(benchmark.name, 'see the error above', error instanceof Error ? error.message : String(error)));
      }
      process.stdout.write(`  done in ${((Date.now() - benchmarkStart) / 1000).toFixed(1)} s\n`);
    }
  } finally {
    await runCleanups();
  }

  const facts = machineFacts();
  console.log(`\n${facts.cpuModel}, ${facts.cores} cores, Node ${facts.node}, ${facts.platform}; ${((Date.now() - started) / 1000).toFixed(0)} s in all\n`);
  console.log(markdownTable(results));

  const file = path.join(benchPaths().root, 'bench', 'results.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ machine: facts, results }, null, 2)}\n`);
  console.log(`\nWrote ${path.relative(process.cwd(), file)}`);
  return results.every((result) => result.pass) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 2;
  },
);
