import path from 'node:path';
import { DEMO, expect, mainNav, test, uniqueSuffix } from './fixtures';

test.use({ language: 'id' });

const WORKBOOK = path.resolve(__dirname, '..', '..', 'app', 'tests', 'fixtures', 'lke-zi-90-2021-filled-example.xlsx');

test('the administrator uploads an LKE workbook as a new rubric version', async ({ page, logIn }) => {
  const key = `uji-${uniqueSuffix()}`;
  await logIn(page, DEMO.admin.username);
  await mainNav(page).getByRole('link', { name: 'Rubrik LKE', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rubrik LKE dan ambang predikat');

  const form = page.getByRole('region', { name: 'Impor versi rubrik dari LKE Excel' });
  await form.getByLabel('Kode versi', { exact: false }).fill(key);
  await form.getByLabel('Judul', { exact: true }).fill(`Rubrik uji ${key}`);
  await form.getByLabel('Berlaku mulai tahun').fill('2026');
  await form.getByLabel('Berkas .xlsx', { exact: false }).setInputFiles(WORKBOOK);
  await form.getByRole('button', { name: 'Impor', exact: true }).click();

  await expect(form.getByRole('status')).toHaveText('Versi rubrik diimpor.');
  await expect(form.getByText('LKE ZI!F123')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: `Rubrik uji ${key}` })).toBeVisible();

  await form.getByLabel('Kode versi', { exact: false }).fill(key);
  await form.getByLabel('Judul', { exact: true }).fill('Sekali lagi');
  await form.getByLabel('Berlaku mulai tahun').fill('2026');
  await form.getByLabel('Berkas .xlsx', { exact: false }).setInputFiles(WORKBOOK);
  await form.getByRole('button', { name: 'Impor', exact: true }).click();
  await expect(form.getByText('Sudah dipakai. Pilih yang lain.')).toBeVisible();
});
