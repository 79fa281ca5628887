import * as vscode from 'vscode';
import { latticeNamesInEnv } from '../../core/nats/env-lattices';
import type { ChannelLogger } from '../shared/log';

const ENV_FILES = '**/{.env,.env.*,*.env}';
const EXCLUDE = '**/{node_modules,.git}/**';
/** Files read per scan; a workspace with more host files lists the lattices of the first ones found. */
const MAX_FILES = 500;
/** Host `.env` files are a few hundred bytes; bigger files are not host configuration. */
const MAX_FILE_BYTES = 256 * 1024;

/**
 * Index of the lattice names set in the workspace's host `.env` files, with
 * the workspace-relative paths of the files that set each. The first request
 * scans the files, and a change to a matching file starts a new scan.
 */
export class EnvLatticeIndex implements vscode.Disposable {
  private scan: Promise<Map<string, string[]>> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private watcher: vscode.FileSystemWatcher | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  readonly onDidChange = this.changed.event;

  constructor(private readonly logger: ChannelLogger) {}

  /** Returns the lattice names and the files that set them. The first call starts watching the files. */
  lattices(): Promise<Map<string, string[]>> {
    if (this.watcher === undefined) {
      this.watcher = vscode.workspace.createFileSystemWatcher(ENV_FILES);
      const invalidate = (): void => this.invalidate();
      this.watcher.onDidCreate(invalidate);
      this.watcher.onDidChange(invalidate);
      this.watcher.onDidDelete(invalidate);
    }
    this.scan ??= this.read();
    return this.scan;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.watcher?.dispose();
    this.changed.dispose();
  }

  // Saving several files at once fires several events; one rescan follows them.
  private invalidate(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.scan = undefined;
      this.changed.fire();
    }, 500);
  }

  private async read(): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>();
    if ((vscode.workspace.workspaceFolders?.length ?? 0) === 0) {
      return found;
    }
    const uris = await vscode.workspace.findFiles(ENV_FILES, EXCLUDE, MAX_FILES);
    for (const uri of uris) {
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.size > MAX_FILE_BYTES) {
          continue;
        }
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        for (const name of latticeNamesInEnv(text)) {
          const files = found.get(name) ?? [];
          files.push(vscode.workspace.asRelativePath(uri));
          found.set(name, files);
        }
      } catch (error) {
        this.logger.warn(`Reading ${uri.fsPath} for lattice names failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.logger.debug(`Found ${found.size} lattice names in ${uris.length} .env files.`);
    return found;
  }
}
