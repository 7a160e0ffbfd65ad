/**
 * Browser tests: `npx playwright test -c e2e` (part of `npm test`). Each
 * worker starts its own Payframe and demo shop (see fixtures.ts), so tests
 * that mine sandbox blocks never disturb each other.
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './chromium';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  globalSetup: './global-setup.ts',
  outputDir: '../test-results',
  fullyParallel: true,
  // A test.only left in fails the run on CI instead of silently skipping the rest.
  forbidOnly: !!process.env.CI,
  workers: 2,
  retries: 0,
  // Upper bounds for a loaded laptop, where a page can take seconds to answer; no test asserts speed with them.
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 900 },
    trace: 'retain-on-failure',
  },
});
