import * as vscode from 'vscode';
import { getCacheEntry } from '../../core/nats/cache-entries';
import { getCacheStats } from '../../core/nats/cache-streams';
import type { NatsConnectionPool } from '../../core/nats/connection-pool';
import { classifyNatsError, failureLogLine } from '../../core/nats/errors';
import type { ChannelLogger } from '../shared/log';
import type { ConnectionSources } from './connection-sources';

/** URI scheme of the read-only documents that show cache entries. */
export const ENTRY_SCHEME = 'wasmcloud-lattice-entry';

/**
 * Builds the URI of an entry document: the path names the stream and the
 * sequence (so the editor tab reads `LATTICECACHE_default.12.json`) and the
 * query names the connection profile.
 */
export function entryUri(profileId: string, stream: string, seq: number): vscode.Uri {
  return vscode.Uri.from({
    scheme: ENTRY_SCHEME,
    path: `/${stream}.${seq}.json`,
    query: new URLSearchParams({ profile: profileId }).toString(),
  });
}

function parseEntryUri(uri: vscode.Uri): { profileId: string; stream: string; seq: number } | undefined {
  const match = /^\/([^/]+)\.(\d+)\.json$/.exec(uri.path);
  const profileId = new URLSearchParams(uri.query).get('profile');
  if (match === null || profileId === null) {
    return undefined;
  }
  return { profileId, stream: match[1], seq: Number(match[2]) };
}

/**
 * Serves entry documents: the entry's value as pretty-printed JSON, or a
 * JSON description of why it cannot be shown. Documents of this scheme are
 * read-only because no file system provider backs it.
 */
export class EntryDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(
    private readonly sources: ConnectionSources,
    private readonly pool: NatsConnectionPool,
    private readonly logger: ChannelLogger,
  ) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const target = parseEntryUri(uri);
    if (target === undefined) {
      return `${JSON.stringify({ error: `Invalid entry address ${uri.toString()}.` }, null, 2)}\n`;
    }
    const profile = await this.sources.find(target.profileId);
    if (profile === undefined) {
      return `${JSON.stringify({ error: `The connection of this entry (${target.profileId}) is no longer configured.` }, null, 2)}\n`;
    }
    try {
      const session = await this.pool.session(profile);
      const cache = await getCacheStats(session, target.stream);
      return (await getCacheEntry(session, cache, target.seq)).json;
    } catch (error) {
      const failure = classifyNatsError(error, { server: profile.servers.join(', '), connection: profile.name, stream: target.stream });
      this.logger.error(failureLogLine(`Opening entry ${target.seq} of ${target.stream}`, failure));
      return `${JSON.stringify({ stream: target.stream, seq: target.seq, error: failure.message }, null, 2)}\n`;
    }
  }
}
