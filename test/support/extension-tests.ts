/**
 * Runs mocha suites inside the VS Code extension host, for the standard
 * `extensionTestsPath` entry (`run()`). Each result goes to the console and,
 * when `WCL_TEST_RESULTS` names a file, to that file as one JSON line, which
 * the code-server runner reads to print results and count them.
 */
import { appendFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** One line of the results file. */
export type ResultEvent =
  | { event: 'start'; total: number }
  | { event: 'pass'; title: string; durationMs: number }
  | { event: 'fail'; title: string; error: string }
  | { event: 'pending'; title: string }
  | { event: 'end'; tests: number; passes: number; failures: number; pending: number };

/** Environment variables the runner sets for the extension host. */
export const RESULTS_FILE_ENV = 'WCL_TEST_RESULTS';
export const GREP_ENV = 'WCL_TEST_GREP';

/** Lists `*.test.js` files under `folder`, sorted, so suites run in a stable order. */
export function findTestFiles(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      found.push(...findTestFiles(full));
    } else if (entry.name.endsWith('.test.js')) {
      found.push(full);
    }
  }
  return found.sort();
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    return error.stack ?? `${error.name}: ${error.message}`;
  }
  return String(error);
}

/** Mocha reporter that prints one line per test and appends JSON lines to the results file. */
class ResultsReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions) {
    super(runner, options);
    const resultsFile = process.env[RESULTS_FILE_ENV];
    const emit = (event: ResultEvent): void => {
      if (resultsFile !== undefined && resultsFile !== '') {
        appendFileSync(resultsFile, `${JSON.stringify(event)}\n`);
      }
    };

    runner.once(Mocha.Runner.constants.EVENT_RUN_BEGIN, () => {
      emit({ event: 'start', total: runner.total });
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, (test) => {
      console.log(`  ok    ${test.fullTitle()} (${test.duration ?? 0} ms)`);
      emit({ event: 'pass', title: test.fullTitle(), durationMs: test.duration ?? 0 });
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test, error) => {
      console.log(`  FAIL  ${test.fullTitle()}\n${describeFailure(error)}`);
      emit({ event: 'fail', title: test.fullTitle(), error: describeFailure(error) });
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (test) => {
      console.log(`  skip  ${test.fullTitle()}`);
      emit({ event: 'pending', title: test.fullTitle() });
    });
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const stats = runner.stats ?? { tests: 0, passes: 0, failures: 0, pending: 0 };
      console.log(`${stats.passes} passed, ${stats.failures} failed`);
      emit({ event: 'end', tests: stats.tests, passes: stats.passes, failures: stats.failures, pending: stats.pending });
    });
  }
}

/**
 * Runs every `*.test.js` under `folder` with mocha's TDD interface and
 * rejects when a test fails, so VS Code reports exit code 1. A run where no
 * test matched resolves: the runner counts tests across all its parts.
 */
export async function runExtensionTests(folder: string): Promise<void> {
  const grep = process.env[GREP_ENV];
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: 60_000,
    reporter: ResultsReporter,
    ...(grep !== undefined && grep !== '' ? { grep: new RegExp(grep) } : {}),
  });
  for (const file of findTestFiles(folder)) {
    mocha.addFile(file);
  }
  await mocha.loadFilesAsync();

  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run((count) => resolve(count));
    if (runner.total === 0) {
      console.log(`No extension tests matched in ${folder}${grep ? ` for grep /${grep}/` : ''}.`);
    }
  });
  if (failures > 0) {
    throw new Error(`${failures} extension test(s) failed.`);
  }
}
