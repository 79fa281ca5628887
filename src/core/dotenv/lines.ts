/**
 * A span of the source text. Offsets count UTF-16 code units, as JavaScript
 * strings and VS Code do. Lines end at LF, CRLF or a lone CR, as in VS Code's
 * text model, and both lines and columns start at 0.
 */
export interface SourceRange {
  /** Offset of the first character. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/**
 * Converts offsets to line and column. Requests in increasing order cost one
 * pass over the text in total. A request behind the previous one starts over
 * from the beginning, which only the rare out-of-order caller pays for.
 */
export class LineCursor {
  private offset = 0;
  private line = 0;
  private lineStart = 0;

  /** Whether the text has a CR, so that LF alone ends lines and indexOf can find them. */
  private readonly hasCr: boolean;

  constructor(private readonly text: string) {
    this.hasCr = text.indexOf('\r') >= 0;
  }

  /** Moves to `offset` and returns its line. Read `column` after it. */
  lineAt(offset: number): number {
    if (offset < this.offset) {
      this.offset = 0;
      this.line = 0;
      this.lineStart = 0;
    }
    const text = this.text;
    let line = this.line;
    let lineStart = this.lineStart;
    if (!this.hasCr) {
      let next = text.indexOf('\n', this.offset);
      while (next >= 0 && next < offset) {
        line++;
        lineStart = next + 1;
        next = text.indexOf('\n', lineStart);
      }
      this.offset = offset;
      this.line = line;
      this.lineStart = lineStart;
      return line;
    }
    for (let index = this.offset; index < offset; index++) {
      const code = text.charCodeAt(index);
      if (code === 10) {
        line++;
        lineStart = index + 1;
      } else if (code === 13 && text.charCodeAt(index + 1) !== 10) {
        line++;
        lineStart = index + 1;
      }
    }
    this.offset = offset;
    this.line = line;
    this.lineStart = lineStart;
    return line;
  }

  /** Column of the offset passed to the last `lineAt`. */
  get column(): number {
    return this.offset - this.lineStart;
  }

  /**
   * Range from `start` to `end` when no line break lies between them. The
   * cursor stays at `start`, so a later request for an offset after `start`
   * stays cheap even when it is before `end`.
   */
  lineRange(start: number, end: number): SourceRange {
    const line = this.lineAt(start);
    const column = this.column;
    return { start, end, startLine: line, startColumn: column, endLine: line, endColumn: column + (end - start) };
  }

  range(start: number, end: number): SourceRange {
    const startLine = this.lineAt(start);
    const startColumn = this.column;
    const endLine = this.lineAt(end);
    return { start, end, startLine, startColumn, endLine, endColumn: this.column };
  }
}

/** Offset of the end of the VS Code line that contains `offset`: the next CR or LF, or the end of the text. */
export function lineEndAt(text: string, offset: number): number {
  let index = offset;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === 10 || code === 13) {
      break;
    }
    index++;
  }
  return index;
}

/** Offset of the start of the VS Code line that contains `offset`. */
export function lineStartAt(text: string, offset: number): number {
  let index = Math.min(offset, text.length);
  while (index > 0) {
    const code = text.charCodeAt(index - 1);
    if (code === 10 || code === 13) {
      break;
    }
    index--;
  }
  return index;
}
