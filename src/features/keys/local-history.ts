import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import type { Prompter } from '../shared/prompter';

/**
 * Glob patterns that package.json adds to the default of
 * `workbench.localHistory.exclude` (a setting since VS Code 1.66), so that
 * Local History keeps no copy of host `.env` files. Keep both lists equal.
 */
export const LOCAL_HISTORY_EXCLUDES: readonly string[] = ['**/*.env', '**/.env.*'];

/** globalState entry that records that the Local History hint was shown. */
const HINT_SHOWN_KEY = 'wasmcloudLattice.localHistoryHintShown';

const OPEN_SETTING = 'Open Setting';

/**
 * Returns whether VS Code's Local History skips `uri` because of the
 * exclusions this extension contributes: history is off for the file, or its
 * name ends in `.env` or starts with `.env.` and the matching pattern is still
 * set. Other patterns the user added are not evaluated, so a file they cover
 * counts as kept.
 */
export function localHistorySkips(uri: vscode.Uri): boolean {
  const settings = vscode.workspace.getConfiguration('workbench.localHistory', uri);
  if (settings.get<boolean>('enabled') === false) {
    return true;
  }
  const exclude = settings.get<Record<string, unknown>>('exclude') ?? {};
  const name = path.posix.basename(uri.path);
  return (name.endsWith('.env') && exclude['**/*.env'] === true) || (name.startsWith('.env.') && exclude['**/.env.*'] === true);
}

/**
 * Tells the user once, the first time this extension writes a seed into a
 * file that Local History keeps, that VS Code copies the file with the seed
 * into its Local History on every save.
 */
export class LocalHistoryHint {
  constructor(
    private readonly globalState: vscode.Memento,
    private readonly logger: Logger,
    private readonly prompter: { get(): Prompter },
  ) {}

  /** Shows the hint, unless it was shown before or Local History skips the document. Untitled documents have no history. */
  seedWritten(document: vscode.TextDocument): void {
    if (document.isUntitled || this.globalState.get<boolean>(HINT_SHOWN_KEY) === true || localHistorySkips(document.uri)) {
      return;
    }
    void this.globalState.update(HINT_SHOWN_KEY, true);
    const name = path.posix.basename(document.uri.path);
    this.logger.info(`Showed the Local History hint after a seed was written into ${document.uri.toString(true)}.`);
    const message =
      `VS Code's Local History stores a copy of ${name}, seed included, each time the file is saved. ` +
      'wasmCloud Lattice excludes .env files from it by default. Add this file to the setting workbench.localHistory.exclude to keep its seed out too.';
    void this.prompter
      .get()
      .notify('info', message, {}, OPEN_SETTING)
      .then((action) => {
        if (action === OPEN_SETTING) {
          void vscode.commands.executeCommand('workbench.action.openSettings', 'workbench.localHistory.exclude');
        }
      });
  }
}
