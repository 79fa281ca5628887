import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SourceRange } from '../../core/dotenv/lines';
import type { Severity } from '../../core/rules/codes';

/** `.env`, `.env.local`, `prod.env` and similar names, the same set the CLI searches for. */
const ENV_FILE_NAME = /^\.env$|^\.env\..+|.\.env$/i;

/** Glob of the file names above, for file searches, watchers and document selectors. */
export const ENV_FILE_GLOB = '**/{.env,.env.*,*.env}';

/**
 * Documents the linter looks at: language `dotenv` (built into VS Code 1.106
 * and later, and contributed by dotenv extensions), or a file named like a
 * .env file whatever language it was opened in. The file associations of the
 * user are never changed.
 */
export const LINT_SELECTOR: vscode.DocumentSelector = [{ language: 'dotenv' }, { pattern: ENV_FILE_GLOB }];

export function isLintTarget(document: vscode.TextDocument): boolean {
  return document.languageId === 'dotenv' || isEnvFileName(path.posix.basename(document.uri.path));
}

export function isEnvFileName(name: string): boolean {
  return ENV_FILE_NAME.test(name);
}

export function toRange(range: SourceRange): vscode.Range {
  return new vscode.Range(range.startLine, range.startColumn, range.endLine, range.endColumn);
}

export function toSeverity(severity: Severity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'info':
      return vscode.DiagnosticSeverity.Information;
    default:
      return vscode.DiagnosticSeverity.Hint;
  }
}

/** Source shown next to every finding in the Problems panel. */
export const DIAGNOSTIC_SOURCE = 'wasmCloud Lattice';
