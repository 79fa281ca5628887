import * as vscode from 'vscode';
import { lintEnvironment, nodeLintHost, type LintHost } from '../../core/rules/environment';
import { createGitStatusCache } from '../../core/rules/git-status';
import { finishDiagnostics, lintText, type FileLintResult, type LintOptions } from '../../core/rules/lint';
import type { LintDiagnostic } from '../../core/rules/types';
import { WorkspaceIndex } from '../../core/rules/workspace';
import type { Logger } from '../../core/log';
import { DIAGNOSTIC_SOURCE, isLintTarget, toRange, toSeverity } from './documents';
import { lintSettings } from './settings';

/** Delay after the last keystroke before a document is linted again. */
export const LINT_DEBOUNCE_MS = 250;

/**
 * Delay after a change to git's index or an ignore file before open host files
 * are checked again. One git command can write the index several times.
 */
const GIT_CHANGE_DEBOUNCE_MS = 500;

/** A published VS Code diagnostic and the finding it came from, for quick fixes. */
export interface PublishedFinding {
  readonly diagnostic: vscode.Diagnostic;
  readonly finding: LintDiagnostic;
}

interface OpenState {
  readonly document: vscode.TextDocument;
  result?: FileLintResult;
  environment: LintDiagnostic[];
  timer?: ReturnType<typeof setTimeout>;
  /** Increases with every lint, so a slow environment check of an older text is dropped. */
  generation: number;
}

/**
 * Lints open documents, keeps the workspace index current and publishes the
 * findings. Open host files show every finding; host files that are not open
 * show only the workspace findings from the workspace pass.
 */
export class LintController implements vscode.Disposable {
  readonly index = new WorkspaceIndex();
  private readonly collection = vscode.languages.createDiagnosticCollection('wasmcloud-lattice');
  private readonly open = new Map<string, OpenState>();
  private readonly published = new Map<string, PublishedFinding[]>();
  /** URIs of indexed files that are not open, so their workspace findings can be published. */
  private readonly closedUris = new Map<string, vscode.Uri>();
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  /** One git status cache for every open file, so that an edit reuses its result instead of starting git processes. */
  private readonly gitStatus = createGitStatusCache();
  private readonly localHost: LintHost = { readFile: nodeLintHost.readFile, gitStatus: (filePath) => this.gitStatus.status(filePath) };
  /** Watchers of git's index and .gitignore files, created with the first git check. */
  private gitWatchers: vscode.Disposable[] | undefined;
  private gitChangeTimer: ReturnType<typeof setTimeout> | undefined;

  /** Fires after the findings of a file were published. */
  readonly onDidPublish = this.changeEmitter.event;

  constructor(private readonly logger: Logger) {}

  dispose(): void {
    for (const state of this.open.values()) {
      clearTimeout(state.timer);
    }
    clearTimeout(this.gitChangeTimer);
    for (const watcher of this.gitWatchers ?? []) {
      watcher.dispose();
    }
    this.collection.dispose();
    this.changeEmitter.dispose();
  }

  /** Lints a document now, or after the debounce delay when `debounce` is set. */
  lintDocument(document: vscode.TextDocument, debounce = false): void {
    if (!isLintTarget(document)) {
      return;
    }
    const key = document.uri.toString();
    let state = this.open.get(key);
    if (state === undefined) {
      state = { document, environment: [], generation: 0 };
      this.open.set(key, state);
      this.closedUris.delete(key);
    }
    clearTimeout(state.timer);
    if (debounce) {
      const pending = state;
      pending.timer = setTimeout(() => this.runLint(pending), LINT_DEBOUNCE_MS);
    } else {
      this.runLint(state);
    }
  }

  /** Whether the linter tracks `uri` as an open document. */
  isOpen(uri: vscode.Uri): boolean {
    return this.open.has(uri.toString());
  }

  /**
   * Drops the findings of a closed document, or of a document whose last
   * editor tab closed. Its workspace findings stay when the file on disk is a
   * host file.
   */
  closeDocument(uri: vscode.Uri): void {
    const key = uri.toString();
    const state = this.open.get(key);
    if (state === undefined) {
      return;
    }
    clearTimeout(state.timer);
    this.open.delete(key);
    this.collection.delete(uri);
    this.published.delete(key);
    if (uri.scheme !== 'file') {
      this.publishAll(this.index.update(key, undefined));
      return;
    }
    // The saved file is what stays in the workspace; read it again.
    void this.indexFromDisk(uri);
  }

