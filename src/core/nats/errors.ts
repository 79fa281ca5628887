import { JetStreamApiError, JetStreamApiCodes } from '@nats-io/jetstream';
import { errors as coreErrors } from '@nats-io/transport-node';
import { describeError } from '../log';

export type NatsFailureKind =
  | 'connection-refused'
  | 'timeout'
  | 'authorization'
  | 'bad-credentials'
  | 'bad-seed'
  | 'file-not-found'
  | 'tls'
  | 'jetstream-not-enabled-server'
  | 'jetstream-not-enabled-account'
  | 'stream-not-found'
  | 'invalid-subject'
  | 'permission'
  | 'host-not-found'
  | 'connection-closed'
  | 'other';

/**
 * A failure with a plain message for people (naming the server and the
 * cause) and the underlying error's text in `detail` for the log.
 */
export class NatsFailure extends Error {
  constructor(
    readonly kind: NatsFailureKind,
    message: string,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'NatsFailure';
  }
}

/** Formats one log line for a failed step: what failed, the plain message, then the underlying error chain. */
export function failureLogLine(what: string, failure: NatsFailure): string {
  return `${what} failed: ${failure.message} (cause: ${failure.detail})`;
}

/** Describes an error and its chain of causes on one line, for the log. */
export function describeErrorChain(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    parts.push(describeError(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(' <- ');
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      return code;
    }
    current = current.cause;
  }
  return undefined;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

function isTlsError(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined && (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))) {
    return true;
  }
  const text = describeErrorChain(error).toLowerCase();
  return text.includes('tls') || text.includes('ssl') || text.includes('certificate');
}

export interface FailureContext {
  /** The server or server list, as shown to people. */
  server: string;
  /** The connection's name, when it has one. */
  connection?: string;
  /** The stream the operation was about. */
  stream?: string;
  /** Connect timeout in milliseconds, for the timed-out message of a connect. */
  timeoutMs?: number;
  /**
   * The request that failed on an open connection. With it, a timeout is
   * reported as a timed-out request with its limit, not as a failed connect.
   */
  request?: { name: string; timeoutMs: number };
  /** The JetStream domain or API prefix the connection selects, when it selects one. */
  jetstream?: { domain?: string; apiPrefix?: string };
}

/** True when `error` is nats.js rejecting a pending request because the connection closed. */
export function isConnectionClosedDuringRequest(error: unknown): boolean {
  return error instanceof coreErrors.RequestError && /connection closed/i.test(error.message);
}

/**
 * Turns an error from connecting or from a JetStream call into a
 * `NatsFailure` with a message that names the server and the cause. A
 * `NatsFailure` passes through unchanged.
 */
export function classifyNatsError(error: unknown, context: FailureContext): NatsFailure {
  if (error instanceof NatsFailure) {
    return error;
  }
  const detail = describeErrorChain(error);
  const server = context.server;
  const connection = context.connection === undefined ? '' : ` for connection "${context.connection}"`;
  const make = (kind: NatsFailureKind, message: string): NatsFailure => new NatsFailure(kind, message, detail, { cause: error });

  // @nats-io/jetstream 3.4 exports neither StreamNotFoundError nor
  // JetStreamNotEnabled from its main entry, so they are matched by name.
  const name = error instanceof Error ? error.name : '';
  if (name === 'StreamNotFoundError' || (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) {
    const stream = context.stream === undefined ? 'The stream' : `Stream ${context.stream}`;
    return make('stream-not-found', `${stream} was not found on ${server}; it may have been deleted.`);
  }
  if (name === 'JetStreamNotEnabled' || (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.JetStreamNotEnabledForAccount)) {
    const cause = error instanceof Error ? error.cause : undefined;
    if (error instanceof JetStreamApiError || cause instanceof JetStreamApiError || /account/i.test(describeError(error))) {
      const account = context.connection === undefined ? 'the account' : `the account of connection "${context.connection}"`;
      return make(
        'jetstream-not-enabled-account',
        `JetStream is not enabled for ${account} on ${server}. Enable JetStream for that account in the server configuration, or connect as a user of an account that has it.`,
      );
    }
    const domain = context.jetstream?.domain;
    const apiPrefix = context.jetstream?.apiPrefix;
    if (domain !== undefined) {
      return make(
        'jetstream-not-enabled-server',
        `No JetStream answered for domain "${domain}" on ${server}. Check the JetStream domain: the server may use another domain or none. Otherwise JetStream is not enabled there.`,
      );
    }
    if (apiPrefix !== undefined) {
      return make(
        'jetstream-not-enabled-server',
        `No JetStream answered on API prefix "${apiPrefix}" on ${server}. Check the JetStream API prefix. Otherwise JetStream is not enabled there.`,
      );
    }
    return make('jetstream-not-enabled-server', `JetStream is not enabled on ${server}. Start nats-server with -js or add a jetstream block to its configuration.`);
  }
  if (error instanceof coreErrors.AuthorizationError || error instanceof coreErrors.UserAuthenticationExpiredError) {
    return make(
      'authorization',
      `Authorization violation on ${server}: the server rejected the credentials${connection}. Check the user and password, token, nkey seed or creds file.`,
    );
  }
  if (error instanceof coreErrors.PermissionViolationError) {
    return make('permission', `Permission denied on ${server}: this user may not ${error.operation} on ${error.subject}.`);
  }

  const code = errorCode(error);
  if (code === 'ECONNREFUSED' || (error instanceof coreErrors.ConnectionError && /refused/i.test(error.message))) {
    return make('connection-refused', `Connection refused by ${server}. Check that nats-server is running and listening on that address.`);
  }
  const timedOut = error instanceof coreErrors.TimeoutError || code === 'ETIMEDOUT' || /\btimeout\b/i.test(error instanceof Error ? error.message : '');
  if (timedOut && context.request !== undefined) {
    return make(
      'timeout',
      context.stream === undefined
        ? `The ${context.request.name} to ${server} timed out after ${context.request.timeoutMs} ms. The server may be overloaded or stalled; try again when it responds.`
        : `The ${context.request.name} for stream ${context.stream} to ${server} timed out after ${context.request.timeoutMs} ms. The server may be overloaded or stalled, or the cluster node that stores the stream may be down; try again when it responds.`,
    );
  }
  if (timedOut) {
    const after = context.timeoutMs === undefined ? '' : ` after ${context.timeoutMs} ms`;
    return make('timeout', `Timed out connecting to ${server}${after}. Check the address, the port and any firewall between you and the server.`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return make('connection-refused', `The host name of ${server} could not be resolved. Check the server URL.`);
  }
  if (code === 'ECONNRESET' && !isTlsError(error)) {
    return make('connection-closed', `${server} closed the connection while connecting. If the server requires TLS, add TLS settings to the connection.`);
  }
  if (isTlsError(error)) {
    return make('tls', `TLS with ${server} failed: ${describeError(error)}. Check the CA, certificate and key files and whether the server expects TLS first.`);
  }
  if (error instanceof coreErrors.ClosedConnectionError || error instanceof coreErrors.DrainingConnectionError) {
    return make('connection-closed', `The connection to ${server} is closed. Refresh to connect again.`);
  }
  if (isConnectionClosedDuringRequest(error)) {
    const request = context.request?.name ?? 'request';
    return make('connection-closed', `The connection to ${server} closed before the ${request} was answered. Refresh to connect again.`);
  }
  return make('other', `NATS request to ${server} failed: ${describeError(error)}`);
}
