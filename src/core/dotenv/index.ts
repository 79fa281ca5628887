/**
 * A `.env` parser that returns the same values as `dotenv.parse` from dotenv
 * 18 (its default, regular-expression parser) and also keeps where each key
 * and value sits in the text.
 *
 * dotenv matches this expression, with the `m` and `g` flags, against the
 * text after turning CRLF and CR into LF:
 *
 *   ^\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)
 *     (\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?
 *     \s*(?:#.*)?$
 *
 * and then trims the captured value, strips one pair of surrounding quotes
 * (see `stripQuotes`) and, when the value started with `"`, expands `\n` and
 * `\r`. The scanner below makes the same choices as the backtracking engine
 * does, in one pass:
 *
 * - `\s` spans line breaks, so `KEY\n=value` and `KEY=\n"value"` are entries,
 *   and a quoted value may run over many lines.
 * - `KEY: value` is an entry (a colon and at least one whitespace character).
 * - A quoted value ends at the first unescaped closing quote, or failing that
 *   at the last escaped one (`\'`), that is followed only by whitespace and an
 *   optional `#` comment up to the end of a line. Without such a quote the
 *   value is the rest of the line up to `#`, quotes included.
 * - `^` and `$` also treat U+2028 and U+2029 as line ends, but an unquoted
 *   value does not stop there.
 *
 * The regular expression retries failing lines and candidate quotes, so dotenv
 * is quadratic on some inputs. This scanner visits each character a bounded
 * number of times.
 */
import {
  CHAR_BACKSLASH,
  CHAR_COLON,
  CHAR_CR,
  CHAR_DOUBLE_QUOTE,
  CHAR_EQUALS,
  CHAR_HASH,
  CHAR_LF,
  isKeyCharacter,
  isQuote,
  isRegExpLineTerminator,
  isWhitespace,
} from './chars';
import { LineCursor, lineEndAt, type SourceRange } from './lines';
import { REDACTED, quoteForMessage, shownName } from './redact';
import { expandEscapes, stripOuterQuotes, stripQuotes } from './value';

export type { SourceRange } from './lines';

export type DotenvQuote = '' | "'" | '"' | '`';

export interface DotenvEntry {
  readonly key: string;
  /** The value exactly as `dotenv.parse` returns it. */
  readonly value: string;
  readonly keyRange: SourceRange;
  /**
   * The value's text in the source, inside the quotes when it is quoted. For
   * an empty value it is an empty range just after the `=`.
   */
  readonly valueRange: SourceRange;
  /** The quote character around `valueRange`, or '' when there is none. */
  readonly quote: DotenvQuote;
  /**
   * Whether `value` equals the source text in `valueRange`, so that an offset
   * into the value is the same offset from `valueRange.start`. Escapes, CRLF
   * line ends and odd quoting make it false.
   */
  readonly verbatim: boolean;
  /** Whether the line starts with `export `. */
  readonly exported: boolean;
}

export type DotenvProblemCode = 'unterminated-quote' | 'line-invalid';

export interface DotenvProblem {
  readonly code: DotenvProblemCode;
  /** One sentence naming what is wrong and the fix. It quotes no secret. */
  readonly message: string;
  readonly range: SourceRange;
  /** The key of the entry the problem belongs to, when there is one. */
  readonly key?: string;
}

export interface DotenvParseResult {
  /** Every entry in source order, duplicates included; for a duplicated key the last one is what dotenv returns. */
  readonly entries: DotenvEntry[];
  /** Problems in source order, at most the first 1000. */
  readonly problems: DotenvProblem[];
}

/** Maximum number of problems reported for one text; past it, a binary or generated file would flood the editor. */
const MAX_PROBLEMS = 1000;

/**
 * Parses `.env` text into entries with source ranges and reports what dotenv
 * silently accepts or skips: an opening quote that never closes, a quoted
 * value that takes in the next assignments, and lines it ignores. Never throws.
 */
export function parseDotenv(text: string): DotenvParseResult {
  return new Scanner(text).run();
}

/** Turns entries into the object `dotenv.parse` returns: the last value of each key wins. */
export function entriesToRecord(entries: readonly DotenvEntry[]): Map<string, string> {
  const record = new Map<string, string>();
  for (const entry of entries) {
    record.set(entry.key, entry.value);
  }
  return record;
}

interface EntryStart {
  keyStart: number;
  keyEnd: number;
  /** Offset just after the separator (`=`, or `:` and one whitespace character). */
  valueStart: number;
  exported: boolean;
}

