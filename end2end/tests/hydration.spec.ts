import type { ConsoleMessage } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, expect, loadsApp, mainNav, test, waitForHydration } from './fixtures';

test.use({ language: 'id' });

test('only the pages that need the app load it; there it hydrates and routes, and links out load the page', async ({
  page,
}) => {
  const consoleErrors: string[] = [];
  const onConsole = (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    if (/\/favicon\.ico$/.test(message.location().url ?? '')) return;
    consoleErrors.push(`${message.text()} (${message.location().url})`);
  };
  page.on('console', onConsole);
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  const documents: string[] = [];
  const wasm: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (request.resourceType() === 'document') documents.push(path);
    if (path.endsWith('.wasm')) wasm.push(path);
  });

  // The login page is complete as HTML: no app, and signing in is a plain form post.
  await page.goto('/login');
  expect(await loadsApp(page)).toBe(false);
  await page.getByLabel('Nama pengguna atau e-mail', { exact: true }).fill(DEMO.unit.username);
  await page.getByLabel('Kata sandi', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Selamat datang, ${DEMO.unit.fullName}`);
  expect(wasm, 'a page without live work loaded the app').toEqual([]);

  // The overview loads the app (a content-hashed name, cached for a year) and hydrates.
  const wasmResponse = page.waitForResponse((response) => /\/pkg\/zi-[0-9a-f]+_bg\.wasm$/.test(response.url()));
  await page.getByRole('link', { name: /Direktorat Pelayanan Perizinan/ }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Direktorat Pelayanan Perizinan');
  const response = await wasmResponse;
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/wasm');
  expect(response.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  await waitForHydration(page);

  // A marker on this very document: it survives only if no full page load happens.
  await page.evaluate(() => {
    (window as unknown as { __e2eSameDocument: boolean }).__e2eSameDocument = true;
  });
  const sameDocument = () =>
    page.evaluate(() => (window as unknown as { __e2eSameDocument?: boolean }).__e2eSameDocument === true);
  await page.getByRole('link', { name: 'Manajemen Perubahan' }).first().click();
  await expect(page.getByRole('heading', { level: 2, name: 'Manajemen Perubahan · Pemenuhan' })).toBeVisible();
  expect(await sameDocument(), 'opening an area reloaded the page').toBe(true);

  // Between areas the app routes itself: no document request.
  const before = documents.length;
  await page.locator('a.section-next').first().click();
  await expect(page).toHaveURL((url) => url.pathname.endsWith('/pemenuhan/2'));
  await expect(page.getByRole('heading', { level: 2, name: 'Penataan Tatalaksana · Pemenuhan' })).toBeVisible();
  expect(await sameDocument(), 'moving to the next area reloaded the page').toBe(true);
  expect(documents.length).toBe(before);

  // A page the app does not carry is loaded from the server, whole and right.
  await mainNav(page).getByRole('link', { name: 'Beranda', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Selamat datang, ${DEMO.unit.fullName}`);
  expect(await sameDocument(), 'a page outside the app stayed in the old document').toBe(false);
  expect(documents.at(-1)).toBe('/');
  expect(await loadsApp(page)).toBe(false);

  expect(consoleErrors).toEqual([]);
});

test('pages load with no console errors', async ({ page, logIn }) => {
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (/\/favicon\.ico$/.test(message.location().url ?? '')) return;
    consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));

  await logIn(page, DEMO.admin.username);
  for (const path of ['/', '/admin/units', '/admin/users', '/account/password']) {
    await page.goto(path);
    await waitForHydration(page);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  expect(consoleErrors).toEqual([]);
});
