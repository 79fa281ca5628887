/** Lines that keep provisioned host files, which contain seeds, out of git. */

export const GITIGNORE_FILE_NAME = '.gitignore';

const HEADER = '# Host files with cluster seeds, written by wasmCloud Lattice';

/**
 * Returns the text of the `.gitignore` in the host files' folder after adding
 * an anchored line (`/east.env`) per file that the current text does not list,
 * or undefined when every file is listed. A file counts as listed when a line
 * is its name, with or without the leading `/`, or `*.env`. Other patterns
 * that match are not evaluated here; callers ask git when they can.
 */
export function planGitignore(current: string | undefined, fileNames: readonly string[]): string | undefined {
  const text = current ?? '';
  const lines = new Set(text.split(/\r?\n/).map((line) => line.trim()));
  const missing = fileNames.filter((name) => !lines.has(name) && !lines.has(`/${name}`) && !(name.endsWith('.env') && lines.has('*.env')));
  if (missing.length === 0) {
    return undefined;
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const separator = text === '' ? '' : text.endsWith('\n') ? eol : eol + eol;
  const block = [...(lines.has(HEADER) ? [] : [HEADER]), ...missing.map((name) => `/${name}`)];
  return text + separator + block.map((line) => line + eol).join('');
}
