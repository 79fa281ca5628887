import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import type { LintController } from './controller';
import { ENV_FILE_GLOB, isEnvFileName } from './documents';
import { lintSettings } from './settings';

const EXCLUDE_GLOB = '**/{node_modules,.git}/**';
/** Files read at once during the pass. */
const CONCURRENCY = 8;
/** Files linted and indexed together. */
const BATCH_SIZE = 100;
/** Largest file the pass reads; host .env files are a few KB. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Finds every .env file of the workspace once, lazily, after the first host
 * file was linted, and indexes it so the workspace rules see all hosts. Shows
 * progress in the status bar, then follows creates, changes, deletes and
 * renames through a file watcher.
 */
export class WorkspacePass implements vscode.Disposable {
  private readonly statusItem = vscode.window.createStatusBarItem('wasmcloudLattice.lintProgress', vscode.StatusBarAlignment.Left, 0);
  private readonly disposables: vscode.Disposable[] = [];
  private started = false;
  private cancelled = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly controller: LintController,
    private readonly logger: Logger,
  ) {
    this.statusItem.name = 'wasmCloud Lattice: .env check progress';
  }

  dispose(): void {
    this.cancelled = true;
    this.statusItem.dispose();
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }

  /** Starts the pass once; later calls return the same promise. */
  start(): Promise<void> {
    if (this.started) {
      return this.running ?? Promise.resolve();
    }
    if (vscode.workspace.workspaceFolders === undefined || !lintSettings(undefined).workspacePass) {
      return Promise.resolve();
    }
    this.started = true;
    this.watch();
    this.running = this.run().catch((error: unknown) => this.logger.error('The workspace .env check failed', error));
    return this.running;
  }

  private watch(): void {
    const watcher = vscode.workspace.createFileSystemWatcher(ENV_FILE_GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => this.reindex(uri)),
      watcher.onDidChange((uri) => this.reindex(uri)),
      watcher.onDidDelete((uri) => this.controller.removeFile(uri)),
      vscode.workspace.onDidRenameFiles((event) => {
        for (const { oldUri, newUri } of event.files) {
          this.renamed(oldUri, newUri);
        }
      }),
    );
  }

  private reindex(uri: vscode.Uri): void {
    if (!isExcluded(uri)) {
      void this.controller.indexFromDisk(uri);
    }
  }

  private renamed(oldUri: vscode.Uri, newUri: vscode.Uri): void {
    const oldKey = oldUri.toString();
    const moved = [...this.controller.index.paths()].filter((key) => key === oldKey || key.startsWith(`${oldKey}/`));
    for (const key of moved) {
      this.controller.removeFile(vscode.Uri.parse(key));
    }
    if (isEnvFileName(newUri.path.slice(newUri.path.lastIndexOf('/') + 1))) {
      this.reindex(newUri);
    } else if (moved.length > 0 || !newUri.path.includes('.')) {
      // A folder: index the .env files under its new name.
      void vscode.workspace.findFiles(new vscode.RelativePattern(newUri, ENV_FILE_GLOB), EXCLUDE_GLOB).then((uris) => uris.forEach((uri) => this.reindex(uri)));
    }
  }

  private async run(): Promise<void> {
    this.statusItem.text = '$(sync~spin) wasmCloud: finding .env files';
    this.statusItem.tooltip = 'wasmCloud Lattice is looking for host .env files to compare lattice names and issuers across hosts.';
    this.statusItem.show();
    const uris = await vscode.workspace.findFiles(ENV_FILE_GLOB, EXCLUDE_GLOB);
    const started = Date.now();
    let done = 0;
    let next = 0;
    const total = uris.length;
    const update = (): void => {
      this.statusItem.text = `$(sync~spin) wasmCloud: checking .env files ${done}/${total}`;
    };
    update();

    // Files are read a few at a time and indexed in batches, so the index
    // works out peers once per batch instead of once per file.
    let batch: [vscode.Uri, string][] = [];
    const flush = (): void => {
      if (batch.length > 0) {
        this.controller.indexClosedFiles(batch);
        batch = [];
      }
      update();
    };
    const worker = async (): Promise<void> => {
      while (!this.cancelled && next < total) {
        const uri = uris[next++];
        try {
          const info = await vscode.workspace.fs.stat(uri);
          if (info.type === vscode.FileType.File && info.size <= MAX_FILE_BYTES) {
            const bytes = await vscode.workspace.fs.readFile(uri);
            batch.push([uri, new TextDecoder().decode(bytes)]);
          }
        } catch (error) {
          this.logger.warn(`Skipped ${uri.toString(true)} in the workspace .env check: ${error instanceof Error ? error.message : String(error)}`);
        }
        done++;
        if (batch.length >= BATCH_SIZE) {
          flush();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, total) }, worker));
    flush();
    this.controller.publishEverything();
    this.logger.info(`Checked ${done} .env files of the workspace in ${Date.now() - started} ms; ${this.controller.index.size} are host files.`);
    this.statusItem.hide();
  }
}

function isExcluded(uri: vscode.Uri): boolean {
  return /\/(node_modules|\.git)\//.test(uri.path);
}