class Scanner {
  private readonly length: number;
  private readonly lines: LineCursor;
  private readonly entries: DotenvEntry[] = [];
  private readonly problems: DotenvProblem[] = [];
  /** Whether the text has a CR, U+2028 or U+2029; without them, line ends are found with indexOf. */
  private readonly onlyLf: boolean;
  /** Next `#` at or after the last position asked for; positions only grow, so each search runs once. */
  private nextHash = -1;

  constructor(private readonly text: string) {
    this.length = text.length;
    this.lines = new LineCursor(text);
    this.onlyLf = text.indexOf('\r') < 0 && text.indexOf('\u2028') < 0 && text.indexOf('\u2029') < 0;
  }

  /** Offset of the first `#` at or after `from`, or the text's length. */
  private hashAt(from: number): number {
    if (this.nextHash < from) {
      const found = this.text.indexOf('#', from);
      this.nextHash = found < 0 ? this.length : found;
    }
    return this.nextHash;
  }

  run(): DotenvParseResult {
    const text = this.text;
    const length = this.length;
    let position = 0;

    while (position < length) {
      let start = position;
      while (start < length && isWhitespace(text.charCodeAt(start))) {
        start++;
      }
      if (start >= length) {
        break;
      }

      const entryStart = this.matchKeyAndSeparator(start);
      if (entryStart === undefined) {
        if (text.charCodeAt(start) !== CHAR_HASH) {
          this.reportIgnoredLine(start);
        }
        position = this.nextLineStart(start);
        continue;
      }
      position = this.nextLineStart(this.readValue(entryStart));
    }

    return { entries: this.entries, problems: this.problems };
  }

  /** Matches `(?:export\s+)?([\w.-]+)(?:\s*=|:\s)` at `start`, trying the `export` form first as the regular expression does. */
  private matchKeyAndSeparator(start: number): EntryStart | undefined {
    const text = this.text;
    if (text.startsWith('export', start) && isWhitespace(text.charCodeAt(start + 6))) {
      let keyStart = start + 7;
      while (keyStart < this.length && isWhitespace(text.charCodeAt(keyStart))) {
        keyStart++;
      }
      const exported = this.matchKeyAt(keyStart, true);
      if (exported !== undefined) {
        return exported;
      }
    }
    return this.matchKeyAt(start, false);
  }

  private matchKeyAt(keyStart: number, exported: boolean): EntryStart | undefined {
    const text = this.text;
    let keyEnd = keyStart;
    while (keyEnd < this.length && isKeyCharacter(text.charCodeAt(keyEnd))) {
      keyEnd++;
    }
    if (keyEnd === keyStart) {
      return undefined;
    }

    let separator = keyEnd;
    while (separator < this.length && isWhitespace(text.charCodeAt(separator))) {
      separator++;
    }
    if (text.charCodeAt(separator) === CHAR_EQUALS) {
      return { keyStart, keyEnd, valueStart: separator + 1, exported };
    }
    if (text.charCodeAt(keyEnd) === CHAR_COLON && isWhitespace(text.charCodeAt(keyEnd + 1))) {
      // `:\s+?` takes one whitespace character of the text with CRLF turned into LF, so CRLF counts as one.
      const crlf = text.charCodeAt(keyEnd + 1) === CHAR_CR && text.charCodeAt(keyEnd + 2) === CHAR_LF;
      return { keyStart, keyEnd, valueStart: keyEnd + (crlf ? 3 : 2), exported };
    }
    return undefined;
  }

  /** Reads the value after the separator, records the entry and returns the offset where the match's line ends. */
  private readValue(start: EntryStart): number {
    const text = this.text;
    const length = this.length;
    const valueStart = start.valueStart;
    const key = text.slice(start.keyStart, start.keyEnd);
    const keyRange = this.lines.range(start.keyStart, start.keyEnd);

    let opening = valueStart;
    while (opening < length && isWhitespace(text.charCodeAt(opening))) {
      opening++;
    }
    const quoteCode = text.charCodeAt(opening);
    if (isQuote(quoteCode)) {
      const closing = this.findClosingQuote(opening);
      if (closing >= 0) {
        this.addQuotedEntry(start, key, keyRange, opening, closing);
        return closing + 1;
      }
    }

    // `[^#\r\n]+`: the rest of the line up to a comment, quotes included.
    let end: number;
    if (this.onlyLf) {
      const lineEnd = text.indexOf('\n', valueStart);
      end = Math.min(lineEnd < 0 ? length : lineEnd, this.hashAt(valueStart));
    } else {
      end = valueStart;
      while (end < length) {
        const code = text.charCodeAt(end);
        if (code === CHAR_HASH || code === CHAR_LF || code === CHAR_CR) {
          break;
        }
        end++;
      }
    }
    if (isQuote(quoteCode) && !this.hasLineBreak(valueStart, opening)) {
      this.reportUnterminatedQuote(key, opening, quoteCode);
    }
    this.addUnquotedEntry(start, key, keyRange, valueStart, end);
    return end;
  }

