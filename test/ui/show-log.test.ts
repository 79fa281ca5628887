import * as assert from 'node:assert/strict';
import { Workbench } from './support/workbench';

suite('UI: Show Log', () => {
  let workbench: Workbench;

  suiteSetup(async () => {
    workbench = await Workbench.open();
  });

  suiteTeardown(async () => {
    await workbench?.close();
  });

  test('palette lists Show Log', async () => {
    const rows = await workbench.paletteRows('wasmCloud: Show Log');
    await workbench.screenshot('palette-show-log');
    assert.ok(rows.includes('wasmCloud: Show Log'), `palette rows: ${JSON.stringify(rows)}`);
    await workbench.closeQuickInput();
  });

  test('Show Log reveals the output channel', async () => {
    await workbench.runCommand('wasmCloud: Show Log');
    assert.equal(await workbench.visibleOutputChannel(), 'wasmCloud Lattice');
    const outputTab = workbench.page.locator('.part.panel [role="tab"][aria-selected="true"]');
    assert.match((await outputTab.textContent()) ?? '', /^Output/);
  });
});
