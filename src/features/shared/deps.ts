import type * as vscode from 'vscode';
import type { ExplorerApi } from '../explorer/register';
import type { ChannelLogger } from './log';
import type { PrompterSlot } from './prompter';

/** What every feature's `register…` function receives besides the context. */
export interface FeatureDeps {
  readonly logger: ChannelLogger;
  readonly prompter: PrompterSlot;
}

/**
 * The value `activate()` returns. Extension tests use it to script prompts and
 * to read the notifications that were shown.
 */
export interface ExtensionApi {
  setPrompter(prompter: Parameters<PrompterSlot['set']>[0]): void;
  notifications(): readonly string[];
  /** Fires with every redacted line written to the log channel, at every level. */
  onDidLog: vscode.Event<string>;
  /** The Lattices view's tree, for tests. */
  explorer: ExplorerApi;
}

export type ActivationContext = vscode.ExtensionContext;
