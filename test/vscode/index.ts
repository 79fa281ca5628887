import { runExtensionTests } from '../support/extension-tests';

/** Entry VS Code calls through `extensionTestsPath`: runs every suite in this folder. */
export function run(): Promise<void> {
  return runExtensionTests(__dirname);
}
