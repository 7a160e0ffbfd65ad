/**
 * The browser for the tests: Debian's Chromium (or one named by
 * CHROMIUM_PATH, or one already in Playwright's cache). Playwright's own
 * download does not work on our machines, so nothing here downloads.
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

function fromPlaywrightCache(): string | undefined {
  const cache = process.env.PLAYWRIGHT_BROWSERS_PATH ?? join(homedir(), '.cache', 'ms-playwright');
  if (!existsSync(cache)) return undefined;
  for (const dir of readdirSync(cache).filter((d) => d.startsWith('chromium')).sort().reverse()) {
    for (const exe of ['chrome-linux/chrome', 'chrome-linux64/chrome', 'chrome-linux/headless_shell', 'chrome-headless-shell-linux64/chrome-headless-shell']) {
      if (existsSync(join(cache, dir, exe))) return join(cache, dir, exe);
    }
  }
  return undefined;
}

export function findChromium(): string {
  const named = process.env.CHROMIUM_PATH;
  if (named) {
    if (!existsSync(named)) throw new Error(`CHROMIUM_PATH=${named} does not exist`);
    return named;
  }
  const found = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? fromPlaywrightCache();
  if (!found) {
    throw new Error(
      'No Chromium for the browser tests. Install Debian\'s (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary; `npx playwright install` cannot download here.',
    );
  }
  return found;
}
