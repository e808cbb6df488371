import { DEMO, expect, mainNav, pathOf, test } from './fixtures';

test.use({ language: 'id' });

type Card = { title: string; items?: string[] };

const ROLES: {
  who: keyof typeof DEMO;
  admin: boolean;
  card: Card;
}[] = [
  { who: 'admin', admin: true, card: { title: 'Administrasi instansi' } },
  {
    who: 'unit',
    admin: false,
    card: { title: 'Unit kerja Anda', items: ['Direktorat Pelayanan Perizinan'] },
  },
  { who: 'tpi', admin: false, card: { title: 'Tim Penilai Internal (TPI)' } },
  { who: 'pimpinan', admin: false, card: { title: 'Pimpinan', items: ['Seluruh instansi'] } },
];

const ALL_CARDS = [
  'Administrasi instansi',
  'Unit kerja Anda',
  'Tim Penilai Internal (TPI)',
  'Pimpinan',
];

test.describe('each demo role', () => {
  for (const { who, admin, card } of ROLES) {
    test(`${who} signs in, sees its own navigation and home card, and signs out`, async ({
      page,
      logIn,
    }) => {
      const user = DEMO[who];
      await logIn(page, user.username);

      await expect(page).toHaveTitle('Beranda');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(
        `Selamat datang, ${user.fullName}`,
      );

      const nav = mainNav(page);
      await expect(nav.getByRole('link', { name: 'Beranda', exact: true })).toBeVisible();
      await expect(nav.getByRole('link', { name: 'Ubah kata sandi', exact: true })).toBeVisible();
      const unitsLink = nav.getByRole('link', { name: 'Unit kerja', exact: true });
      const usersLink = nav.getByRole('link', { name: 'Pengguna', exact: true });
      const rubricsLink = nav.getByRole('link', { name: 'Rubrik LKE', exact: true });
      if (admin) {
        await expect(unitsLink).toBeVisible();
        await expect(unitsLink).toHaveAttribute('href', '/admin/units');
        await expect(usersLink).toBeVisible();
        await expect(usersLink).toHaveAttribute('href', '/admin/users');
        await expect(rubricsLink).toHaveAttribute('href', '/admin/rubrics');
      } else {
        await expect(unitsLink).toHaveCount(0);
        await expect(usersLink).toHaveCount(0);
        await expect(rubricsLink).toHaveCount(0);
      }
      await expect(page.getByRole('banner')).toContainText(user.fullName);

      const own = page.getByRole('region', { name: card.title, exact: true });
      await expect(own).toBeVisible();
      for (const item of card.items ?? []) {
        await expect(own.getByRole('listitem')).toContainText([item]);
      }
      for (const other of ALL_CARDS.filter((title) => title !== card.title)) {
        await expect(page.getByRole('region', { name: other, exact: true })).toHaveCount(0);
      }

      await page.getByRole('button', { name: 'Keluar', exact: true }).click();
      await expect(page).toHaveURL((url) => url.pathname === '/login');
      await expect(page.getByRole('heading', { level: 1, name: 'Masuk' })).toBeVisible();
      // Signed out for real: no user navigation, and the home page sends us back.
      await expect(mainNav(page)).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Keluar', exact: true })).toHaveCount(0);
      await page.goto('/');
      await expect(page).toHaveURL((url) => url.pathname === '/login');
    });
  }

  test('non-administrators are refused the admin pages', async ({ page, logIn }) => {
    await logIn(page, DEMO.unit.username);
    for (const path of ['/admin/units', '/admin/users']) {
      await page.goto(path);
      await expect(page.getByRole('alert')).toHaveText('Anda tidak berwenang melakukan ini.');
      await expect(page.getByRole('table')).toHaveCount(0);
    }
  });
});

test('a wrong password shows an error and stays on the login page', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Nama pengguna atau e-mail', { exact: true }).fill(DEMO.tpi.username);
  await page.getByLabel('Kata sandi', { exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();

  await expect(page.getByRole('alert')).toHaveText('Nama pengguna atau kata sandi salah.');
  expect(pathOf(page)).toBe('/login');
  await expect(page.getByRole('heading', { level: 1, name: 'Masuk' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Masuk', exact: true })).toBeEnabled();
  await expect(mainNav(page)).toHaveCount(0);
});
