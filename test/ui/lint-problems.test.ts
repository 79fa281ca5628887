import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { Workbench } from './support/workbench';

// When WCL_README_SCREENSHOTS names a folder, the Problems panel is saved there as problems-panel.png for the README.
const README_SCREENSHOTS = process.env.WCL_README_SCREENSHOTS;

suite('UI: .env validation', () => {
  let workbench: Workbench;

  suiteSetup(async () => {
    workbench = await Workbench.open();
  });

  suiteTeardown(async () => {
    await workbench?.close();
  });

  test('Problems panel lists host file findings', async () => {
    const page = workbench.page;
    // Open the sample files the runner generated: a correct host and one with mistakes.
    for (const name of ['host-good.env', 'host-mistakes.env']) {
      await workbench.closeQuickInput();
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 10_000 });
      await input.fill(name);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 30_000 });
      await page.keyboard.press('Enter');
      await page.locator('.tab', { hasText: name }).first().waitFor({ timeout: 30_000 });
    }

    await page.keyboard.press('Control+Shift+M');
    const rows = page.locator('.markers-panel .monaco-list-row');
    await rows.filter({ hasText: 'port-invalid' }).first().waitFor({ timeout: 60_000 });
    const text = (await rows.allTextContents()).join('\n');
    for (const code of ['port-invalid', 'issuers-whitespace', 'seed-wrong-kind', 'lattice-prefix-mismatch']) {
      assert.ok(text.includes(code), `Problems panel lacks ${code}: ${text}`);
    }
    assert.ok(!/S[A-Z2-7]{57}/.test(text), 'the Problems panel shows a seed');

    await workbench.screenshot('lint-problems-panel');
    if (README_SCREENSHOTS !== undefined && README_SCREENSHOTS !== '') {
      // Only the panel: the editor above it shows the generated seeds.
      mkdirSync(README_SCREENSHOTS, { recursive: true });
      await page.locator('.part.panel').screenshot({ path: path.join(README_SCREENSHOTS, 'problems-panel.png') });
    }
  });
});
