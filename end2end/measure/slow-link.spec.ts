import type { Page } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, expect, test } from '../tests/fixtures';

// An office's slow link: 400 kbit/s both ways, 400 ms round trip, nothing cached.
// Prints when each page can be used: its form is on screen and would post.

test.use({ language: 'id' });

async function slowLink(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 400,
    downloadThroughput: 400_000 / 8,
    uploadThroughput: 400_000 / 8,
  });
}

async function timed(label: string, work: () => Promise<void>) {
  const start = Date.now();
  await work();
  const seconds = (Date.now() - start) / 1000;
  console.log(`${label}: ${seconds.toFixed(2)} s`);
}

test('time to a usable page on 400 kbit/s, 400 ms RTT', async ({ page }) => {
  await slowLink(page);
  await timed('login page usable', async () => {
    await page.goto('/login', { waitUntil: 'commit' });
    await expect(page.getByRole('button', { name: 'Masuk', exact: true })).toBeVisible({ timeout: 60_000 });
    await page.waitForLoadState('load');
  });
  await page.getByLabel('Nama pengguna atau e-mail', { exact: true }).fill(DEMO.unit.username);
  await page.getByLabel('Kata sandi', { exact: true }).fill(DEMO_PASSWORD);
  await timed('signing in (post, redirect, home page)', async () => {
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Selamat datang', { timeout: 60_000 });
    await page.waitForLoadState('load');
  });
  const overview = await page.getByRole('link', { name: /Direktorat Pelayanan Perizinan/ }).first().getAttribute('href');
  const area = `${overview}/pemenuhan/1`;
  await timed('area page usable (form on screen, plain Save posts)', async () => {
    await page.goto(area, { waitUntil: 'commit' });
    await expect(page.locator('article[id="P.MP.i.a"]')).toBeVisible({ timeout: 60_000 });
    await page.waitForLoadState('domcontentloaded');
  });
  await timed('area page hydrated (live score, autosave)', async () => {
    await page.waitForFunction(
      () => (window as unknown as { __e2eHydrated?: boolean }).__e2eHydrated === true,
      undefined,
      { timeout: 120_000 },
    );
  });
});
