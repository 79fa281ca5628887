import type { DotenvEntry } from '../dotenv/index';
import { lineEndAt } from '../dotenv/lines';
import type { SourceRange } from '../dotenv/lines';
import { shownName } from '../dotenv/redact';
import { report, type RuleContext } from './context';

/** Maximum number of `duplicate-key` findings for one file. */
const MAX_DUPLICATE_FINDINGS = 200;

/** Turns the parser's problems into findings and reports keys set more than once. */
export function checkFile(context: RuleContext): void {
  for (const problem of context.parse.problems) {
    report(context, problem.code, problem.range, problem.message, problem.key === undefined ? {} : { key: problem.key });
  }

  // Every entry that is not the one dotenv keeps for its key is an earlier duplicate.
  if (context.effective.size === context.parse.entries.length) {
    return;
  }
  let duplicates = 0;
  for (const entry of context.parse.entries) {
    const last = context.effective.get(entry.key);
    if (last === undefined || last === entry) {
      continue;
    }
    if (++duplicates > MAX_DUPLICATE_FINDINGS) {
      return;
    }
    const name = shownName(entry.key);
    report(context, 'duplicate-key', entry.keyRange, `${name} is set again on line ${last.keyRange.startLine + 1}, and dotenv keeps the last value, so this line has no effect. Remove one of the two lines.`, {
      key: entry.key,
      related: [{ file: '', range: last.keyRange, message: `${name} is set again here` }],
      fixes: [{ title: `Remove this earlier ${name} line`, preferred: true, edits: [{ range: entryLines(context.text, entry), newText: '' }] }],
    });
  }
}

/** The whole lines an entry occupies, with the line break after them. */
function entryLines(text: string, entry: DotenvEntry): SourceRange {
  const start = entry.keyRange.start - entry.keyRange.startColumn;
  let end = lineEndAt(text, entry.valueRange.end + (entry.quote === '' ? 0 : 1));
  let endLine = entry.valueRange.endLine;
  let endColumn = entry.valueRange.endColumn + (end - entry.valueRange.end);
  if (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10) {
    end += 2;
    endLine++;
    endColumn = 0;
  } else if (end < text.length) {
    end += 1;
    endLine++;
    endColumn = 0;
  }
  return { start, end, startLine: entry.keyRange.startLine, startColumn: 0, endLine, endColumn };
}
