// Launches Debian's headless chromium through playwright-core.
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH } from './tools.mjs';

// The background-networking flags stop chromium from calling Google's
// services, which a machine without internet access refuses many times a start.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Starts a headless chromium with a fresh profile. */
export async function launchBrowser(executablePath = CHROMIUM_PATH) {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Opens a page sized like a laptop screen, so screenshots are comparable.
 * Requests to anything but 127.0.0.1 (the workbench queries the extension
 * gallery, for one) are aborted, so runs never depend on the network.
 */
export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
  return context.newPage();
}
