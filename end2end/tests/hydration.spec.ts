import type { ConsoleMessage, Request } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, expect, mainNav, test, waitForHydration } from './fixtures';

test.use({ language: 'id' });

test('the app hydrates: forms and links work without page loads, and the console stays clean', async ({
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
  const calls: Request[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'document') documents.push(new URL(request.url()).pathname);
    if (new URL(request.url()).pathname.startsWith('/api/')) calls.push(request);
  });

  const wasm = page.waitForResponse((response) => /\/pkg\/[^/]+\.wasm$/.test(response.url()));
  await page.goto('/login');
  const wasmResponse = await wasm;
  expect(wasmResponse.status()).toBe(200);
  expect(wasmResponse.headers()['content-type']).toBe('application/wasm');
  await waitForHydration(page);

  // A marker on this very document: it survives only if no full page load happens.
  await page.evaluate(() => {
    (window as unknown as { __e2eSameDocument: boolean }).__e2eSameDocument = true;
  });
  const sameDocument = () =>
    page.evaluate(() => (window as unknown as { __e2eSameDocument?: boolean }).__e2eSameDocument === true);

  await page.getByLabel('Nama pengguna atau e-mail', { exact: true }).fill(DEMO.admin.username);
  await page.getByLabel('Kata sandi', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();

  await expect(page).toHaveURL((url) => url.pathname === '/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Selamat datang, ${DEMO.admin.fullName}`);
  expect(await sameDocument(), 'signing in reloaded the page instead of using the app').toBe(true);
  const login = calls.find((request) => new URL(request.url()).pathname === '/api/login');
  expect(login, 'the login form called its server function').toBeDefined();
  expect(login!.resourceType()).toBe('fetch');

  // Client-side routing: the nav link changes the page without a document request.
  await mainNav(page).getByRole('link', { name: 'Unit kerja', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/admin/units');
  await expect(page.getByRole('table', { name: 'Unit kerja' })).toBeVisible();
  await expect(page).toHaveTitle('Unit kerja');
  expect(await sameDocument(), 'following a nav link reloaded the page').toBe(true);
  expect(documents).toEqual(['/login']);

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
