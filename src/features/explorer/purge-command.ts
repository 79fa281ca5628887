import * as vscode from 'vscode';
import type { NatsConnectionPool } from '../../core/nats/connection-pool';
import { classifyNatsError, failureLogLine, NatsFailure } from '../../core/nats/errors';
import { countOf } from '../../core/nats/format';
import { describeHost, type LatticeHost } from '../../core/nats/host-ping';
import { describeServers, type ConnectionProfile } from '../../core/nats/profile';
import { checkRunningHosts, countPurgeTarget, describePurgeTarget, purgeCacheStream, type PurgeTarget } from '../../core/nats/purge';
import type { LatticeSession } from '../../core/nats/session';
import type { ChannelLogger } from '../shared/log';
import type { Prompter } from '../shared/prompter';
import type { ExplorerNode } from './tree-nodes';

export const PURGE_ANYWAY = 'Purge Anyway…';
export const REVIEW_ENTRIES = 'Review Entries';
export const SHOW_LOG = 'Show Log';

export interface PurgeRequest {
  profile: ConnectionProfile;
  lattice: string;
  target: PurgeTarget;
  /** The cache or entry-kind node the purge started from, shown by Review Entries. */
  node?: ExplorerNode;
}

/**
 * Runs `work` with a progress notification titled `title`. When
 * `cancellable`, the notification has a Cancel button, and pressing it
 * resolves undefined at once while `work` finishes unobserved.
 */
export type ProgressRunner = <T>(title: string, cancellable: boolean, work: () => Promise<T>) => Promise<T | undefined>;

export interface PurgeContext {
  pool: NatsConnectionPool;
  logger: ChannelLogger;
  prompter: () => Prompter;
  pingTimeoutMs: () => number;
  /** Called after a purge and when the stream turned out to be gone. */
  refresh: (profileId: string) => void;
  /** Shows `node` expanded in the Lattices view, for Review Entries. */
  reveal?: (node: ExplorerNode) => Promise<void>;
  /** Shows progress; defaults to a notification. Tests pass their own runner. */
  progress?: ProgressRunner;
}

/** Result of the purge flow, for callers and tests. */
export type PurgeOutcome = 'purged' | 'cancelled' | 'nothing-to-purge' | 'already-running' | 'not-found' | 'failed';

const notificationProgress: ProgressRunner = <T>(title: string, cancellable: boolean, work: () => Promise<T>): Promise<T | undefined> =>
  Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable }, (_progress, token): Promise<T | undefined> => {
      if (!cancellable) {
        return work();
      }
      return new Promise<T | undefined>((resolve, reject) => {
        const subscription = token.onCancellationRequested(() => resolve(undefined));
        work()
          .then(resolve, reject)
          .finally(() => subscription.dispose());
      });
    }),
  );

interface CheckResult {
  session: LatticeSession;
  count: number;
  hosts: LatticeHost[];
  /** Reason the running hosts could not be checked (no permission to publish the ping). */
  pingProblem?: string;
}

/**
 * Purges lattice cache streams with the checks the documented procedure
 * requires: ping the lattice's hosts of every generation, warn in a modal
 * listing any that answer, confirm with the stream, server and message
 * count, report how many messages were purged and refresh the tree. One
 * purge per stream runs at a time, so a double click does not start a
 * second one.
 *
 * Enter never confirms a purge. VS Code makes the first button of a modal
 * message its default (Enter) button and adds Cancel last. So the plain
 * confirmation puts Review Entries first, and with hosts running,
 * Purge Anyway… only opens an input box in which the stream name must be
 * typed.
 */
export class PurgeFlow {
  private readonly running = new Set<string>();

  constructor(private readonly context: PurgeContext) {}

  async run(request: PurgeRequest): Promise<PurgeOutcome> {
    const key = `${request.profile.id}\u0000${request.target.stream}`;
    const prompter = this.context.prompter();
    if (this.running.has(key)) {
      await prompter.notify('info', `A purge of stream ${request.target.stream} is already running.`);
      return 'already-running';
    }
    this.running.add(key);
    try {
      return await this.purge(request, prompter);
    } finally {
      this.running.delete(key);
    }
  }

  /** Connects, counts the messages and pings the hosts; resolves undefined when the user cancels. */
  private async check(request: PurgeRequest): Promise<CheckResult | undefined> {
    const { profile, lattice, target } = request;
    const progress = this.context.progress ?? notificationProgress;
    const timeoutMs = this.context.pingTimeoutMs();
    // Connecting is inside the progress too: a stalled server can take the whole connect timeout.
    return progress(`Checking for running hosts of lattice ${lattice}…`, true, async () => {
      const session = await this.context.pool.session(profile);
      const count = await countPurgeTarget(session, target);
      let hosts: LatticeHost[] = [];
      let pingProblem: string | undefined;
      try {
        hosts = await checkRunningHosts(session, target.stream, timeoutMs);
      } catch (error) {
        if (!(error instanceof NatsFailure) || error.kind !== 'permission') {
          throw error;
        }
        pingProblem = error.message;
      }
      return { session, count, hosts, pingProblem };
    });
  }

