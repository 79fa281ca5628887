import * as vscode from 'vscode';
import type { NatsConnectionPool } from '../../core/nats/connection-pool';
import { classifyNatsError, failureLogLine, NatsFailure } from '../../core/nats/errors';
import { countOf } from '../../core/nats/format';
import { describeHost, type LatticeHost } from '../../core/nats/host-ping';
import type { ConnectionProfile } from '../../core/nats/profile';
import { checkRunningHosts, countPurgeTarget, describePurgeTarget, purgeCacheStream, type PurgeTarget } from '../../core/nats/purge';
import type { ChannelLogger } from '../shared/log';
import type { Prompter } from '../shared/prompter';

export const PURGE_ANYWAY = 'Purge Anyway…';
export const SHOW_LOG = 'Show Log';

export interface PurgeRequest {
  profile: ConnectionProfile;
  lattice: string;
  target: PurgeTarget;
}

export interface PurgeContext {
  pool: NatsConnectionPool;
  logger: ChannelLogger;
  prompter: () => Prompter;
  pingTimeoutMs: () => number;
  /** Called after a purge and when the stream turned out to be gone. */
  refresh: (profileId: string) => void;
}

/** Result of the purge flow, for callers and tests. */
export type PurgeOutcome = 'purged' | 'cancelled' | 'nothing-to-purge' | 'already-running' | 'not-found' | 'failed';

function progress<T>(title: string, work: () => Promise<T>): Promise<T> {
  return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, work));
}

/**
 * Purges lattice cache streams with the checks the documented procedure
 * requires: ping the lattice's hosts of every generation, warn in a modal
 * listing any that answer (purging then takes a second explicit choice),
 * confirm with the stream, server and message count, report how many
 * messages were purged and refresh the tree. One purge per stream runs at a
 * time, so a double click does not start a second one.
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

  private async purge(request: PurgeRequest, prompter: Prompter): Promise<PurgeOutcome> {
    const { profile, lattice, target } = request;
    const { logger } = this.context;
    const what = describePurgeTarget(target);
    let server = profile.servers.join(', ');

    try {
      const session = await this.context.pool.session(profile);
      server = session.server;
      const timeoutMs = this.context.pingTimeoutMs();

      const checked = await progress(`Checking for running hosts of lattice ${lattice}…`, async () => {
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
        return { count, hosts, pingProblem };
      });

      if (checked.count === 0) {
        await prompter.notify('info', `Nothing to purge: ${what} on ${server} has no messages.`);
        return 'cancelled';
      }

      if (checked.hosts.length > 0 || checked.pingProblem !== undefined) {
        const message =
          checked.pingProblem ??
          `${countOf(checked.hosts.length, 'host')} of lattice ${lattice} ${checked.hosts.length === 1 ? 'is' : 'are'} running.`;
        const detail = [
          ...checked.hosts.map(describeHost),
          '',
          'The documented procedure is to stop all hosts of the lattice before purging its cache.',
        ]
          .join('\n')
          .trim();
        const choice = await prompter.notify('warning', message, { modal: true, detail }, PURGE_ANYWAY);
        if (choice !== PURGE_ANYWAY) {
          logger.info(`Purge of ${what} cancelled: ${message}`);
          return 'cancelled';
        }
        logger.warn(`Purging ${what} while hosts may be running: ${checked.hosts.map(describeHost).join('; ') || checked.pingProblem}`);
      }

      const button = `Purge ${countOf(checked.count, 'Message')}`;
      const confirmation = await prompter.notify(
        'warning',
        `Purge ${countOf(checked.count, 'message')} from ${what} on ${server}?`,
        { modal: true, detail: 'Purged messages cannot be restored.' },
        button,
      );
      if (confirmation !== button) {
        return 'cancelled';
      }

      const purged = await progress(`Purging ${what}…`, () => purgeCacheStream(session, target));
      logger.info(`Purged ${countOf(purged, 'message')} from ${what} on ${server}.`);
      this.context.refresh(profile.id);
      await prompter.notify('info', `Purged ${countOf(purged, 'message')} from ${what} on ${server}.`);
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
}
