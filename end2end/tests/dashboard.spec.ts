import { DEMO, expect, test } from './fixtures';

// Leadership's weekly look: every unit of the period, the funnel and the
// chart, narrowed to one subtree, one unit opened, the CSV downloaded.

test('a leader filters the dashboard to a subtree, opens a unit and downloads the table', async ({
  page,
  logIn,
}) => {
  await logIn(page, DEMO.pimpinan.username);
  await page.getByRole('link', { name: 'Dasbor' }).click();
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
  const lines = (await csv.text()).trim().split('\n');
  expect(lines).toHaveLength(4);
  const firstCode = await table.locator('tbody tr').first().locator('th .muted').textContent();
  expect(lines[1].startsWith(`${firstCode},`)).toBe(true);
  expect(lines[1]).toContain((shown ?? '').replace(',', '.'));

  const xlsxHref = await page.getByRole('link', { name: 'Unduh Excel' }).getAttribute('href');
  const xlsx = await page.request.get(xlsxHref!);
  expect(xlsx.status()).toBe(200);
  expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
  expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');

  // A unit's page: areas against their weights (chart and table), the verdict.
  await table.getByRole('link', { name: 'Direktorat Pelayanan Perizinan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Direktorat Pelayanan Perizinan');
  await expect(page.getByTestId('areas').locator('tbody tr')).toHaveCount(6);
  const areas = page.getByTestId('areas-chart');
  await expect
    .poll(() => areas.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);
  await expect(page.getByTestId('score-total')).toBeVisible();
});
