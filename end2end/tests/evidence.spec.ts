import type { APIRequestContext, Page } from '@playwright/test';
import { freshUnit } from './units';
import { expect, test, waitForHydration } from './fixtures';

// Evidence as unit teams really have it: scanned decrees of several MB, a file
// replaced twice, and answers chosen on a slow link before the page is ready.
// Each test works on a unit of its own, made through the admin API, so it
// neither sees nor disturbs the other journeys.

function pdf(label: string, size: number): Buffer {
  const head = `%PDF-1.4\n% ${label}\n`;
  return Buffer.concat([Buffer.from(head), Buffer.alloc(Math.max(0, size - head.length), 0x41)]);
}

function question(page: Page, code: string) {
  return page.locator(`article[id="${code}"]`);
}

function newFileForm(page: Page, code: string) {
  return question(page, code).locator('.evidence > form.upload-form');
}

async function openFirstArea(page: Page, logIn: (page: Page, user: string) => Promise<void>, request: APIRequestContext) {
  const { username, name } = await freshUnit(request);
  await logIn(page, username);
  await page.getByRole('link', { name: new RegExp(name) }).first().click();
  const overview = page.url();
  await page.getByRole('link', { name: 'Manajemen Perubahan' }).first().click();
  return overview;
}

test.describe('with JavaScript', () => {
  test('a scanned decree of several MB goes up, and one over the limit is refused before it is sent', async ({
    page,
    logIn,
    request,
  }) => {
    await openFirstArea(page, logIn, request);
    await waitForHydration(page);
    const item = question(page, 'P.MP.i.a');
    await expect(newFileForm(page, 'P.MP.i.a')).toContainText('Maksimal 25 MB per berkas');

    await newFileForm(page, 'P.MP.i.a').locator('input[type=file]').setInputFiles({
      name: 'SK pindaian 6 MB.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('pindaian', 6 * 1024 * 1024),
    });
    await newFileForm(page, 'P.MP.i.a').getByRole('button', { name: 'Unggah', exact: true }).click();
    await expect(item.getByRole('link', { name: 'SK pindaian 6 MB.pdf' })).toBeVisible({ timeout: 20_000 });
    await expect(item.getByText('6,0 MB')).toBeVisible();

    let sent = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && /\/evidence$/.test(new URL(r.url()).pathname)) sent += 1;
    });
    await newFileForm(page, 'P.MP.i.a').locator('input[type=file]').setInputFiles({
      name: 'laporan 30 MB.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('besar', 30 * 1024 * 1024),
    }, { timeout: 30_000 }); // 30 MB through the DevTools protocol is slow on a busy machine
    await newFileForm(page, 'P.MP.i.a').getByRole('button', { name: 'Unggah', exact: true }).click();
    await expect(item.getByRole('alert')).toHaveText('Berkas terlalu besar (maksimal 25 MB per berkas).');
    expect(sent, 'nothing went over the wire').toBe(0);
    await expect(item.getByRole('link', { name: 'laporan 30 MB.pdf' })).toHaveCount(0);
  });

  test('several files chosen or dropped at once go up one after another, each with its own progress and outcome', async ({
    page,
    logIn,
    request,
  }) => {
    await openFirstArea(page, logIn, request);
    await waitForHydration(page);
    const item = question(page, 'P.MP.i.a');
    const form = newFileForm(page, 'P.MP.i.a');
    await expect(form.getByText('atau seret berkas ke sini')).toBeVisible();
    await form.locator('input[type=file]').setInputFiles([
      { name: 'SK Tim ZI 3 MB.pdf', mimeType: 'application/pdf', buffer: pdf('sk', 3 * 1024 * 1024) },
      { name: 'laporan 30 MB.pdf', mimeType: 'application/pdf', buffer: pdf('besar', 30 * 1024 * 1024) },
      { name: 'Notulen rapat.pdf', mimeType: 'application/pdf', buffer: pdf('notulen', 3_000) },
    ], { timeout: 30_000 });
    await form.getByRole('button', { name: 'Unggah', exact: true }).click();
    const rows = form.locator('.upload-list li');
    await expect(rows).toHaveCount(3);
    await expect(rows.filter({ hasText: 'laporan 30 MB.pdf' }).getByRole('alert')).toHaveText(
      'Berkas terlalu besar (maksimal 25 MB per berkas).',
    );
    for (const name of ['SK Tim ZI 3 MB.pdf', 'Notulen rapat.pdf']) {
      await expect(rows.filter({ hasText: name }).getByRole('status')).toHaveText('Terunggah.', { timeout: 20_000 });
      await expect(item.getByRole('link', { name })).toBeVisible();
    }
    await expect(item.locator('li.file')).toHaveCount(2);
    await expect(form.locator('input[type=file]')).toHaveValue('');

    // Dragged from the file manager onto the form: both go up at once.
    const dropped = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      for (const name of ['Dokumentasi kegiatan.pdf', 'Daftar hadir.pdf']) {
        transfer.items.add(new File([`%PDF-1.4\n% ${name}\n${'A'.repeat(5_000)}`], name, { type: 'application/pdf' }));
      }
      return transfer;
    });
    await form.dispatchEvent('drop', { dataTransfer: dropped });
    for (const name of ['Dokumentasi kegiatan.pdf', 'Daftar hadir.pdf']) {
      await expect(item.getByRole('link', { name })).toBeVisible();
    }
    await page.reload();
    await expect(question(page, 'P.MP.i.a').locator('li.file')).toHaveCount(4);
  });

  test('replacing one file twice never replaces another, and a sent file is not sent again', async ({
    page,
    logIn,
    request,
  }) => {
    await openFirstArea(page, logIn, request);
    await waitForHydration(page);
    // Nothing sticks out sideways, on a laptop or a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    const item = question(page, 'P.MP.i.a');
    for (const name of ['Notulen rapat.pdf', 'SK Tim ZI 2026.pdf']) {
      await newFileForm(page, 'P.MP.i.a').locator('input[type=file]').setInputFiles({
        name,
        mimeType: 'application/pdf',
        buffer: pdf(name, 4_000),
      });
      await newFileForm(page, 'P.MP.i.a').getByRole('button', { name: 'Unggah', exact: true }).click();
      await expect(item.getByRole('link', { name })).toBeVisible();
      await expect(newFileForm(page, 'P.MP.i.a').locator('input[type=file]')).toHaveValue('');
    }

    const first = item.locator('li.file', { hasText: 'Notulen rapat.pdf' });
    await first.getByText('Ganti', { exact: true }).click();
    const panel = first.locator('details.replace');
    await panel.locator('input[type=file]').setInputFiles({
      name: 'Notulen rapat revisi.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('revisi', 5_000),
    });
    await panel.getByRole('button', { name: 'Unggah', exact: true }).click();
    await expect(item.getByRole('link', { name: 'Notulen rapat revisi.pdf' })).toBeVisible();

    // The replaced file's row is gone with its panel; the other file has none open.
    const other = item.locator('li.file', { hasText: 'SK Tim ZI 2026.pdf' });
    await expect(other.locator('details.replace')).not.toHaveAttribute('open', '');
    await expect(item.getByRole('link', { name: 'SK Tim ZI 2026.pdf' })).toBeVisible();
    await expect(item.getByRole('link', { name: 'Notulen rapat.pdf', exact: true })).toHaveCount(0);
    await expect(item.getByText('Versi sebelumnya (1)')).toBeVisible();

    await page.reload();
    await expect(question(page, 'P.MP.i.a').getByRole('link', { name: 'SK Tim ZI 2026.pdf' })).toBeVisible();
    await expect(question(page, 'P.MP.i.a').locator('li.file')).toHaveCount(2);
  });

  test('on a slow link, an answer chosen before the page is interactive is saved', async ({
    page,
    logIn,
    request,
  }) => {
    await openFirstArea(page, logIn, request);
    const area = page.url();
    // The app's code arrives late, as on a 400 kbit/s link.
    let release: () => void = () => {};
    const arrived = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/*.wasm', async (route) => {
      await arrived;
      await route.continue();
    });
    await page.goto(area);
    await expect(page.getByTestId('still-loading')).toBeVisible();
    const item = question(page, 'P.MP.i.b');
    await item.getByRole('radio', { name: /^B / }).check();
    await item.getByLabel('Catatan').fill('Dipilih sebelum halaman siap');
    await expect(item.getByText('Tersimpan.')).toHaveCount(0);

    release();
    await waitForHydration(page);
    await expect(page.getByTestId('still-loading')).toHaveCount(0);
    await expect(item.getByRole('status')).toHaveText('Tersimpan.');
    await page.unroute('**/*.wasm');
    await page.reload();
    await expect(question(page, 'P.MP.i.b').getByRole('radio', { name: /^B / })).toBeChecked();
    await expect(question(page, 'P.MP.i.b').getByLabel('Catatan')).toHaveValue('Dipilih sebelum halaman siap');
    await expect(page.getByTestId('score-completeness')).toHaveText(/^1\//);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('uploading a file keeps the answers typed since the last save', async ({ page, logIn, request }) => {
    await openFirstArea(page, logIn, request);
    const area = page.url();
    await question(page, 'P.MP.i.b').getByRole('radio', { name: /^B / }).check();
    await question(page, 'P.MP.i.b').getByLabel('Catatan').fill('Dipilih lalu langsung unggah');
    await newFileForm(page, 'P.MP.i.a').locator('input[type=file]').setInputFiles({
      name: 'SK Tim ZI.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('sk', 40_000),
    });
    await newFileForm(page, 'P.MP.i.a').getByRole('button', { name: 'Unggah', exact: true }).click();
    await expect(question(page, 'P.MP.i.a').getByRole('link', { name: 'SK Tim ZI.pdf' })).toBeVisible();
    await page.goto(area);
    await expect(question(page, 'P.MP.i.b').getByRole('radio', { name: /^B / })).toBeChecked();
    await expect(question(page, 'P.MP.i.b').getByLabel('Catatan')).toHaveValue('Dipilih lalu langsung unggah');
    // The Save button still saves the area on its own, with no file chosen.
    await question(page, 'P.MP.i.a').getByRole('radio', { name: /^Ya/ }).check();
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    await page.goto(area);
    await expect(question(page, 'P.MP.i.a').getByRole('radio', { name: /^Ya/ })).toBeChecked();
  });

  test('a file over the limit brings the user back to the question with the reason in Indonesian', async ({
    page,
    logIn,
    request,
  }) => {
    const overview = await openFirstArea(page, logIn, request);
    // One file per post: the browser code sends several one by one, a plain form cannot.
    await expect(newFileForm(page, 'P.MP.i.a').locator('input[type=file]')).not.toHaveAttribute('multiple', /.*/);
    await newFileForm(page, 'P.MP.i.a').locator('input[type=file]').setInputFiles({
      name: 'laporan 30 MB.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('besar', 30 * 1024 * 1024),
    }, { timeout: 30_000 }); // 30 MB through the DevTools protocol is slow on a busy machine
    await newFileForm(page, 'P.MP.i.a').getByRole('button', { name: 'Unggah', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('Berkas terlalu besar (maksimal 25 MB per berkas).');
    expect(new URL(page.url()).pathname).toBe(new URL(overview).pathname + '/pemenuhan/1');
  });
});
