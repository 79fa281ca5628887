/**
 * Root hooks that run around every extension suite and record what the
 * product showed or wrote, for the secret scan that the runner
 * (scripts/vscode/run-tests.mjs) performs after the run. They record every
 * log line, every notification of the real prompter, every diagnostic
 * message, and each state of the `wasmcloudLattice` settings. Scripted prompters record
 * their prompts themselves (test/support/scripted-prompter.ts).
 *
 * Nothing is checked here; without the runner's WCL_SECRET_CAPTURE variable
 * nothing is written.
 */
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/features/shared/deps';
import { recordShownText } from '../../support/secret-capture';

const SETTINGS_SECTION = 'wasmcloudLattice';
const DIAGNOSTIC_SOURCE = 'wasmCloud Lattice';

let api: ExtensionApi | undefined;
let notificationsSeen = 0;
const subscriptions: vscode.Disposable[] = [];

/** Records the notifications the real prompter showed since the last call. */
function recordNewNotifications(): void {
  const all = api?.notifications() ?? [];
  // The record keeps the last 500; count from the end when it wrapped.
  const fresh = notificationsSeen > all.length ? all : all.slice(notificationsSeen);
  for (const text of fresh) {
    recordShownText('notification', text);
  }
  notificationsSeen = all.length;
}

function recordSettings(): void {
  const inspected = vscode.workspace.getConfiguration().inspect<unknown>(SETTINGS_SECTION);
  recordShownText('settings', JSON.stringify({ global: inspected?.globalValue, workspace: inspected?.workspaceValue, folder: inspected?.workspaceFolderValue }));
}

suiteSetup(async () => {
  const extension = vscode.extensions.all.find((candidate) => candidate.packageJSON?.name === 'wasmcloud-lattice') as vscode.Extension<ExtensionApi> | undefined;
  api = await extension?.activate();
  if (api === undefined) {
    return;
  }
  subscriptions.push(
    api.onDidLog((line) => recordShownText('log', line)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTINGS_SECTION)) {
        recordSettings();
      }
    }),
    vscode.languages.onDidChangeDiagnostics((event) => {
      for (const uri of event.uris) {
        for (const diagnostic of vscode.languages.getDiagnostics(uri)) {
          if (diagnostic.source === DIAGNOSTIC_SOURCE) {
            recordShownText('diagnostic', [diagnostic.message, ...(diagnostic.relatedInformation ?? []).map((info) => info.message)].join('\n'));
          }
        }
      }
    }),
  );
  recordSettings();
});

teardown(() => {
  recordNewNotifications();
});

suiteTeardown(() => {
  recordNewNotifications();
  recordSettings();
  for (const subscription of subscriptions.splice(0)) {
    subscription.dispose();
  }
});
