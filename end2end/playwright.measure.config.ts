import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// Measurements, not tests: `npx playwright test -c playwright.measure.config.ts`
// prints figures for the README against the same release server.
export default defineConfig({
  ...base,
  testDir: './measure',
  retries: 0,
  timeout: 120_000,
  reporter: 'list',
  projects: [{ name: 'chromium', use: base.projects?.[0]?.use }],
});
