/**
 * End-to-end tests: Playwright drives Debian's Chromium (/usr/bin/chromium; no browser download here)
 * against the real server over mutual TLS on PostgreSQL (global-setup.ts). Each context presents a
 * workstation's client certificate (support/fixtures.ts). Run with `npm run test:e2e`.
 */
import { defineConfig } from '@playwright/test';
import { E2E_ORIGIN, OUTPUT_DIR, REPO_ROOT } from './support/env.js';
import path from 'node:path';

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: OUTPUT_DIR,
  globalSetup: './global-setup.ts',
  // One worker: the specs share one server and one database, and the machine is small.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: path.join(REPO_ROOT, 'test-results', 'e2e-report'), open: 'never' }]],
  use: {
    baseURL: E2E_ORIGIN,
    browserName: 'chromium',
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
    viewport: { width: 1440, height: 900 },
    // The test CA is not in Chromium's trust store; the client certificate is what the test is about.
    ignoreHTTPSErrors: true,
    // axe-core is injected with page.addScriptTag, which the app's CSP (script-src 'self') would block.
    bypassCSP: true,
    acceptDownloads: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
