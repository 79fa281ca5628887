/**
 * Logging contract shared by the extension and the CLI. Core modules take a
 * `Logger` so they never depend on VS Code's output channel.
 */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/** Logger that drops everything, for callers that do not log. */
export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const REDACTED = '[redacted]';

// An nkey seed is 'S' + a kind letter + 56 base32 characters. Matching the
// shape, not the checksum, also hides mistyped seeds.
const SEED_PATTERN = /\bS[A-Z2-7]{57}\b/g;
// A JWT's three base64url parts, the first starting with '{"' encoded.
const JWT_PATTERN = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
// user:password@ in a server URL.
const URL_PASSWORD_PATTERN = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]+@/gi;
// The body of a creds file block.
const CREDS_BLOCK_PATTERN = /(-{3,}BEGIN [A-Z ]+-{3,})[\s\S]*?(-{3,}END [A-Z ]+-{3,})/g;
// pass=…, password: …, token=… and similar in error texts and URLs.
const ASSIGNED_SECRET_PATTERN = /\b(pass|password|token|auth_token|secret|seed)(["']?\s*[:=]\s*["']?)([^\s"',;&]+)/gi;

/**
 * Replaces nkey seeds, JWTs, creds file blocks and passwords or tokens in
 * `text` with a placeholder. Every logger in the product runs its messages
 * through this, so a secret inside a server's error text is never written.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(CREDS_BLOCK_PATTERN, `$1 ${REDACTED} $2`)
    .replace(SEED_PATTERN, REDACTED)
    .replace(JWT_PATTERN, REDACTED)
    .replace(URL_PASSWORD_PATTERN, `$1${REDACTED}@`)
    .replace(ASSIGNED_SECRET_PATTERN, `$1$2${REDACTED}`);
}

/** Formats an unknown thrown value as one line: its message, then its code when it has one. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
