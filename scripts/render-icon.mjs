// Renders media/icon.svg to media/icon.png (128x128, transparent corners) in
// headless chromium. Run it after changing the SVG and commit both files:
//   node scripts/render-icon.mjs
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser } from './vscode/browser.mjs';
import { ROOT, ensureChromium } from './vscode/tools.mjs';

const SIZE = 128;
const svg = readFileSync(path.join(ROOT, 'media', 'icon.svg'), 'utf8');

const browser = await launchBrowser(ensureChromium());
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } });
  await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: path.join(ROOT, 'media', 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
console.log('Wrote media/icon.png');
