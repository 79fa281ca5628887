import { readFile } from 'node:fs/promises';
import { jwtAuthenticator, nkeyAuthenticator, type ConnectionOptions, type TlsOptions } from '@nats-io/transport-node';
import { inspectKey } from '../keys/inspect';
import { NatsFailure, describeErrorChain } from './errors';
import { readServerList, type ConnectionProfile } from './profile';

/** A password or token kept outside the profile (the editor's secret storage). */
export interface ProfileSecrets {
  password?: string;
  token?: string;
}

export interface ConnectOptionsExtra {
  /** Milliseconds allowed for dialing and the server's first PONG. */
  timeoutMs: number;
  /** Client name the server shows in its connection list. */
  clientName?: string;
  /** Reconnect attempts after an established connection drops (nats.js default 10). */
  maxReconnectAttempts?: number;
}

/** Default connect timeout: long enough for a TLS handshake across a continent, short enough to report a dead server promptly. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

// Case-insensitive, so a lower-case seed is found and gets the inspector's precise reason.
const SEED_SHAPE = /\bS[A-Z2-7]{57}\b/i;
const BLOCK_LINE = /^\s*-{3,}\s*(BEGIN|END)\s+([A-Z0-9 ]+?)\s*-{3,}\s*$/;

async function readTextFile(file: string, label: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') {
      throw new NatsFailure('file-not-found', `The ${label} ${file} was not found.`, describeErrorChain(error), { cause: error });
    }
    throw new NatsFailure('file-not-found', `The ${label} ${file} could not be read (${String(code ?? 'unknown error')}).`, describeErrorChain(error), {
      cause: error,
    });
  }
}

/** Checks that `seed` is a valid user nkey seed; returns the key inspector's reason (one sentence) when it is not. */
function userSeedProblem(seed: string): string | undefined {
  const inspection = inspectKey(seed, { type: 'seed', kind: 'user' });
  if (inspection.valid) {
    return undefined;
  }
  // Client connections sign the server's nonce with a user seed.
  return inspection.reason ?? 'The key is not a valid user seed (SU…).';
}

/**
 * Reads an nkey seed file: surrounding whitespace (and CRLF line ends) is
 * trimmed, and a file with other lines around the seed is accepted. The seed
 * is validated; error messages never include it.
 */
export async function readSeedFile(file: string): Promise<Uint8Array> {
  const text = (await readTextFile(file, 'nkey seed file')).trim();
  const seed = /\s/.test(text) ? (SEED_SHAPE.exec(text)?.[0] ?? '') : text;
  if (seed === '') {
    throw new NatsFailure('bad-seed', `The nkey seed file ${file} contains no nkey seed (a 58-character value starting with SU).`, 'no seed-shaped token in the file');
  }
  const problem = userSeedProblem(seed);
  if (problem !== undefined) {
    throw new NatsFailure('bad-seed', `The nkey seed file ${file} cannot be used. ${problem}`, problem);
  }
  return new TextEncoder().encode(seed);
}

export interface Credentials {
  jwt: string;
  seed: Uint8Array;
}

/** `reason` is a clause without a final period, or full sentences ending in one. */
function badCreds(file: string, reason: string): NatsFailure {
  const sentence = /[.!?]$/.test(reason) ? reason : `${reason}.`;
  return new NatsFailure('bad-credentials', `Bad credentials file ${file}: ${sentence}`, reason);
}

/**
 * Parses the text of a NATS creds file (as written by `nsc`): the first
 * BEGIN/END block is the user JWT, the second the user seed. CRLF line ends
 * are accepted. `file` only names the file in errors.
 */
export function parseCredsText(text: string, file: string): Credentials {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: string[] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    const marker = BLOCK_LINE.exec(line);
    if (marker?.[1] === 'BEGIN') {
      current = [];
    } else if (marker?.[1] === 'END') {
      if (current !== undefined) {
        blocks.push(current.join('').trim());
      }
      current = undefined;
    } else if (current !== undefined) {
      current.push(line.trim());
    }
  }

  if (blocks.length === 0) {
    throw badCreds(file, 'no "-----BEGIN NATS USER JWT-----" block was found');
  }
  const jwt = blocks[0];
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(jwt)) {
    throw badCreds(file, 'the first block is not a JWT (three base64url parts separated by dots)');
  }
  if (blocks.length < 2 || blocks[1] === '') {
    throw badCreds(file, 'no "-----BEGIN USER NKEY SEED-----" block was found after the JWT');
  }
  const problem = userSeedProblem(blocks[1]);
  if (problem !== undefined) {
    throw badCreds(file, `the seed block is not a usable user seed. ${problem}`);
  }
  return { jwt, seed: new TextEncoder().encode(blocks[1]) };
}

