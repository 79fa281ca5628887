import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Workbench } from './support/workbench';

const WALKTHROUGH = 'Provision a wasmCloud lattice';
const QUICK_INPUT = '.quick-input-widget';
const ROW = `${QUICK_INPUT} .monaco-list-row`;
const STEP_TITLES = ['Choose a key strategy', 'Generate cluster keys', 'Choose the lattice prefix', 'Write the host files', 'Check the host files', 'Connect the explorer'];

suite('UI: Provision walkthrough', () => {
  let workbench: Workbench;

  suiteSetup(async () => {
    workbench = await Workbench.open();
  });

  suiteTeardown(async () => {
    await workbench?.close();
  });

  test('walkthrough lists six steps', async () => {
    const page = workbench.page;
    const rows = await workbench.paletteRows('Open Walkthrough');
    const label = rows.find((row) => row.includes('Open Walkthrough'));
    assert.ok(label, `palette rows: ${JSON.stringify(rows)}`);
    await page.locator(ROW, { has: page.getByText(label, { exact: true }) }).first().click();

    // The palette turns into the list of walkthroughs.
    const row = page.locator(ROW, { hasText: WALKTHROUGH }).first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();

    const steps = page.locator('.getting-started-step');
    await steps.first().waitFor({ timeout: 15_000 });
    const titles = await page.locator('.getting-started-step .step-title').evaluateAll((elements) => elements.map((element) => (element.textContent ?? '').trim()));
    assert.deepEqual(titles, STEP_TITLES);
    await page.locator('.category-title:visible', { hasText: WALKTHROUGH }).first().waitFor({ timeout: 5_000 });

    // The first step is expanded with its button; the theme-aware SVG loads in a webview.
    await page.locator('.getting-started-step.expanded .button-container a, .getting-started-step.expanded .getting-started-step-action-button, .getting-started-step.expanded .monaco-button', { hasText: 'Choose Key Strategy' }).first().waitFor({ timeout: 15_000 });
    await page.locator('.getting-started-media iframe, .getting-started-media img, .getting-started-media svg').first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(2_000);

    // The README shows this picture, with the side bar closed so the step's image has room.
    await page.keyboard.press('Control+B');
    await page.waitForTimeout(1_000);
    await page.screenshot({ path: path.join(process.cwd(), 'test-results', 'provision-walkthrough.png') });
  });
});
