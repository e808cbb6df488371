import { DEMO, expect, mainNav, test, waitForHydration } from './fixtures';

test.describe('language switch', () => {
  test.use({ language: 'id' });

  test('switches the login page to English and back', async ({ page }) => {
    await page.goto('/login');
    await waitForHydration(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'id');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Masuk');
    const toEnglish = page.getByRole('button', { name: 'Ganti bahasa ke English' });
    await expect(toEnglish).toHaveText('English');

    await toEnglish.click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
    await expect(page).toHaveURL((url) => url.pathname === '/login');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page).toHaveTitle('Sign in');
    await expect(page.getByLabel('Username or e-mail', { exact: true })).toBeVisible();
    await expect(page.getByLabel('Password', { exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();

    // The choice sticks across page loads (cookie), not only in this page.
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');

    await waitForHydration(page);
    const toIndonesian = page.getByRole('button', { name: 'Switch language to Bahasa Indonesia' });
    await expect(toIndonesian).toHaveText('Bahasa Indonesia');
    await toIndonesian.click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Masuk');
    await expect(page.locator('html')).toHaveAttribute('lang', 'id');
    await expect(page.getByLabel('Nama pengguna atau e-mail', { exact: true })).toBeVisible();
  });

  test('a signed-in page switches too, navigation included', async ({ page, logIn }) => {
    await logIn(page, DEMO.admin.username);
    await expect(mainNav(page).getByRole('link', { name: 'Beranda', exact: true })).toBeVisible();

    await page.getByRole('button', { name: 'Ganti bahasa ke English' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${DEMO.admin.fullName}`);
    await expect(page).toHaveURL((url) => url.pathname === '/');
    const nav = mainNav(page, 'en');
    await expect(nav.getByRole('link', { name: 'Home', exact: true })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Work units', exact: true })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Users', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Instansi administration' })).toBeVisible();

    await waitForHydration(page);
    await page.getByRole('button', { name: 'Switch language to Bahasa Indonesia' }).click();
    await expect(mainNav(page).getByRole('link', { name: 'Beranda', exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Selamat datang, ${DEMO.admin.fullName}`);
  });

  test.describe('with English already chosen', () => {
    test.use({ language: 'en' });

    test('the whole session is in English', async ({ page, logIn }) => {
      await page.goto('/login');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
      await logIn(page, DEMO.tpi.username);
      await expect(page).toHaveTitle('Home');
      await expect(page.getByRole('region', { name: 'Internal evaluation team (TPI)' })).toBeVisible();
      await expect(mainNav(page, 'en').getByRole('link', { name: 'Change password', exact: true })).toBeVisible();
    });
  });
});