  /**
   * Finds the closing quote the regular expression settles on: the first
   * quote not preceded by a backslash, else the last escaped one, provided
   * only whitespace and an optional comment follow it up to a line end.
   * Returns -1 when no quote qualifies.
   */
  private findClosingQuote(opening: number): number {
    const text = this.text;
    const quote = text[opening];
    let escaped: number[] | undefined;
    let unescaped = -1;
    let index = text.indexOf(quote, opening + 1);
    while (index >= 0) {
      if (text.charCodeAt(index - 1) !== CHAR_BACKSLASH) {
        unescaped = index;
        break;
      }
      (escaped ??= []).push(index);
      index = text.indexOf(quote, index + 1);
    }

    if (unescaped >= 0 && this.onlyCommentFollows(unescaped + 1)) {
      return unescaped;
    }
    if (escaped !== undefined) {
      for (let candidate = escaped.length - 1; candidate >= 0; candidate--) {
        if (this.onlyCommentFollows(escaped[candidate] + 1)) {
          return escaped[candidate];
        }
      }
    }
    return -1;
  }

  /** Tests whether `\s*(?:#.*)?$` matches at `from`. */
  private onlyCommentFollows(from: number): boolean {
    const text = this.text;
    for (let index = from; index < this.length; index++) {
      const code = text.charCodeAt(index);
      if (code === CHAR_HASH || isRegExpLineTerminator(code)) {
        return true;
      }
      if (!isWhitespace(code)) {
        return false;
      }
    }
    return true;
  }

  private addQuotedEntry(start: EntryStart, key: string, keyRange: SourceRange, opening: number, closing: number): void {
    const text = this.text;
    const quoteCode = text.charCodeAt(opening);
    let content = text.slice(opening + 1, closing);
    if (content.indexOf('\r') >= 0) {
      content = content.replace(/\r\n?/g, '\n');
    }
    const value = quoteCode === CHAR_DOUBLE_QUOTE ? expandEscapes(content) : content;
    const verbatim = value.length === closing - opening - 1 && text.startsWith(value, opening + 1);

    if (content.indexOf('\n') >= 0) {
      this.checkSwallowedAssignments(key, opening, content);
    }
    const valueRange = this.lines.range(opening + 1, closing);
    this.entries.push({ key, value, keyRange, valueRange, quote: text[opening] as DotenvQuote, verbatim, exported: start.exported });
  }

  private addUnquotedEntry(start: EntryStart, key: string, keyRange: SourceRange, valueStart: number, end: number): void {
    const text = this.text;
    let trimmedStart = valueStart;
    while (trimmedStart < end && isWhitespace(text.charCodeAt(trimmedStart))) {
      trimmedStart++;
    }
    let trimmedEnd = end;
    while (trimmedEnd > trimmedStart && isWhitespace(text.charCodeAt(trimmedEnd - 1))) {
      trimmedEnd--;
    }

    const trimmed = text.slice(trimmedStart, trimmedEnd);
    const firstCode = trimmed.charCodeAt(0);
    // Without U+2028 and U+2029 the value is one line for stripQuotes, so only outer quotes can go.
    const stripped = this.onlyLf ? stripOuterQuotes(trimmed) : stripQuotes(trimmed);
    const value = firstCode === CHAR_DOUBLE_QUOTE ? expandEscapes(stripped) : stripped;

    // A value that lost exactly its outer quotes is shown inside them.
    let rangeStart = trimmedStart;
    let rangeEnd = trimmedEnd;
    let quote: DotenvQuote = '';
    let verbatim: boolean;
    if (trimmedStart === trimmedEnd) {
      rangeStart = valueStart;
      rangeEnd = valueStart;
      verbatim = true;
    } else if (stripped === trimmed) {
      verbatim = value === trimmed;
    } else if (stripped.length === trimmed.length - 2 && text.startsWith(stripped, trimmedStart + 1)) {
      rangeStart++;
      rangeEnd--;
      quote = text[trimmedStart] as DotenvQuote;
      verbatim = value === stripped;
    } else {
      verbatim = false;
    }

    const valueRange = this.lines.range(rangeStart, rangeEnd);
    this.entries.push({ key, value, keyRange, valueRange, quote, verbatim, exported: start.exported });
  }

