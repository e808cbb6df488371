import { defineConfig, devices } from '@playwright/test';
import path from 'node:path';

// The server under test: the release build of `zi` and the site that scripts/lib.sh
// (build_release) wrote next to it under target/site.
const root = path.resolve(__dirname, '..');
const zi = path.resolve(root, 'target', 'release', 'zi');
const siteRoot = path.resolve(root, 'target', 'site');
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

// POSIX single-quoting, so paths with spaces survive `sh -c`.
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

// A fresh data directory per run: demo data, then serve it.
const serverCommand = [
  'set -e',
  'DIR=$(mktemp -d "${TMPDIR:-/tmp}/zi-e2e.XXXXXX")',
  `${q(zi)} --data-dir "$DIR" --bind 127.0.0.1:${port} demo`,
  `exec ${q(zi)} --data-dir "$DIR" --bind 127.0.0.1:${port} serve`,
].join('\n');

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 7_500 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  outputDir: 'test-results',
  use: {
    baseURL,
    // Bahasa Indonesia is the app's own default; never the browser's guess.
    locale: 'id-ID',
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'] },
    },
    {
      // The evidence journey and the 2026 workbook both ways again on a phone
      // (each run makes its own unit).
      name: 'phone',
      testMatch: /(evidence|lke-2026)\.spec\.ts/,
      use: { ...devices['Pixel 7'] },
    },
  ],
  webServer: {
    command: `sh -c ${q(serverCommand)}`,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      LEPTOS_SITE_ROOT: siteRoot,
      RUST_LOG: process.env.RUST_LOG ?? 'warn',
      // The suite signs in wrongly on purpose a few times, all from 127.0.0.1;
      // keep the per-address pause out of the way of repeated runs (--repeat-each).
      ZI_LOGIN_MAX_FAILURES: '50',
    },
  },
});
