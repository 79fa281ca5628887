import { redactSecrets } from '../log';

/** Maximum characters of a user's text quoted in a finding's message. */
export const QUOTE_LENGTH = 40;

/** Placeholder that replaces a hidden secret. */
export const REDACTED = '[redacted]';

/**
 * Characters past the shown length that are still redacted. A seed is 58
 * characters long, so a seed that starts inside the shown part is whole in
 * this window and matches the full seed pattern before it is cut.
 */
const WINDOW_EXTRA = 80;

// A run of 17 or more base32 letters that starts with S: a seed, or a piece of
// a seed pasted without the rest. Variable names and words rarely have such
// runs.
const PARTIAL_SEED_PATTERN = /S[A-Z2-7]{16,}/g;

// A word naming a secret, then whitespace, ':' or '=', then its value: the
// value is hidden. This catches `WASMCLOUD_OCI_REGISTRY_PASSWORD hunter2`,
// a line where the '=' was forgotten.
const SECRET_NAME_VALUE_PATTERN = /([\w.-]*(?:password|passwd|pass|pwd|token|secret|seed|jwt|creds|nkey)[\w.-]*)([ \t]*[:=][ \t]*|[ \t]+)(?!\[redacted\])([^\s'"]+)/gi;

/**
 * Whether a character must not appear as it is in a message: line breaks,
 * other control characters and the characters that reorder text
 * (bidirectional marks, overrides and isolates). A message is one line, and
 * the CLI prints one finding per line.
 */
function isUnprintable(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * Prepares a piece of the user's text for a message. It first redacts seeds
 * (whole or partial), JWTs, creds blocks, URL passwords and the value after a
 * word such as PASSWORD, TOKEN or SEED. Then it shortens the result to
 * `maxLength` characters and escapes line breaks and other unprintable
 * characters. Redaction comes first because a seed cut short no longer looks
 * like a seed.
 */
export function redactForMessage(text: string, maxLength = QUOTE_LENGTH): string {
  // Only the start is redacted, which keeps this linear on a megabyte-long value.
  const window = text.length > maxLength + WINDOW_EXTRA ? text.slice(0, maxLength + WINDOW_EXTRA) : text;
  const hidden = redactSecrets(window).replace(SECRET_NAME_VALUE_PATTERN, `$1$2${REDACTED}`).replace(PARTIAL_SEED_PATTERN, REDACTED);
  return escapeUnprintable(shorten(hidden, maxLength, window.length < text.length));
}

/**
 * Hides seeds (whole or partial), JWTs, creds blocks and URL passwords in a
 * sentence written by other code, such as a key inspection's reason, without
 * shortening it, and escapes unprintable characters. Use it where such a
 * sentence may quote the user's text.
 */
export function hideSecrets(text: string): string {
  return escapeUnprintable(redactSecrets(text).replace(PARTIAL_SEED_PATTERN, REDACTED));
}

/** `redactForMessage` in single quotes, for a value inside a sentence. */
export function quoteForMessage(text: string, maxLength = QUOTE_LENGTH): string {
  return `'${redactForMessage(text, maxLength)}'`;
}

/** Maximum characters of a variable name shown in a message; longer names are cut. */
const NAME_LENGTH = 80;

/**
 * Prepares a variable name for a message. Known names pass unchanged, but a
 * name the user typed may contain a pasted seed, which is hidden.
 */
export function shownName(name: string): string {
  return redactForMessage(name, NAME_LENGTH);
}

/** Cuts `text` to `maxLength` characters and adds '…', without cutting a redaction placeholder in two. */
function shorten(text: string, maxLength: number, alreadyCut: boolean): string {
  if (text.length <= maxLength) {
    return alreadyCut ? `${text}…` : text;
  }
  let end = maxLength;
  const placeholder = text.lastIndexOf(REDACTED.charAt(0), end - 1);
  if (placeholder >= 0 && placeholder + REDACTED.length > end && text.startsWith(REDACTED, placeholder)) {
    end = placeholder + REDACTED.length;
  }
  return end >= text.length && !alreadyCut ? text : `${text.slice(0, end)}…`;
}

function escapeUnprintable(text: string): string {
  let escaped = '';
  let copied = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (!isUnprintable(code)) {
      continue;
    }
    escaped += text.slice(copied, index) + escapeCharacter(code);
    copied = index + 1;
  }
  return copied === 0 ? text : escaped + text.slice(copied);
}

function escapeCharacter(code: number): string {
  switch (code) {
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    default:
      return `\\u${code.toString(16).padStart(4, '0')}`;
  }
}
