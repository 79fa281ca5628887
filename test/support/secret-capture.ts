/**
 * Input for the secret scan that ends `npm run test:vscode`. Tests record the
 * secrets they use: passwords and tokens in server configs, values typed into
 * password boxes, creds files. They also record the texts the product showed
 * or logged. Both go as JSON lines into files the runner names through the
 * environment; outside that runner the variables are unset and nothing is
 * written.
 *
 * Seeds need no recording: the scan finds every 58-character `S…` run that
 * decodes as an nkey seed.
 */
import { appendFileSync } from 'node:fs';
import { decodeSeed } from '../../src/core/keys/codec';

/** File of secrets the tests used, one `{"kind","value"}` per line. */
export const SECRET_NEEDLES_ENV = 'WCL_SECRET_NEEDLES';
/** File of texts the product showed or wrote, one `{"source","text"}` per line. */
export const SECRET_CAPTURE_ENV = 'WCL_SECRET_CAPTURE';

export type NeedleKind = 'password' | 'token' | 'jwt' | 'creds';

function append(variable: string, record: object): void {
  const file = process.env[variable];
  if (file !== undefined && file !== '') {
    appendFileSync(file, `${JSON.stringify(record)}\n`);
  }
}

/** Records a secret a test used, so the scan can look for it. */
export function recordSecret(kind: NeedleKind, value: string): void {
  if (value !== '') {
    append(SECRET_NEEDLES_ENV, { kind, value });
  }
}

/** Records a text the product showed or logged, such as a notification or a log line. */
export function recordShownText(source: string, text: string): void {
  if (text !== '') {
    append(SECRET_CAPTURE_ENV, { source, text });
  }
}

// `password: "x"`, `pass = 'x'`, `token: x`, `auth_token: x` in a nats-server configuration.
const CONFIG_SECRET = /\b(password|pass|token|auth_token)\s*[:=]\s*(?:"([^"]*)"|'([^']*)'|([^\s,}\]]+))/g;

/** Records every password and token in a nats-server configuration text. */
export function recordConfigSecrets(config: string): void {
  for (const match of config.matchAll(CONFIG_SECRET)) {
    const value = match[2] ?? match[3] ?? match[4] ?? '';
    recordSecret(match[1].includes('token') ? 'token' : 'password', value);
  }
}

/**
 * Returns every 58-character `S…` run in `text` that decodes as an nkey seed
 * of any kind, `M` and `V` included. Runs may overlap, so a seed after a stray `S`
 * is found too.
 */
export function findSeeds(text: string): string[] {
  const seeds: string[] = [];
  for (const match of text.matchAll(/(?=(S[A-Z2-7]{57}))/g)) {
    try {
      decodeSeed(match[1]);
      seeds.push(match[1]);
    } catch {
      // Shaped like a seed, but the checksum or prefix is wrong.
    }
  }
  return seeds;
}
