import { isQuote, isRegExpLineTerminator } from './chars';

const LINE_TERMINATORS = /[\n\r\u2028\u2029]/;

/**
 * Removes surrounding quotes the way dotenv 18 does with
 * `value.replace(/^(['"`])([\s\S]*)\1$/mg, '$2')`, in linear time.
 *
 * Because of the `m` flag, every line that starts with a quote character is a
 * candidate, and the greedy `[\s\S]*` runs to the last line in the value that
 * ends with the same character. The regular expression retries each candidate
 * line to the end of the value, which is quadratic. Here the last closing
 * position per quote character is computed once.
 */
export function stripQuotes(value: string): string {
  const length = value.length;
  if (!LINE_TERMINATORS.test(value)) {
    return stripOuterQuotes(value);
  }

  // The last index of each quote character that ends a line, or -1.
  const lastClosing = new Map<number, number>();
  for (let index = length - 1; index >= 0; index--) {
    const code = value.charCodeAt(index);
    if (isQuote(code) && !lastClosing.has(code) && (index + 1 === length || isRegExpLineTerminator(value.charCodeAt(index + 1)))) {
      lastClosing.set(code, index);
    }
  }

  let result = '';
  let copiedUpTo = 0;
  let lineStart = 0;
  while (lineStart < length) {
    const code = value.charCodeAt(lineStart);
    const closing = isQuote(code) ? (lastClosing.get(code) ?? -1) : -1;
    if (closing > lineStart) {
      result += value.slice(copiedUpTo, lineStart) + value.slice(lineStart + 1, closing);
      copiedUpTo = closing + 1;
      lineStart = nextLineStart(value, closing + 1);
    } else {
      lineStart = nextLineStart(value, lineStart);
    }
  }
  return copiedUpTo === 0 ? value : result + value.slice(copiedUpTo);
}

function nextLineStart(value: string, from: number): number {
  for (let index = from; index < value.length; index++) {
    if (isRegExpLineTerminator(value.charCodeAt(index))) {
      return index + 1;
    }
  }
  return value.length;
}

/** `stripQuotes` for a value known to have no line terminators: removes one pair of matching outer quotes. */
export function stripOuterQuotes(value: string): string {
  const length = value.length;
  if (length >= 2 && isQuote(value.charCodeAt(0)) && value.charCodeAt(length - 1) === value.charCodeAt(0)) {
    return value.slice(1, -1);
  }
  return value;
}

/**
 * Replaces the two-character sequences `\n` and `\r` with a line feed and a
 * carriage return, as dotenv does for values that start with a double quote.
 * Other backslashes, `\"` included, stay as they are.
 */
export function expandEscapes(value: string): string {
  let index = value.indexOf('\\');
  if (index < 0) {
    return value;
  }
  let result = '';
  let copiedUpTo = 0;
  while (index >= 0 && index + 1 < value.length) {
    const next = value.charCodeAt(index + 1);
    if (next === 110 || next === 114) {
      result += value.slice(copiedUpTo, index) + (next === 110 ? '\n' : '\r');
      copiedUpTo = index + 2;
      index = value.indexOf('\\', index + 2);
    } else {
      index = value.indexOf('\\', index + 1);
    }
  }
  return copiedUpTo === 0 ? value : result + value.slice(copiedUpTo);
}
