import { redactSecrets } from '../log';

/** Default maximum length, in code points, of a network-supplied string shown in the terminal or the tree. */
export const MAX_DISPLAY_LENGTH = 120;

// Matching control characters is the purpose of the next two patterns.
// ANSI escape sequences: CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \)
// and two-character escapes. The 8-bit CSI (U+009B) is included.
// eslint-disable-next-line no-control-regex
const ANSI_SEQUENCE = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]/g;
// C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
// Bidi embeddings, overrides, isolates and marks, zero-width characters, the
// word joiner, invisible operators and the byte order mark. They reorder or
// hide text, so `evil\u202Etxt.exe` would render as `evilexe.txt`.
const INVISIBLE_CHARACTERS = /[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * Makes a string received from the network safe to print in a terminal or a
 * tree label. It removes ANSI escape sequences, bidi controls and zero-width
 * characters, and replaces each run of other control characters (line breaks
 * included) with one space. Seed-shaped and other secret-shaped parts become
 * `[redacted]`, and the result is cut to `maxLength` code points with `…`.
 */
export function displayText(value: string, maxLength: number = MAX_DISPLAY_LENGTH): string {
  const cleaned = redactSecrets(value.replace(ANSI_SEQUENCE, '').replace(INVISIBLE_CHARACTERS, '').replace(CONTROL_CHARACTERS, ' '));
  const codePoints = Array.from(cleaned);
  if (codePoints.length <= maxLength) {
    return cleaned;
  }
  return `${codePoints.slice(0, Math.max(1, maxLength - 1)).join('')}…`;
}

/** Applies `displayText` to an optional value. */
export function optionalDisplayText(value: string | undefined, maxLength: number = MAX_DISPLAY_LENGTH): string | undefined {
  return value === undefined ? undefined : displayText(value, maxLength);
}
