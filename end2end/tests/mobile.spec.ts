import type { Page } from '@playwright/test';
import { DEMO, expect, mainNav, test } from './fixtures';

const PHONE = { width: 390, height: 844 };

async function expectNoHorizontalScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `page is ${scrollWidth}px wide in a ${innerWidth}px viewport`).toBeLessThanOrEqual(
    innerWidth,
  );
}

/** The element is on screen horizontally (not cut off at either side). */
async function expectWithinViewportWidth(page: Page, name: string, box: { x: number; width: number } | null) {
  expect(box, `${name} has a layout box`).not.toBeNull();
  expect(box!.x, `${name} starts inside the viewport`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${name} ends inside the viewport`).toBeLessThanOrEqual(PHONE.width);
}

test.describe('on a phone-sized screen', () => {
  test.use({ language: 'id', viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 3 });

  test('the login page fits the screen', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('heading', { level: 1, name: 'Masuk' })).toBeVisible();
    for (const [name, locator] of [
      ['identifier field', page.getByLabel('Nama pengguna atau e-mail', { exact: true })],
      ['password field', page.getByLabel('Kata sandi', { exact: true })],
      ['submit button', page.getByRole('button', { name: 'Masuk', exact: true })],
      ['language switch', page.getByRole('button', { name: 'Ganti bahasa ke English' })],
    ] as const) {
      await expect(locator).toBeVisible();
      await expectWithinViewportWidth(page, name, await locator.boundingBox());
    }
    await expectNoHorizontalScroll(page);
    if (process.env.E2E_SCREENSHOT_DIR) {
      await page.screenshot({ path: `${process.env.E2E_SCREENSHOT_DIR}/zi-login-phone.png`, fullPage: true });
    }
  });

  test('the navigation and the admin pages fit the screen', async ({ page, logIn }) => {
    await logIn(page, DEMO.admin.username);
    const nav = mainNav(page);
    for (const name of ['Beranda', 'Unit kerja', 'Pengguna', 'Ubah kata sandi']) {
      const link = nav.getByRole('link', { name, exact: true });
      await expect(link).toBeVisible();
      await expectWithinViewportWidth(page, `nav link ${name}`, await link.boundingBox());
    }
    const logout = page.getByRole('button', { name: 'Keluar', exact: true });
    await expect(logout).toBeVisible();
    await expectWithinViewportWidth(page, 'logout button', await logout.boundingBox());
    await expectNoHorizontalScroll(page);

    for (const path of ['/admin/units', '/admin/users', '/account/password']) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expectNoHorizontalScroll(page);
    }
  });
});