  /** Indexes a file that is not open, as found by the workspace pass or a file watcher. */
  indexClosedFile(uri: vscode.Uri, text: string): void {
    const key = uri.toString();
    if (this.open.has(key)) {
      return;
    }
    const settings = lintSettings(uri);
    const result = lintText(text, { hostVersion: settings.hostVersion, severities: settings.severities });
    if (result.facts.isHostFile) {
      this.closedUris.set(key, uri);
    } else {
      this.closedUris.delete(key);
    }
    this.publishAll(this.index.update(key, result));
  }

  /**
   * Indexes a batch of files that are not open, as the workspace pass reads
   * them, and publishes the open documents' findings and the batch's. Call
   * `publishEverything` when the last batch is in.
   */
  indexClosedFiles(files: readonly (readonly [vscode.Uri, string])[]): void {
    const results: [string, FileLintResult][] = [];
    for (const [uri, text] of files) {
      const key = uri.toString();
      if (this.open.has(key)) {
        continue;
      }
      const settings = lintSettings(uri);
      const result = lintText(text, { hostVersion: settings.hostVersion, severities: settings.severities });
      if (result.facts.isHostFile) {
        this.closedUris.set(key, uri);
        results.push([key, result]);
      }
    }
    this.index.updateMany(results);
    this.publishAll([...this.open.keys(), ...results.map(([key]) => key)]);
  }

  /** Publishes the findings of every open and indexed file, after a bulk update. */
  publishEverything(): void {
    this.publishAll([...new Set([...this.open.keys(), ...this.closedUris.keys()])]);
  }

  /** Removes a deleted file from the index. */
  removeFile(uri: vscode.Uri): void {
    const key = uri.toString();
    if (this.open.has(key)) {
      return;
    }
    this.closedUris.delete(key);
    this.collection.delete(uri);
    this.published.delete(key);
    this.publishAll(this.index.update(key, undefined));
  }

