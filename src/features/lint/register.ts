import * as vscode from 'vscode';
import { describeError, redactSecrets } from '../../core/log';
import type { LintFix } from '../../core/rules/types';
import type { StoredKeysReader } from '../keys/key-store';
import type { FeatureDeps } from '../shared/deps';
import { APPLY_FIX_COMMAND, LintCodeActions, applyFixWithNewKey } from './code-actions';
import { LintCompletion } from './completion';
import { LintController } from './controller';
import { LINT_SELECTOR, isLintTarget } from './documents';
import { LintHover } from './hover';
import { affectsLintSettings } from './settings';
import { WorkspacePass } from './workspace-pass';

/**
 * Registers .env validation: diagnostics, quick fixes, hovers and completion
 * for host .env files, and the lazy workspace pass for the cross-file rules.
 *
 * Activation: package.json lists `onLanguage:dotenv` and, for editors without
 * a `dotenv` language (VS Code before 1.106), the languages a `prod.env` or
 * `.env` file opens in there: `plaintext`, `properties`, `shellscript` and
 * `ini`. That costs nothing until such a file is opened, and activate() only
 * registers. `workspaceContains:**\/*.env` was rejected because it makes VS
 * Code search every workspace at startup, and contributing a language with
 * `.env` file patterns was rejected because it would change the user's file
 * associations. A file of another language is linted once the extension is
 * active, since the document selector and this feature match by file name too.
 */
export function registerLint(context: vscode.ExtensionContext, deps: FeatureDeps, storedKeys?: StoredKeysReader): LintController {
  const controller = new LintController(deps.logger);
  const workspacePass = new WorkspacePass(controller, deps.logger);
  context.subscriptions.push(controller, workspacePass);

  const lint = (document: vscode.TextDocument, debounce: boolean): void => {
    if (!isLintTarget(document)) {
      return;
    }
    controller.lintDocument(document, debounce);
    if (controller.resultFor(document.uri)?.facts.isHostFile === true || debounce) {
      void workspacePass.start();
    }
  };

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((document) => lint(document, false)),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length > 0) {
        lint(event.document, true);
      }
    }),
    vscode.workspace.onDidCloseTextDocument((document) => controller.closeDocument(document.uri)),
    // VS Code may keep a document alive after its last editor closed, so tabs decide too.
    vscode.window.tabGroups.onDidChangeTabs((event) => {
      for (const tab of event.closed) {
        const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
        if (uri !== undefined && !isShownInTab(uri)) {
          controller.closeDocument(uri);
        }
      }
      for (const tab of event.opened) {
        const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
        const document = uri === undefined ? undefined : vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
        if (document !== undefined && !controller.isOpen(document.uri)) {
          lint(document, false);
        }
      }
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsLintSettings(event)) {
        controller.relintAll();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => controller.relintAll()),
    vscode.languages.registerCodeActionsProvider(LINT_SELECTOR, new LintCodeActions(controller), LintCodeActions.metadata),
    vscode.languages.registerHoverProvider(LINT_SELECTOR, new LintHover(controller)),
    vscode.languages.registerCompletionItemProvider(LINT_SELECTOR, new LintCompletion(controller, storedKeys), ...LintCompletion.triggerCharacters),
    vscode.commands.registerCommand(APPLY_FIX_COMMAND, async (uri: vscode.Uri, fix: LintFix) => {
      try {
        return await applyFixWithNewKey(uri, fix);
      } catch (error) {
        deps.logger.error(`Quick fix '${fix.title}' failed`, error);
        void deps.prompter.get().notify('error', `Quick fix failed: ${redactSecrets(describeError(error))}`);
        return false;
      }
    }),
  );
  // Documents that were open before activation, such as the one that activated
  // the extension, are linted after activate() returns, which keeps it cheap.
  const initial = setTimeout(() => {
    for (const document of vscode.workspace.textDocuments) {
      lint(document, false);
    }
  }, 0);
  context.subscriptions.push({ dispose: () => clearTimeout(initial) });
  return controller;
}

function isShownInTab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === key));
}
