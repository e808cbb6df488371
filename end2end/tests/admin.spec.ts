import { addUnit, BPSDM, selectByName, unitRow } from './admin-pages';
import { DEMO, expect, freshContext, logInAs, mainNav, test, uniqueSuffix } from './fixtures';

test.use({ language: 'id' });

test('the administrator adds a unit and a member of it, who can then sign in', async ({
  page,
  logIn,
  browser,
  baseURL,
}) => {
  const suffix = uniqueSuffix();
  const unit = { code: `E2E-${suffix.toUpperCase()}`, name: `Unit Uji E2E ${suffix}`, parent: BPSDM };
  const member = {
    username: `anggota.${suffix}`,
    fullName: `Anggota Uji ${suffix}`,
    password: `rahasia-${suffix}-panjang`,
  };

  await logIn(page, DEMO.admin.username);

  await test.step('add a unit under BPSDM', async () => {
    await mainNav(page).getByRole('link', { name: 'Unit kerja', exact: true }).click();
    await expect(page).toHaveURL((url) => url.pathname === '/admin/units');
    await expect(page.getByRole('heading', { level: 1, name: 'Unit kerja' })).toBeVisible();
    await expect(unitRow(page, BPSDM)).toHaveCount(1);

    const form = await addUnit(page, unit);
    await expect(form.getByRole('status')).toHaveText('Unit kerja ditambahkan.');
    const row = unitRow(page, unit.name);
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('cell')).toContainText([unit.code, 'Unit Eselon II', 'Aktif']);
    // Two levels down the tree: Kementerian Contoh › BPSDM › the new unit.
    await expect(
      form
        .getByLabel('Induk', { exact: true })
        .getByRole('option', { name: `— — ${unit.name}`, exact: true }),
    ).toHaveCount(1);
    if (process.env.E2E_SCREENSHOT_DIR) {
      await page.screenshot({ path: `${process.env.E2E_SCREENSHOT_DIR}/zi-admin-units-desktop.png`, fullPage: true });
    }
  });

  await test.step('a second unit with the same code is refused on the code field', async () => {
    const twin = `${unit.name} kembar`;
    const form = await addUnit(page, { code: unit.code, name: twin, parent: BPSDM });
    const code = form.getByLabel('Kode', { exact: true });
    await expect(code).toHaveAccessibleDescription('Sudah dipakai. Pilih yang lain.');
    await expect(code).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByText('Sudah dipakai. Pilih yang lain.', { exact: true })).toBeVisible();
    await expect(form.getByRole('status')).toHaveCount(0);
    await expect(unitRow(page, twin)).toHaveCount(0);
    await expect(unitRow(page, unit.name)).toHaveCount(1);
  });

  await test.step('add a user who is a member of the new unit', async () => {
    await mainNav(page).getByRole('link', { name: 'Pengguna', exact: true }).click();
    await expect(page).toHaveURL((url) => url.pathname === '/admin/users');
    await expect(page.getByRole('heading', { level: 1, name: 'Pengguna' })).toBeVisible();
    const form = page.getByRole('region', { name: 'Tambah pengguna' });
    await form.getByLabel('Nama pengguna', { exact: true }).fill(member.username);
    await form.getByLabel('Nama lengkap', { exact: true }).fill(member.fullName);
    await form.getByLabel('Kata sandi (minimal 10 karakter)', { exact: true }).fill(member.password);
    await form.getByLabel('Ulangi kata sandi', { exact: true }).fill(member.password);
    await form.getByLabel('Peran', { exact: true }).selectOption({ label: 'Anggota unit' });
    await selectByName(form.getByLabel('Unit', { exact: true }), unit.name);
    await form.getByRole('button', { name: 'Tambah pengguna', exact: true }).click();

    await expect(form.getByRole('status')).toHaveText('Pengguna ditambahkan.');
    const row = page
      .getByRole('table', { name: 'Pengguna' })
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: member.username, exact: true }) });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(member.fullName);
    await expect(row).toContainText(`Anggota unit · ${unit.name}`);
  });

  await test.step('the new member signs in (fresh browser context) and sees the unit', async () => {
    const context = await freshContext(browser, baseURL!, 'id');
    try {
      const other = await context.newPage();
      await logInAs(other, member.username, member.password, { language: 'id' });
      await expect(other.getByRole('heading', { level: 1 })).toHaveText(
        `Selamat datang, ${member.fullName}`,
      );
      const card = other.getByRole('region', { name: 'Unit kerja Anda', exact: true });
      await expect(card.getByRole('listitem')).toHaveText([unit.name]);
      await expect(mainNav(other).getByRole('link', { name: 'Unit kerja', exact: true })).toHaveCount(0);
    } finally {
      await context.close();
    }
  });
});
