import { addUnit, BPSDM, unitRow } from './admin-pages';
import { DEMO, expect, mainNav, pathOf, test, uniqueSuffix } from './fixtures';

// Every form is a Leptos ActionForm: without JavaScript it must still work as a
// plain POST that redirects back, and every page must render in the HTML itself.
test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false, language: 'id' });

  test('signing in lands on Beranda with the navigation', async ({ page, logIn }) => {
    await logIn(page, DEMO.admin.username);
    await expect(page).toHaveTitle('Beranda');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      `Selamat datang, ${DEMO.admin.fullName}`,
    );
    const nav = mainNav(page);
    await expect(nav.getByRole('link', { name: 'Beranda', exact: true })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Unit kerja', exact: true })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Administrasi instansi' })).toBeVisible();

    await page.getByRole('button', { name: 'Keluar', exact: true }).click();
    await expect(page).toHaveURL((url) => url.pathname === '/login');
    await expect(mainNav(page)).toHaveCount(0);
  });

  test('a wrong password shows the error on the login page', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('Nama pengguna atau e-mail', { exact: true }).fill(DEMO.pimpinan.username);
    await page.getByLabel('Kata sandi', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();

    await expect(page.getByRole('alert')).toHaveText('Nama pengguna atau kata sandi salah.');
    expect(pathOf(page)).toBe('/login');
    await expect(page.getByLabel('Kata sandi', { exact: true })).toBeVisible();
    await expect(mainNav(page)).toHaveCount(0);
  });

  test('the administrator adds a unit', async ({ page, logIn }) => {
    const suffix = uniqueSuffix();
    const unit = { code: `NOJS-${suffix.toUpperCase()}`, name: `Unit Tanpa JS ${suffix}`, parent: BPSDM };
    await logIn(page, DEMO.admin.username);
    await page.goto('/admin/units');
    await expect(unitRow(page, BPSDM)).toHaveCount(1);

    await addUnit(page, unit);
    await expect(page).toHaveURL((url) => url.pathname === '/admin/units');
    const row = unitRow(page, unit.name);
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('cell')).toContainText([unit.code, 'Unit Eselon II', 'Aktif']);

    // A duplicate code comes back with the field error.
    const form = await addUnit(page, { ...unit, name: `${unit.name} kembar` });
    await expect(form.getByLabel('Kode', { exact: true })).toHaveAccessibleDescription(
      'Sudah dipakai. Pilih yang lain.',
    );
    await expect(unitRow(page, `${unit.name} kembar`)).toHaveCount(0);
  });

  test('the language switch works as a plain form', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Masuk');
    await page.getByRole('button', { name: 'Ganti bahasa ke English' }).click();
    await expect(page).toHaveURL((url) => url.pathname === '/login');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.getByRole('button', { name: 'Switch language to Bahasa Indonesia' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Masuk');
    await expect(page.locator('html')).toHaveAttribute('lang', 'id');
  });
});