  async indexFromDisk(uri: vscode.Uri): Promise<void> {
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      this.indexClosedFile(uri, new TextDecoder().decode(bytes));
    } catch {
      this.removeFile(uri);
    }
  }

  /** Lints every open document again, after a setting or workspace trust changed. */
  relintAll(): void {
    for (const state of this.open.values()) {
      this.lintDocument(state.document);
    }
    for (const uri of [...this.closedUris.values()]) {
      void this.indexFromDisk(uri);
    }
  }

  /** Returns the lint result of an open document, for hovers, completion and quick fixes. */
  resultFor(uri: vscode.Uri): FileLintResult | undefined {
    return this.open.get(uri.toString())?.result;
  }

  /** Returns the findings published for a file, paired with their VS Code diagnostics. */
  publishedFor(uri: vscode.Uri): readonly PublishedFinding[] {
    return this.published.get(uri.toString()) ?? [];
  }

  private runLint(state: OpenState): void {
    const document = state.document;
    const key = document.uri.toString();
    state.timer = undefined;
    state.generation++;
    const generation = state.generation;
    const settings = lintSettings(document.uri);

    let result: FileLintResult;
    try {
      result = lintText(document.getText(), { hostVersion: settings.hostVersion, severities: settings.severities });
    } catch (error) {
      this.logger.error(`Linting ${document.uri.toString(true)} failed`, error);
      return;
    }
    state.result = result;
    // An untitled document or a view such as git's older version is linted on its own and left out of the index, so it changes no other file's findings.
    const affected = this.index.update(key, isWorkspaceFile(document.uri) ? result : undefined);
    this.publishAll(affected);

    const host = this.environmentHost(document.uri);
    if (host !== undefined && result.facts.isHostFile) {
      // Creds files and git are checked from the next turn of the event loop
      // on, so that no file or git call delays sending the findings above.
      setImmediate(() => this.checkEnvironment(state, generation, result, host, settings.severities));
    } else {
      state.environment = [];
    }
  }

  /** Runs the creds file and git rules for the lint of `generation`, and publishes their findings with the others. */
  private checkEnvironment(state: OpenState, generation: number, result: FileLintResult, host: LintHost, severities: LintOptions['severities']): void {
    const document = state.document;
    const key = document.uri.toString();
    const current = (): boolean => state.generation === generation && this.open.get(key) === state;
    if (!current()) {
      return;
    }
    lintEnvironment(document.uri.fsPath, result, host, { severities }).then(
      (environment) => {
        if (current()) {
          state.environment = environment;
          this.publish(key);
        }
      },
      (error: unknown) => this.logger.error(`Checking creds files and git status of ${document.uri.toString(true)} failed`, error),
    );
  }

  /** Creds files and git are only read for local files in a trusted workspace: git may run commands from a repository's config. */
  private environmentHost(uri: vscode.Uri): LintHost | undefined {
    if (uri.scheme !== 'file') {
      return undefined;
    }
    if (!vscode.workspace.isTrusted) {
      return undefined;
    }
    this.watchGitFiles();
    return this.localHost;
  }

  /**
   * Checks the open host files again when git's index or a .gitignore in the
   * workspace changes, so that `git add`, `git rm --cached` or an edited
   * .gitignore updates seed-in-tracked-file without an edit. The git cache
   * notices such changes by itself at the next check; this only starts one.
   */
  private watchGitFiles(): void {
    if (this.gitWatchers !== undefined) {
      return;
    }
    this.gitWatchers = [];
    // A worktree's index is under .git/worktrees and a submodule's under .git/modules.
    for (const pattern of ['**/.git/index', '**/.git/worktrees/*/index', '**/.git/modules/**/index', '**/.gitignore']) {
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      const changed = (): void => {
        clearTimeout(this.gitChangeTimer);
        this.gitChangeTimer = setTimeout(() => this.relintOpenHostFiles(), GIT_CHANGE_DEBOUNCE_MS);
      };
      this.gitWatchers.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed));
    }
  }

  private relintOpenHostFiles(): void {
    for (const state of this.open.values()) {
      if (state.result?.facts.isHostFile === true) {
        this.lintDocument(state.document);
      }
    }
  }

  private publishAll(keys: readonly string[]): void {
    for (const key of keys) {
      this.publish(key);
    }
  }

  private publish(key: string): void {
    const state = this.open.get(key);
    const uri = state?.document.uri ?? this.closedUris.get(key);
    if (uri === undefined) {
      return;
    }
    const settings = lintSettings(uri);
    const workspace = finishDiagnostics(this.index.diagnostics(key), new Map(), settings.severities);
    const findings: LintDiagnostic[] = [];
    if (state?.result !== undefined && state.result.facts.isHostFile) {
      findings.push(...state.result.diagnostics, ...state.environment);
    }
    if (state === undefined || state.result?.facts.isHostFile === true) {
      findings.push(...workspace);
    }

    const pairs = findings.map((finding) => ({ finding, diagnostic: toDiagnostic(uri, finding) }));
    if (pairs.length === 0 && (this.published.get(key)?.length ?? 0) === 0 && state === undefined) {
      // A closed file without findings: nothing to show or to clear.
      return;
    }
    this.published.set(key, pairs);
    this.collection.set(
      uri,
      pairs.map((pair) => pair.diagnostic),
    );
    this.changeEmitter.fire(uri);
  }
}

/**
 * Checks whether a document takes part in the workspace rules: a file on
 * disk, or a document inside a workspace folder. Untitled documents and views
 * such as git's copy of an older version are not hosts of the lattice.
 */
function isWorkspaceFile(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' || vscode.workspace.getWorkspaceFolder(uri) !== undefined;
}

function toDiagnostic(uri: vscode.Uri, finding: LintDiagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(finding.range), finding.message, toSeverity(finding.severity));
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = finding.code;
  if (finding.related !== undefined) {
    diagnostic.relatedInformation = finding.related.map(
      (info) => new vscode.DiagnosticRelatedInformation(new vscode.Location(info.file === '' ? uri : vscode.Uri.parse(info.file), toRange(info.range)), info.message),
    );
  }
  if (finding.code === 'variable-ignored' || finding.code === 'duplicate-key') {
    diagnostic.tags = [vscode.DiagnosticTag.Unnecessary];
  }
  return diagnostic;
}
