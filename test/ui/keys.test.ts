import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Workbench } from './support/workbench';

const COMMAND = 'wasmCloud: Generate Key…';
const QUICK_INPUT = '.quick-input-widget';
const ROW = `${QUICK_INPUT} .monaco-list-row`;

suite('UI: Generate Key', () => {
  let workbench: Workbench;

  suiteSetup(async () => {
    workbench = await Workbench.open();
  });

  suiteTeardown(async () => {
    await workbench?.close();
  });

  test('quick pick lists key kinds', async () => {
    const page = workbench.page;
    const rows = await workbench.paletteRows(COMMAND);
    assert.ok(rows.includes(COMMAND), `palette rows: ${JSON.stringify(rows)}`);
    await page.locator(ROW, { has: page.getByText(COMMAND, { exact: true }) }).first().click();

    // The palette closes and the kind quick pick opens in the same widget.
    await page.locator(ROW, { hasText: 'C… / SC…' }).first().waitFor({ timeout: 15_000 });
    const labels = await page
      .locator(ROW)
      .evaluateAll((elements) => elements.map((element) => (element.querySelector('.label-name')?.textContent ?? '').trim()));
    assert.deepEqual(labels, ['account', 'cluster', 'module', 'operator', 'server', 'service', 'user', 'curve']);

    // The README shows this picture: the quick pick alone, cut from the page.
    const widget = page.locator(QUICK_INPUT);
    await widget.screenshot({ path: path.join(process.cwd(), 'test-results', 'generate-key-quick-pick.png') });
    await workbench.closeQuickInput();
  });
});
