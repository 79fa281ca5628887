import * as assert from 'node:assert/strict';
import { fromSeed } from '@nats-io/nkeys';
import { parse } from 'dotenv';
import * as vscode from 'vscode';
import { BACK, type Back, type InputOptions, type NotificationLevel, type NotifyOptions, type PickOptions } from '../../../src/features/shared/prompter';
import { ScriptedPrompter } from '../../support/scripted-prompter';

const encoder = new TextEncoder();

/** A prompt as the flow showed it: its kind, title and step. */
export interface ShownStep {
  kind: 'pick' | 'input';
  title?: string;
  step?: number;
  totalSteps?: number;
  back: boolean;
}

/**
 * ScriptedPrompter that can also press Back, answer the folder picker and run
 * a check before a notification with buttons is answered, such as reading the
 * files between two rotation stages.
 */
export class StepPrompter extends ScriptedPrompter {
  readonly steps: ShownStep[] = [];
  /** Back presses to come, each after `after` more prompts of its kind. */
  private readonly backs: Array<{ kind: 'pick' | 'input'; after: number }> = [];
  private readonly folders: vscode.Uri[] = [];
  private readonly hooks: Array<{ message: RegExp; run: (message: string) => Promise<void> }> = [];

  /** Presses Back on a prompt of `kind` once `after` more prompts of that kind were answered. */
  pressBack(kind: 'pick' | 'input', after: number): this {
    this.backs.push({ kind, after });
    return this;
  }

  /** Returns whether this prompt of `kind` gets a Back press, counting down the queued presses. */
  private takeBack(kind: 'pick' | 'input'): boolean {
    const next = this.backs.find((candidate) => candidate.kind === kind);
    if (next === undefined) {
      return false;
    }
    if (next.after > 0) {
      next.after--;
      return false;
    }
    this.backs.splice(this.backs.indexOf(next), 1);
    return true;
  }

  answerFolders(...folders: vscode.Uri[]): this {
    this.folders.push(...folders);
    return this;
  }

  /** Runs `run` when a notification matching `message` is shown, before it is answered. */
  beforeNotification(message: RegExp, run: (message: string) => Promise<void>): this {
    this.hooks.push({ message, run });
    return this;
  }

  override pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions & { canGoBack: true }): Promise<T | Back | undefined>;
  override pick<T extends vscode.QuickPickItem>(items: readonly T[], options?: PickOptions): Promise<T | undefined>;
  override async pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions = {}): Promise<T | Back | undefined> {
    const back = this.takeBack('pick');
    this.steps.push({ kind: 'pick', title: options.title, step: options.step, totalSteps: options.totalSteps, back });
    if (back) {
      assert.ok(options.canGoBack, `quick pick '${options.title ?? ''}' has no Back button`);
      this.picks.push({ title: options.title, placeholder: options.placeholder, items: [...items] });
      return BACK;
    }
    return super.pick(items, options);
  }

  override input(options: InputOptions & { canGoBack: true }): Promise<string | Back | undefined>;
  override input(options: InputOptions): Promise<string | undefined>;
  override async input(options: InputOptions): Promise<string | Back | undefined> {
    const back = this.takeBack('input');
    this.steps.push({ kind: 'input', title: options.title, step: options.step, totalSteps: options.totalSteps, back });
    if (back) {
      assert.ok(options.canGoBack, `input box '${options.title ?? ''}' has no Back button`);
      this.inputs.push(options);
      return BACK;
    }
    return super.input(options);
  }

  override async notify(level: NotificationLevel, message: string, options: NotifyOptions = {}, ...buttons: string[]): Promise<string | undefined> {
    const hook = this.hooks.find((candidate) => candidate.message.test(message));
    if (hook !== undefined) {
      this.hooks.splice(this.hooks.indexOf(hook), 1);
      await hook.run(message);
    }
    return super.notify(level, message, options, ...buttons);
  }

  override async pickFolder(options: { title: string; defaultUri?: vscode.Uri }): Promise<vscode.Uri | undefined> {
    const folder = this.folders.shift();
    if (folder === undefined) {
      return super.pickFolder(options);
    }
    return folder;
  }
}

/** Returns the variables a host would load from a document, read by the `dotenv` package. */
export function loadEnv(text: string): Record<string, string> {
  return parse(text);
}

export function publicKeyOf(seed: string): string {
  return fromSeed(encoder.encode(seed)).getPublicKey();
}

/** Returns "rejecter → signer" for each pair of host texts where one does not list the other's seed key (derived by nkeys). */
export function rejectedPairs(texts: Record<string, string>): string[] {
  const hosts = Object.entries(texts).map(([name, text]) => {
    const env = loadEnv(text);
    const signs = env.WASMCLOUD_CLUSTER_SEED === undefined ? undefined : publicKeyOf(env.WASMCLOUD_CLUSTER_SEED);
    const accepts = env.WASMCLOUD_CLUSTER_ISSUERS?.split(',') ?? (signs === undefined ? [] : [signs]);
    return { name, signs, accepts };
  });
  const pairs: string[] = [];
  for (const rejecter of hosts) {
    for (const signer of hosts) {
      if (signer.signs !== undefined && !rejecter.accepts.includes(signer.signs)) {
        pairs.push(`${rejecter.name} → ${signer.name}`);
      }
    }
  }
  return pairs;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `read` until `done` returns true or `timeoutMs` passes, then returns the last value. */
export async function waitFor<T>(read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await sleep(100);
    value = await read();
  }
  return value;
}

/** Errors and warnings of this extension on `uri`, as "code: message". */
export function problemsOf(uri: vscode.Uri): string[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((diagnostic) => diagnostic.source === 'wasmCloud Lattice')
    .filter((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error || diagnostic.severity === vscode.DiagnosticSeverity.Warning)
    .map((diagnostic) => `${String(diagnostic.code)}: ${diagnostic.message}`);
}

/**
 * Waits until the linter has had time to check the open files (its debounce
 * is 250 ms) and returns their errors and warnings, keyed by file name.
 */
export async function settledProblems(uris: readonly vscode.Uri[]): Promise<Record<string, string[]>> {
  await sleep(1_200);
  const result: Record<string, string[]> = {};
  for (const uri of uris) {
    const problems = problemsOf(uri);
    if (problems.length > 0) {
      result[uri.path.split('/').pop() ?? uri.path] = problems;
    }
  }
  return result;
}

/** Opens every file in an editor that stays open, so the linter reports all its findings. */
export async function showAll(uris: readonly vscode.Uri[]): Promise<vscode.TextEditor[]> {
  const editors: vscode.TextEditor[] = [];
  for (const uri of uris) {
    editors.push(await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false }));
  }
  return editors;
}
