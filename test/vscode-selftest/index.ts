import { runExtensionTests } from '../support/extension-tests';

/**
 * Entry for the runner's self-test only: the suites here fail on purpose, so
 * the runner can check that a failing extension test makes the run fail.
 */
export function run(): Promise<void> {
  return runExtensionTests(__dirname);
}
