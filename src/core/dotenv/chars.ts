// Character classes of the regular expression that `dotenv.parse` (dotenv 18)
// runs, written out so the scanner can test one UTF-16 code unit at a time.

/** Whether `code` is in JavaScript's `\s`: the characters `String.prototype.trim` removes. */
export function isWhitespace(code: number): boolean {
  if (code <= 32) {
    return code === 32 || (code >= 9 && code <= 13);
  }
  return (
    code >= 0xa0 &&
    (code === 0xa0 ||
      code === 0x1680 ||
      (code >= 0x2000 && code <= 0x200a) ||
      code === 0x2028 ||
      code === 0x2029 ||
      code === 0x202f ||
      code === 0x205f ||
      code === 0x3000 ||
      code === 0xfeff)
  );
}

/** Whether `code` ends a line for `^`, `$` and `.` in a JavaScript regular expression. */
export function isRegExpLineTerminator(code: number): boolean {
  return code === 10 || code === 13 || code === 0x2028 || code === 0x2029;
}

const KEY_CHARACTERS = new Uint8Array(128);
for (const range of ['AZ', 'az', '09']) {
  for (let code = range.charCodeAt(0); code <= range.charCodeAt(1); code++) {
    KEY_CHARACTERS[code] = 1;
  }
}
KEY_CHARACTERS['_'.charCodeAt(0)] = 1;
KEY_CHARACTERS['.'.charCodeAt(0)] = 1;
KEY_CHARACTERS['-'.charCodeAt(0)] = 1;

/** Whether `code` may appear in a dotenv key: `[\w.-]`, which is ASCII only. */
export function isKeyCharacter(code: number): boolean {
  return code < 128 && KEY_CHARACTERS[code] === 1;
}

export const CHAR_LF = 10;
export const CHAR_CR = 13;
export const CHAR_HASH = 35;
export const CHAR_DOUBLE_QUOTE = 34;
export const CHAR_SINGLE_QUOTE = 39;
export const CHAR_BACKTICK = 96;
export const CHAR_BACKSLASH = 92;
export const CHAR_EQUALS = 61;
export const CHAR_COLON = 58;

export function isQuote(code: number): boolean {
  return code === CHAR_SINGLE_QUOTE || code === CHAR_DOUBLE_QUOTE || code === CHAR_BACKTICK;
}
