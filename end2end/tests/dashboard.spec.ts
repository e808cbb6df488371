import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import type { Page } from '@playwright/test';
import { DEMO, expect, mainNav, test } from './fixtures';

// Leadership's weekly look: every unit of the period, the funnel and the
// charts, narrowed to one subtree, one unit opened, the CSV, the Excel and a
// chart as PNG downloaded.

/** Clicks a download link and returns the file's bytes and suggested name. */
async function download(page: Page, name: string) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name }).first().click(),
  ]);
  return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
}

test('a leader filters the dashboard to a subtree, opens a unit and downloads the table', async ({
  page,
  logIn,
}) => {
  await logIn(page, DEMO.pimpinan.username);
  await mainNav(page).getByRole('link', { name: 'Dasbor', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dasbor pimpinan');

  const table = page.getByTestId('dashboard');
  for (const unit of ['Balai Diklat Medan', 'Direktorat Pelayanan Perizinan', 'Direktorat Jenderal Pelayanan Publik']) {
    await expect(table).toContainText(unit);
  }
  await expect(page.getByTestId('funnel')).toContainText('Membangun ZI');
  const chart = page.getByTestId('distribution');
  await expect(chart).toBeVisible();
  await expect
    .poll(() => chart.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);

  // One subtree: the Balai is gone, the directorates stay; the URL can be bookmarked.
  await page.getByLabel('Unit dan bawahannya').selectOption({ label: '— Direktorat Jenderal Pelayanan Publik' });
  await page.getByRole('button', { name: 'Terapkan' }).click();
  await expect(page).toHaveURL(/subtree=/);
  await expect(table).not.toContainText('Balai Diklat Medan');
  await expect(table.locator('tbody tr')).toHaveCount(3);

  // The CSV holds what the table shows.
  const shown = await table.locator('tbody tr').first().locator('td').nth(4).textContent();
  const csvHref = await page.getByRole('link', { name: 'Unduh CSV' }).getAttribute('href');
  const csv = await page.request.get(csvHref!);
  expect(csv.status()).toBe(200);
  // As Indonesian Excel reads it: a byte order mark, semicolons, decimal commas.
  const text = await csv.text();
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const lines = text.slice(1).trim().split('\n');
  expect(lines).toHaveLength(4);
  const firstCode = await table.locator('tbody tr').first().locator('th .muted').textContent();
  expect(lines[1].startsWith(`${firstCode};`)).toBe(true);
  expect(lines[1].split(';')).toContain(shown ?? '');

  // The Excel opens and holds the self score of the first row, unrounded.
  const xlsx = await download(page, 'Unduh Excel');
  expect(xlsx.name).toMatch(/\.xlsx$/);
  const workbook = await JSZip.loadAsync(xlsx.bytes);
  const sheet = await workbook.file('xl/worksheets/sheet1.xml')!.async('string');
  const selfScore = sheet.match(/<c r="G2"[^>]*><v>([^<]+)<\/v>/);
  expect(selfScore).not.toBeNull();
  expect(Number(selfScore![1]).toFixed(2).replace('.', ',')).toBe(shown);

  // Every instansi chart is drawn; one downloads as a PNG with its pixels.
  for (const id of ['distribution', 'completeness-chart', 'heatmap']) {
    const img = page.getByTestId(id);
    await expect
      .poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth))
      .toBeGreaterThan(0);
  }
  const png = await download(page, 'Unduh grafik (PNG)');
  expect(png.name).toBe('distribusi-nilai.png');
  expect(png.bytes.subarray(1, 4).toString()).toBe('PNG');
  expect(png.bytes.readUInt32BE(16)).toBe(720);

  // A unit's page: areas against their weights (chart and table), the verdict.
  await table.getByRole('link', { name: 'Direktorat Pelayanan Perizinan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Direktorat Pelayanan Perizinan');
  await expect(page.getByTestId('areas').locator('tbody tr')).toHaveCount(6);
  const areas = page.getByTestId('areas-chart');
  await expect
    .poll(() => areas.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);
  await expect(page.getByTestId('parts').locator('tbody tr')).toHaveCount(6);
  await expect(page.getByRole('heading', { name: 'Catatan TPI' })).toBeVisible();
  const parts = page.getByTestId('parts-chart');
  await expect
    .poll(() => parts.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);
  await expect(page.getByTestId('score-total')).toBeVisible();
  const unitPng = await download(page, 'Unduh grafik (PNG)');
  expect(unitPng.name).toMatch(/^area-DIT-IZIN-\d{4}\.png$/);
  expect(unitPng.bytes.subarray(1, 4).toString()).toBe('PNG');
});
