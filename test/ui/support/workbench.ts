/**
 * Helpers for UI tests: a VS Code workbench page in headless chromium, served
 * by the code-server the runner (scripts/vscode/run-tests.mjs) started, with
 * this extension loaded from the working tree. UI tests run in the runner's
 * Node process, not in the extension host, so they see only what the screen
 * shows.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';

/** What the runner provides before it loads the UI tests. */
export interface UiSession {
  browser: Browser;
  /** `http://127.0.0.1:PORT` of code-server. */
  baseUrl: string;
  /** Folder opened in every workbench. */
  workspace: string;
  /** Folder loaded as the extension under development. */
  extensionPath: string;
  screenshotDir: string;
}

const WORKBENCH_READY = '.monaco-workbench .statusbar';
const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_ROW = `${QUICK_INPUT} .monaco-list-row`;

let session: UiSession | undefined;
const open = new Set<Workbench>();

/** Called by the runner; `undefined` ends the session. */
export function configureUiSession(value: UiSession | undefined): void {
  session = value;
}

function currentSession(): UiSession {
  if (session === undefined) {
    throw new Error('No UI session: UI tests run only through scripts/vscode/run-tests.mjs (npm run test:vscode).');
  }
  return session;
}

/** Turns a test title into a file name: letters, digits and dashes. */
export function screenshotName(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class Workbench {
  private constructor(readonly page: Page) {}

  /**
   * Opens a new workbench page on the test workspace with the extension
   * loaded, and waits until the status bar is drawn.
   */
  static async open(): Promise<Workbench> {
    const { browser, baseUrl, workspace, extensionPath } = currentSession();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // Only code-server on 127.0.0.1 is reachable; the gallery and other hosts are aborted at once.
    await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
    const page = await context.newPage();
    const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://remote${encodeURI(extensionPath)}`]]);
    const url = `${baseUrl}/?${new URLSearchParams({ folder: workspace, payload }).toString()}`;
    await page.goto(url);
    await page.waitForSelector(WORKBENCH_READY, { timeout: 60_000 });
    const workbench = new Workbench(page);
    open.add(workbench);
    return workbench;
  }

  /**
   * Opens the command palette, types `query` and returns the labels of the
   * rows shown. Retries until a row contains `query` or `timeoutMs` passes,
   * because a palette opened before the extension host registered the
   * extension's commands shows "No matching commands" and never refreshes.
   */
  async paletteRows(query: string, timeoutMs = 30_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    let labels: string[] = [];
    while (Date.now() < deadline) {
      await this.openPalette();
      await this.page.locator(`${QUICK_INPUT} input`).fill(`>${query}`);
      try {
        await this.page.locator(QUICK_INPUT_ROW, { hasText: query }).first().waitFor({ timeout: 3_000 });
        labels = await this.rowLabels();
        return labels;
      } catch {
        labels = await this.rowLabels();
        await this.closeQuickInput();
        await sleep(1_000);
      }
    }
    return labels;
  }

  /** Runs the command whose palette label is exactly `label`, such as `wasmCloud: Show Log`. */
  async runCommand(label: string, timeoutMs = 30_000): Promise<void> {
    const labels = await this.paletteRows(label, timeoutMs);
    if (!labels.includes(label)) {
      throw new Error(`The command palette shows no '${label}' within ${timeoutMs} ms; rows: ${JSON.stringify(labels)}`);
    }
    await this.page.locator(QUICK_INPUT_ROW, { has: this.page.getByText(label, { exact: true }) }).first().click();
    await this.page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /**
   * Opens a view by its title through Quick Open's `view ` prefix, and
   * returns the side-bar pane whose header shows that title.
   */
  async openView(title: string, timeoutMs = 30_000): Promise<Locator> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await this.closeQuickInput();
      await this.page.keyboard.press('Control+P');
      const input = this.page.locator(`${QUICK_INPUT} input`);
      await input.waitFor({ timeout: 10_000 });
      await input.fill(`view ${title}`);
      const row = this.page.locator(QUICK_INPUT_ROW, { has: this.page.getByText(title, { exact: true }) }).first();
      try {
        await row.waitFor({ timeout: 3_000 });
        await row.click();
        const pane = this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: title }) }).first();
        await pane.waitFor({ timeout: 10_000 });
        return pane;
      } catch {
        await this.closeQuickInput();
        await sleep(1_000);
      }
    }
    throw new Error(`Quick Open lists no view titled '${title}' within ${timeoutMs} ms.`);
  }

  /**
   * Waits until the Output panel is visible and returns the name of the
   * channel it shows, or throws when no Output panel appears in `timeoutMs`.
   */
  async visibleOutputChannel(timeoutMs = 10_000): Promise<string> {
    const picker = await this.waitFor('.part.panel select.monaco-select-box[aria-label="Switch Output"]', timeoutMs);
    return picker.inputValue();
  }

  /** Waits until `selector` is visible and returns its locator. */
  async waitFor(selector: string, timeoutMs = 30_000): Promise<Locator> {
    const locator = this.page.locator(selector).first();
    await locator.waitFor({ state: 'visible', timeout: timeoutMs });
    return locator;
  }

  /** Saves a PNG of the page as `<screenshotDir>/ui-<name>.png` and returns its path. */
  async screenshot(name: string): Promise<string> {
    const { screenshotDir } = currentSession();
    mkdirSync(screenshotDir, { recursive: true });
    const file = path.join(screenshotDir, `ui-${screenshotName(name)}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async close(): Promise<void> {
    open.delete(this);
    await this.page.context().close();
  }

  /** Opens the command palette fresh, closing any quick input still open or closing. */
  private async openPalette(): Promise<void> {
    await this.closeQuickInput();
    await this.page.keyboard.press('F1');
    await this.page.locator(`${QUICK_INPUT} input`).waitFor({ state: 'visible', timeout: 10_000 });
  }

  /** Closes the quick input (palette, Quick Open) if it is open, and waits until it is hidden. */
  async closeQuickInput(): Promise<void> {
    const widget = this.page.locator(QUICK_INPUT);
    if (await widget.isVisible()) {
      await this.page.keyboard.press('Escape');
    }
    await widget.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  private async rowLabels(): Promise<string[]> {
    return this.page
      .locator(QUICK_INPUT_ROW)
      .evaluateAll((rows) => rows.map((row) => (row.querySelector('.label-name')?.textContent ?? '').trim()));
  }
}

/** Saves a screenshot of every open workbench, named after `title` (the runner calls this after each UI test). */
export async function screenshotOpenWorkbenches(title: string): Promise<void> {
  let index = 0;
  for (const workbench of open) {
    await workbench.screenshot(index === 0 ? title : `${title}-${index}`);
    index++;
  }
}

/** Closes every workbench a UI test left open. */
export async function closeAllWorkbenches(): Promise<void> {
  for (const workbench of [...open]) {
    await workbench.close();
  }
}
