/**
 * A Prompter for extension tests: quick picks, input boxes and notification
 * buttons are answered from scripts, and everything shown is recorded. A
 * prompt without a scripted answer throws, so a test fails where the flow
 * went somewhere unexpected instead of waiting for a user.
 */
import type * as vscode from 'vscode';
import type { Back, InputOptions, NotificationLevel, NotifyOptions, PickOptions, Prompter } from '../../src/features/shared/prompter';
import { recordSecret, recordShownText } from './secret-capture';

/** Picks the first item whose label contains the text or matches the pattern. `undefined` cancels the quick pick. */
export type PickAnswer = string | RegExp | undefined | (<T extends vscode.QuickPickItem>(items: readonly T[]) => T | undefined);

/** The text to enter, `undefined` to cancel, or a function of the options, for example to accept the suggested value. */
export type InputAnswer = string | undefined | ((options: InputOptions) => string | undefined);

/** Answers the next notification with buttons whose message matches `message`. */
export interface NotifyAnswer {
  message: RegExp;
  /** The button to press, or undefined to dismiss. */
  button: string | undefined;
}

export interface RecordedPick {
  title?: string;
  placeholder?: string;
  items: vscode.QuickPickItem[];
}

export interface RecordedNotification {
  level: NotificationLevel;
  message: string;
  detail?: string;
  modal: boolean;
  buttons: string[];
}

export class ScriptedPrompter implements Prompter {
  readonly picks: RecordedPick[] = [];
  readonly inputs: InputOptions[] = [];
  readonly notifications: RecordedNotification[] = [];

  private pickAnswers: PickAnswer[] = [];
  private inputAnswers: InputAnswer[] = [];
  private notifyAnswers: NotifyAnswer[] = [];

  /** Queues answers for the next quick picks, in order. */
  answerPicks(...answers: PickAnswer[]): this {
    this.pickAnswers.push(...answers);
    return this;
  }

  /** Queues answers for the next input boxes, in order. */
  answerInputs(...answers: InputAnswer[]): this {
    this.inputAnswers.push(...answers);
    return this;
  }

  /** Queues button answers for the next notifications that offer buttons. */
  answerNotifications(...answers: NotifyAnswer[]): this {
    this.notifyAnswers.push(...answers);
    return this;
  }

  /** Throws when a scripted answer was not used, which means the flow ended earlier than the test expected. */
  assertAllAnswersUsed(): void {
    const left = [
      ...this.pickAnswers.map((answer) => `pick ${String(answer)}`),
      ...this.inputAnswers.map((answer) => `input ${String(answer)}`),
      ...this.notifyAnswers.map((answer) => `notification ${String(answer.message)}`),
    ];
    if (left.length > 0) {
      throw new Error(`Scripted answers were not used: ${left.join('; ')}`);
    }
  }

  /** Drops the answers not used yet. */
  clearAnswers(): void {
    this.pickAnswers = [];
    this.inputAnswers = [];
    this.notifyAnswers = [];
  }

  /** Forgets recorded prompts and queued answers. */
  reset(): void {
    this.picks.length = 0;
    this.inputs.length = 0;
    this.notifications.length = 0;
    this.clearAnswers();
  }

  /** Returns every text shown: quick pick labels, descriptions and details, input prompts and values, notifications. */
  shownTexts(): string[] {
    return [
      ...this.picks.flatMap((pick) => [pick.title ?? '', pick.placeholder ?? '', ...pick.items.flatMap((item) => [item.label, item.description ?? '', item.detail ?? ''])]),
      ...this.inputs.flatMap((input) => [input.title ?? '', input.prompt ?? '', input.value ?? '', input.placeholder ?? '']),
      ...this.notifications.flatMap((notification) => [notification.message, notification.detail ?? '']),
    ];
  }

  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions & { canGoBack: true }): Promise<T | Back | undefined>;
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options?: PickOptions): Promise<T | undefined>;
  async pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions = {}): Promise<T | Back | undefined> {
    this.picks.push({ title: options.title, placeholder: options.placeholder, items: [...items] });
    recordShownText('quick pick', [options.title, options.placeholder, ...items.flatMap((item) => [item.label, item.description, item.detail])].filter((text) => text !== undefined).join('\n'));
    if (this.pickAnswers.length === 0) {
      throw new Error(`Unscripted quick pick '${options.title ?? ''}' with items: ${items.map((item) => item.label).join(' | ')}`);
    }
    const answer = this.pickAnswers.shift();
    if (answer === undefined) {
      return undefined;
    }
    const picked =
      typeof answer === 'function'
        ? answer(items)
        : items.find((item) => (typeof answer === 'string' ? item.label.includes(answer) : answer.test(item.label)));
    if (picked === undefined) {
      throw new Error(`No item matches ${String(answer)} in quick pick '${options.title ?? ''}': ${items.map((item) => item.label).join(' | ')}`);
    }
    return picked;
  }

  async pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions = {}): Promise<T[] | undefined> {
    const picked = await this.pick(items, options);
    return picked === undefined ? undefined : [picked];
  }

  input(options: InputOptions & { canGoBack: true }): Promise<string | Back | undefined>;
  input(options: InputOptions): Promise<string | undefined>;
  async input(options: InputOptions): Promise<string | Back | undefined> {
    this.inputs.push(options);
    recordShownText('input box', [options.title, options.prompt, options.value, options.placeholder].filter((text) => text !== undefined).join('\n'));
    if (this.inputAnswers.length === 0) {
      throw new Error(`Unscripted input box '${options.title ?? ''}': ${options.prompt ?? ''}`);
    }
    const answer = this.inputAnswers.shift();
    const value = typeof answer === 'function' ? answer(options) : answer;
    if (value === undefined) {
      return undefined;
    }
    if (options.password === true) {
      // A value typed into a password box is a secret the scan must not find anywhere.
      recordSecret('password', value);
    }
    const invalid = options.validate?.(value);
    if (invalid !== undefined) {
      throw new Error(`Input box '${options.title ?? ''}' rejects the scripted value: ${invalid}`);
    }
    return value;
  }

  async notify(level: NotificationLevel, message: string, options: NotifyOptions = {}, ...buttons: string[]): Promise<string | undefined> {
    this.notifications.push({ level, message, detail: options.detail, modal: options.modal ?? false, buttons });
    recordShownText('notification', options.detail === undefined ? message : `${message}\n${options.detail}`);
    if (buttons.length === 0) {
      return undefined;
    }
    const next = this.notifyAnswers[0];
    if (next === undefined || !next.message.test(message)) {
      if (options.modal) {
        throw new Error(`Unscripted modal dialog: ${message}`);
      }
      return undefined;
    }
    this.notifyAnswers.shift();
    if (next.button !== undefined && !buttons.includes(next.button)) {
      throw new Error(`The dialog '${message}' has no button '${next.button}', only: ${buttons.join(', ')}`);
    }
    return next.button;
  }

  async pickFolder(options: { title: string; defaultUri?: vscode.Uri }): Promise<vscode.Uri | undefined> {
    throw new Error(`Unscripted folder picker '${options.title}'`);
  }
}
