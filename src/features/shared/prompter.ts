import * as vscode from 'vscode';

/**
 * Returned by a step of a multi-step flow when the user pressed the Back button.
 * A registered symbol, so that extension tests, which load this module outside
 * the bundle, and the bundled extension compare equal.
 */
export const BACK: unique symbol = Symbol.for('wasmcloudLattice.back');
export type Back = typeof BACK;

export interface StepOptions {
  title?: string;
  /** 1-based step shown in the title bar as `step/totalSteps`. */
  step?: number;
  totalSteps?: number;
  /** Shows a Back button; the call then resolves to `BACK` when it is pressed. */
  canGoBack?: boolean;
}

export interface PickOptions extends StepOptions {
  placeholder?: string;
  matchOnDescription?: boolean;
  matchOnDetail?: boolean;
}

export interface InputOptions extends StepOptions {
  prompt?: string;
  placeholder?: string;
  value?: string;
  password?: boolean;
  /** Returns an error message for an invalid value, or undefined when it is valid. */
  validate?: (value: string) => string | undefined;
}

export type NotificationLevel = 'info' | 'warning' | 'error';

export interface NotifyOptions {
  modal?: boolean;
  detail?: string;
}

/**
 * Every prompt and notification the commands show goes through this seam, so
 * extension tests can script the answers and read what was shown.
 */
export interface Prompter {
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions & { canGoBack: true }): Promise<T | Back | undefined>;
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options?: PickOptions): Promise<T | undefined>;
  pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options?: PickOptions): Promise<T[] | undefined>;
  input(options: InputOptions & { canGoBack: true }): Promise<string | Back | undefined>;
  input(options: InputOptions): Promise<string | undefined>;
  notify(level: NotificationLevel, message: string, options?: NotifyOptions, ...actions: string[]): Promise<string | undefined>;
  pickFolder(options: { title: string; defaultUri?: vscode.Uri }): Promise<vscode.Uri | undefined>;
}

/** The last notification texts shown, kept so tests can check that no secret was shown. */
export class NotificationRecord {
  private readonly texts: string[] = [];

  constructor(private readonly limit = 500) {}

  add(text: string): void {
    this.texts.push(text);
    if (this.texts.length > this.limit) {
      this.texts.shift();
    }
  }

  all(): readonly string[] {
    return this.texts;
  }
}

/**
 * Returns the title for a quick input. A quick pick or input box that sets
 * `step` and `totalSteps` shows "step/totalSteps" next to the title itself,
 * so the counter is added to the text only for `showQuickPick`, which has no
 * step fields.
 */
export function quickInputTitle(options: StepOptions, rendersStep: boolean): string | undefined {
  if (rendersStep || options.step === undefined || options.totalSteps === undefined) {
    return options.title;
  }
  return `${options.title ?? ''} (${options.step}/${options.totalSteps})`.trim();
}

/** Prompter over VS Code's quick input and notification APIs. */
export class VscodePrompter implements Prompter {
  constructor(private readonly record: NotificationRecord) {}

  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions & { canGoBack: true }): Promise<T | Back | undefined>;
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options?: PickOptions): Promise<T | undefined>;
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions = {}): Promise<T | Back | undefined> {
    return new Promise((resolve) => {
      const quickPick = vscode.window.createQuickPick<T>();
      quickPick.title = quickInputTitle(options, true);
      quickPick.step = options.step;
      quickPick.totalSteps = options.totalSteps;
      quickPick.placeholder = options.placeholder;
      quickPick.matchOnDescription = options.matchOnDescription ?? false;
      quickPick.matchOnDetail = options.matchOnDetail ?? false;
      quickPick.ignoreFocusOut = options.step !== undefined;
      quickPick.items = items;
      quickPick.buttons = options.canGoBack ? [vscode.QuickInputButtons.Back] : [];

      let settled = false;
      const finish = (value: T | Back | undefined): void => {
        if (!settled) {
          settled = true;
          resolve(value);
          quickPick.hide();
        }
      };
      quickPick.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) {
          finish(BACK);
        }
      });
      quickPick.onDidAccept(() => finish(quickPick.selectedItems[0]));
      quickPick.onDidHide(() => {
        finish(undefined);
        quickPick.dispose();
      });
      quickPick.show();
    });
  }

  async pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions = {}): Promise<T[] | undefined> {
    return vscode.window.showQuickPick(items, {
      title: quickInputTitle(options, false),
      placeHolder: options.placeholder,
      canPickMany: true,
      matchOnDescription: options.matchOnDescription,
      matchOnDetail: options.matchOnDetail,
    });
  }

  input(options: InputOptions & { canGoBack: true }): Promise<string | Back | undefined>;
  input(options: InputOptions): Promise<string | undefined>;
  input(options: InputOptions): Promise<string | Back | undefined> {
    return new Promise((resolve) => {
      const box = vscode.window.createInputBox();
      box.title = quickInputTitle(options, true);
      box.step = options.step;
      box.totalSteps = options.totalSteps;
      box.prompt = options.prompt;
      box.placeholder = options.placeholder;
      box.value = options.value ?? '';
      box.password = options.password ?? false;
      box.ignoreFocusOut = true;
      box.buttons = options.canGoBack ? [vscode.QuickInputButtons.Back] : [];

      let settled = false;
      const finish = (value: string | Back | undefined): void => {
        if (!settled) {
          settled = true;
          resolve(value);
          box.hide();
        }
      };
      const validate = (value: string): string | undefined => options.validate?.(value);
      box.onDidChangeValue((value) => {
        box.validationMessage = validate(value);
      });
      box.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) {
          finish(BACK);
        }
      });
      box.onDidAccept(() => {
        const message = validate(box.value);
        if (message !== undefined) {
          box.validationMessage = message;
          return;
        }
        finish(box.value);
      });
      box.onDidHide(() => {
        finish(undefined);
        box.dispose();
      });
      box.show();
    });
  }

  async notify(level: NotificationLevel, message: string, options: NotifyOptions = {}, ...actions: string[]): Promise<string | undefined> {
    this.record.add(options.detail === undefined ? message : `${message}\n${options.detail}`);
    const messageOptions: vscode.MessageOptions = { modal: options.modal ?? false, detail: options.detail };
    switch (level) {
      case 'info':
        return vscode.window.showInformationMessage(message, messageOptions, ...actions);
      case 'warning':
        return vscode.window.showWarningMessage(message, messageOptions, ...actions);
      case 'error':
        return vscode.window.showErrorMessage(message, messageOptions, ...actions);
    }
  }

  async pickFolder(options: { title: string; defaultUri?: vscode.Uri }): Promise<vscode.Uri | undefined> {
    const picked = await vscode.window.showOpenDialog({
      title: options.title,
      defaultUri: options.defaultUri,
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
    });
    return picked?.[0];
  }
}

/**
 * Holder that features read the current prompter from, so a test can swap it
 * after activation.
 */
export class PrompterSlot {
  private current: Prompter;

  constructor(private readonly defaultPrompter: Prompter) {
    this.current = defaultPrompter;
  }

  get(): Prompter {
    return this.current;
  }

  set(prompter: Prompter | undefined): void {
    this.current = prompter ?? this.defaultPrompter;
  }
}
