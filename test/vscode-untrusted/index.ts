import { runExtensionTests } from '../support/extension-tests';

/**
 * Entry for the runner's restricted-mode session: a second code-server with
 * workspace trust on opens a folder that was never trusted, and the suites here run
 * in it (scripts/vscode/run-tests.mjs, `untrustedSuites`).
 */
export function run(): Promise<void> {
  return runExtensionTests(__dirname);
}