  private async purge(request: PurgeRequest, prompter: Prompter): Promise<PurgeOutcome> {
    const { profile, target } = request;
    const { logger } = this.context;
    const what = describePurgeTarget(target);
    let server = describeServers(profile.servers);

    try {
      const checked = await this.check(request);
      if (checked === undefined) {
        logger.info(`Purge of ${what} on ${server} cancelled while checking for running hosts.`);
        return 'cancelled';
      }
      const { session, count } = checked;
      server = session.server;

      if (count === 0) {
        await prompter.notify('info', `Nothing to purge: ${what} on ${server} has no messages.`);
        return 'nothing-to-purge';
      }

      const hostsMayRun = checked.hosts.length > 0 || checked.pingProblem !== undefined;
      const confirmed = hostsMayRun ? await this.confirmWithHosts(request, checked, server) : await this.confirm(request, count, server);
      if (!confirmed) {
        return 'cancelled';
      }

      const progress = this.context.progress ?? notificationProgress;
      // Not cancellable: once sent, the purge request cannot be called back.
      const purged = await progress(`Purging ${what}…`, false, () => purgeCacheStream(session, target, { howToCheck: 'refresh the Lattices view to check' }));
      logger.info(`Purged ${countOf(purged ?? 0, 'message')} from ${what} on ${server}.`);
      this.context.refresh(profile.id);
      await prompter.notify('info', `Purged ${countOf(purged ?? 0, 'message')} from ${what} on ${server}.`);
      return 'purged';
    } catch (error) {
      const failure = classifyNatsError(error, { server, connection: profile.name, stream: target.stream });
      logger.error(failureLogLine(`Purging ${what}`, failure));
      if (failure.kind === 'stream-not-found') {
        this.context.refresh(profile.id);
        await prompter.notify('warning', `${failure.message} The explorer was refreshed.`);
        return 'not-found';
      }
      const choice = await prompter.notify('error', failure.message, {}, SHOW_LOG);
      if (choice === SHOW_LOG) {
        logger.show();
      }
      return 'failed';
    }
  }

  /** Asks to purge when no host answered. Review Entries comes first, so Enter does not purge. */
  private async confirm(request: PurgeRequest, count: number, server: string): Promise<boolean> {
    const { logger } = this.context;
    const what = describePurgeTarget(request.target);
    const button = `Purge ${countOf(count, 'Message')}`;
    const choice = await this.context.prompter().notify(
      'warning',
      `Purge ${countOf(count, 'message')} from ${what} on ${server}?`,
      { modal: true, detail: 'Purged messages cannot be restored.' },
      REVIEW_ENTRIES,
      button,
    );
    if (choice === button) {
      return true;
    }
    if (choice === REVIEW_ENTRIES && request.node !== undefined) {
      try {
        await this.context.reveal?.(request.node);
      } catch (error) {
        // Not revealing the node leaves the cache untouched, so it is only logged.
        logger.warn(`Showing ${request.node.id} in the Lattices view failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    logger.info(`Purge of ${what} on ${server} cancelled at the confirmation${choice === REVIEW_ENTRIES ? ' to review the entries' : ''}.`);
    return false;
  }

  /**
   * Warns that hosts answered the ping (or could not be pinged) and, after
   * Purge Anyway…, asks for the stream name to be typed. The warning is
   * logged only once the purge is confirmed.
   */
  private async confirmWithHosts(request: PurgeRequest, checked: CheckResult, server: string): Promise<boolean> {
    const { logger } = this.context;
    const { lattice, target } = request;
    const what = describePurgeTarget(target);
    const prompter = this.context.prompter();
    const message =
      checked.pingProblem ?? `${countOf(checked.hosts.length, 'host')} of lattice ${lattice} ${checked.hosts.length === 1 ? 'is' : 'are'} running.`;
    const detail = [...checked.hosts.map(describeHost), '', 'The documented procedure is to stop all hosts of the lattice before purging its cache.'].join('\n').trim();

    const choice = await prompter.notify('warning', message, { modal: true, detail }, PURGE_ANYWAY);
    if (choice !== PURGE_ANYWAY) {
      logger.info(`Purge of ${what} on ${server} cancelled: ${message}`);
      return false;
    }

    const typed = await prompter.input({
      title: `Purge ${target.stream} While Hosts May Be Running`,
      prompt: `Type ${target.stream} to purge ${countOf(checked.count, 'message')} from ${what} on ${server}. Purged messages cannot be restored.`,
      placeholder: target.stream,
      validate: (value) => (value.trim() === target.stream ? undefined : `Type ${target.stream} to confirm, or press Escape to cancel.`),
    });
    if (typed === undefined) {
      logger.info(`Purge of ${what} on ${server} cancelled at the typed confirmation.`);
      return false;
    }
    logger.warn(`Purging ${what} on ${server} while hosts may be running: ${checked.hosts.map(describeHost).join('; ') || checked.pingProblem}`);
    return true;
  }
}