  /** Offset just after the first `^`-line end at or after `from`, or the end of the text. */
  private nextLineStart(from: number): number {
    const text = this.text;
    if (this.onlyLf) {
      const lineEnd = text.indexOf('\n', from);
      return lineEnd < 0 ? this.length : lineEnd + 1;
    }
    for (let index = from; index < this.length; index++) {
      if (isRegExpLineTerminator(text.charCodeAt(index))) {
        return index + 1;
      }
    }
    return this.length;
  }

  private hasLineBreak(from: number, to: number): boolean {
    for (let index = from; index < to; index++) {
      const code = this.text.charCodeAt(index);
      if (code === CHAR_LF || code === CHAR_CR) {
        return true;
      }
    }
    return false;
  }

  private reportUnterminatedQuote(key: string, opening: number, quoteCode: number): void {
    if (this.problems.length >= MAX_PROBLEMS) {
      return;
    }
    const quote = String.fromCharCode(quoteCode);
    const end = lineEndAt(this.text, opening);
    this.problems.push({
      code: 'unterminated-quote',
      key,
      range: this.lines.lineRange(opening, end),
      message: `The value of ${shownName(key)} opens a ${quote} quote that no ${quote} closes at the end of a line, so dotenv reads the rest of the line, quotes included, as the value. Close the quote at the end of the value or remove it.`,
    });
  }

  /**
   * Reports a multi-line quoted value that contains a line shaped like a
   * variable assignment: the closing quote was most likely forgotten and the
   * next variables became part of this value.
   */
  private checkSwallowedAssignments(key: string, opening: number, content: string): void {
    if (this.problems.length >= MAX_PROBLEMS) {
      return;
    }
    const match = /\n[ \t]*(?:export[ \t]+)?([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)[ \t]*=/.exec(content);
    if (match === null) {
      return;
    }
    const quote = this.text[opening];
    const end = lineEndAt(this.text, opening);
    this.problems.push({
      code: 'unterminated-quote',
      key,
      range: this.lines.lineRange(opening, end),
      message: `The ${quote} quote that opens the value of ${shownName(key)} closes only lines later, so ${shownName(match[1])} and the lines before the closing quote are part of this value instead of separate variables. Close the quote on this line.`,
    });
  }

  private reportIgnoredLine(start: number): void {
    if (this.problems.length >= MAX_PROBLEMS) {
      return;
    }
    const text = this.text;
    let end = lineEndAt(text, start);
    while (end > start && isWhitespace(text.charCodeAt(end - 1))) {
      end--;
    }
    const line = text.slice(start, end);
    this.problems.push({ code: 'line-invalid', range: this.lines.range(start, end), message: ignoredLineMessage(line) });
  }
}

/**
 * Explains why dotenv ignores `line`. The message quotes only the name at the
 * start of the line: what follows is usually the value, which may be a seed
 * or a password that lost its '='.
 */
function ignoredLineMessage(line: string): string {
  const equals = line.indexOf('=');
  if (equals >= 0) {
    const name = line.slice(0, equals).trim().replace(/^export\s+/, '');
    if (name.length === 0) {
      return "dotenv ignores this line because it has no name before '='. Put the variable's name in front of the '=', or start the line with # to make it a comment.";
    }
    return `dotenv ignores this line because ${quoteForMessage(name)} is not a valid name: names use only letters, digits, '_', '.' and '-'. Rename it, or start the line with # to make it a comment.`;
  }

  const name = /^(?:export\s+)?([\w.-]+)/.exec(line)?.[1];
  if (name === undefined) {
    return `dotenv ignores the line ${quoteForMessage(line)} because it has no '='. Write it as NAME=value, or start it with # to make it a comment.`;
  }
  const shown = shownName(name);
  if (shown.includes(REDACTED)) {
    // The name itself looks like a seed or token: a secret pasted on a line of its own.
    return `dotenv ignores the line '${shown}' because it has no '='. Write the value after the name of its variable, as NAME=value, or remove the line.`;
  }
  const where = name.length === line.length ? `the line '${shown}'` : `the line that starts with '${shown}'`;
  return `dotenv ignores ${where} because it has no '='. Write it as ${shown === name ? name : 'NAME'}=value, or start it with # to make it a comment.`;
}