/** Reads and checks a creds file; see `parseCredsText`. */
export async function readCredsFile(file: string): Promise<Credentials> {
  return parseCredsText(await readTextFile(file, 'credentials file'), file);
}

async function checkReadable(file: string | undefined, label: string): Promise<void> {
  if (file !== undefined) {
    await readTextFile(file, label);
  }
}

async function tlsOptions(profile: ConnectionProfile): Promise<TlsOptions | undefined> {
  const tls = profile.tls;
  const wantsTls = profile.servers.some((server) => server.trim().toLowerCase().startsWith('tls://'));
  if (tls === undefined) {
    return wantsTls ? {} : undefined;
  }
  // nats.js reports a missing file as "<path> doesn't exist" only after
  // dialing. Checking first gives a message that names the file's role.
  await checkReadable(tls.caFile, 'TLS CA file');
  await checkReadable(tls.certFile, 'TLS certificate file');
  await checkReadable(tls.keyFile, 'TLS key file');
  if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) {
    throw new NatsFailure(
      'tls',
      `Connection "${profile.name}" names a TLS ${tls.certFile === undefined ? 'key' : 'certificate'} without the matching ${tls.certFile === undefined ? 'certificate' : 'key'}; set both or neither.`,
      'client certificate and key must be set together',
    );
  }
  return {
    caFile: tls.caFile,
    certFile: tls.certFile,
    keyFile: tls.keyFile,
    handshakeFirst: tls.handshakeFirst ? true : undefined,
  };
}

/**
 * Builds nats.js connection options for `profile`: reads and checks the nkey
 * seed or creds file and the TLS files, and takes a password or token from
 * `secrets` when the profile does not carry one. Rejects with a
 * `NatsFailure` naming the file for a missing or malformed file.
 */
export async function buildConnectOptions(profile: ConnectionProfile, secrets: ProfileSecrets, extra: ConnectOptionsExtra): Promise<ConnectionOptions> {
  // nats.js ignores user information in a URL (and reads a numeric password
  // as the port), so it gets the bare URLs and the credentials as options.
  const serverList = readServerList(profile.servers);
  if (serverList.problem !== undefined) {
    throw new NatsFailure('other', `Connection "${profile.name}": ${serverList.problem}`, serverList.problem);
  }
  const options: ConnectionOptions = {
    servers: serverList.servers,
    name: extra.clientName ?? 'wasmcloud-lattice',
    timeout: extra.timeoutMs,
    // An established connection retries a bounded number of times, each
    // attempt scheduled by nats.js, then closes; the next use opens a new one.
    reconnect: true,
    maxReconnectAttempts: extra.maxReconnectAttempts ?? 10,
    reconnectTimeWait: 2_000,
    waitOnFirstConnect: false,
  };
  if (profile.inboxPrefix !== undefined) {
    options.inboxPrefix = profile.inboxPrefix;
  }

  const auth = profile.auth;
  const urlCredentials = serverList.credentials;
  switch (auth.kind) {
    case 'none':
      // Profiles from settings, contexts and flags carry URL credentials in
      // `auth` already; this covers a profile built with them in its URLs.
      if (urlCredentials?.kind === 'user-password') {
        options.user = urlCredentials.user;
        options.pass = urlCredentials.password;
      } else if (urlCredentials?.kind === 'token') {
        options.token = urlCredentials.token;
      }
      break;
    case 'user-password':
      options.user = auth.user;
      options.pass = auth.password ?? secrets.password;
      break;
    case 'token':
      options.token = auth.token ?? secrets.token;
      break;
    case 'nkey':
      options.authenticator = nkeyAuthenticator(await readSeedFile(auth.seedFile));
      break;
    case 'creds': {
      const credentials = await readCredsFile(auth.credsFile);
      options.authenticator = jwtAuthenticator(credentials.jwt, credentials.seed);
      break;
    }
  }

  const tls = await tlsOptions(profile);
  if (tls !== undefined) {
    options.tls = tls;
  }
  return options;
}
