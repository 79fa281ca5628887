import * as vscode from 'vscode';
import { generateKey } from '../../core/keys/generate';
import type { LintDiagnostic, LintFix } from '../../core/rules/types';
import { DISABLE_NEXT_LINE } from '../../core/rules/lint';
import type { LintController } from './controller';
import { DIAGNOSTIC_SOURCE, toRange } from './documents';

/** Internal command that applies a fix needing a new key pair; hidden from the Command Palette. */
export const APPLY_FIX_COMMAND = 'wasmcloudLattice.applyLintFix';

/**
 * Offers each finding's fixes as quick fixes, plus a comment that turns the
 * rule off for the line. Fixes are WorkspaceEdits, so Undo reverts them.
 */
export class LintCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly controller: LintController) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const published = this.controller.publishedFor(document.uri);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) {
        continue;
      }
      const match = published.find((pair) => pair.diagnostic.code === diagnostic.code && pair.diagnostic.range.isEqual(diagnostic.range) && pair.diagnostic.message === diagnostic.message);
      if (match === undefined) {
        continue;
      }
      for (const fix of match.finding.fixes ?? []) {
        actions.push(codeAction(document.uri, diagnostic, fix));
      }
      actions.push(disableAction(document, diagnostic, match.finding));
    }
    return actions;
  }
}

function codeAction(uri: vscode.Uri, diagnostic: vscode.Diagnostic, fix: LintFix): vscode.CodeAction {
  const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.isPreferred = fix.preferred;
  if (fix.generateKey === undefined) {
    action.edit = workspaceEdit(uri, fix, {});
  } else {
    // The key pair is generated only when the fix is chosen, never while listing fixes.
    action.command = { command: APPLY_FIX_COMMAND, title: fix.title, arguments: [uri, fix] };
  }
  return action;
}

function disableAction(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, finding: LintDiagnostic): vscode.CodeAction {
  const line = finding.range.startLine;
  const indent = document.lineAt(Math.min(line, document.lineCount - 1)).text.match(/^\s*/)?.[0] ?? '';
  const action = new vscode.CodeAction(`Disable ${finding.code} for this line`, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.edit = new vscode.WorkspaceEdit();
  action.edit.insert(document.uri, new vscode.Position(line, 0), `${indent}# ${DISABLE_NEXT_LINE} ${finding.code}${document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n'}`);
  return action;
}

/** Builds the WorkspaceEdit of a fix; `values` fill the `{{seed}}` and `{{publicKey}}` placeholders. */
export function workspaceEdit(uri: vscode.Uri, fix: LintFix, values: { seed?: string; publicKey?: string }): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const change of fix.edits) {
    const target = change.file === undefined || change.file === '' ? uri : vscode.Uri.parse(change.file);
    const text = change.newText.replace(/\{\{seed\}\}/g, values.seed ?? '').replace(/\{\{publicKey\}\}/g, values.publicKey ?? '');
    edit.replace(target, toRange(change.range), text);
  }
  return edit;
}

/** Generates the key pair a fix needs and applies the fix. The seed goes only into the document. */
export async function applyFixWithNewKey(uri: vscode.Uri, fix: LintFix): Promise<boolean> {
  if (fix.generateKey === undefined) {
    return vscode.workspace.applyEdit(workspaceEdit(uri, fix, {}));
  }
  const key = generateKey(fix.generateKey);
  return vscode.workspace.applyEdit(workspaceEdit(uri, fix, key));
}
