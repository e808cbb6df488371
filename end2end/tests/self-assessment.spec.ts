import type { Page } from '@playwright/test';
import { DEMO, expect, test, waitForHydration } from './fixtures';

// The unit team's journey: answer, prove with evidence, watch the score, submit.

/** A file whose bytes say PDF (the server sniffs the content, not the name). */
function pdf(label: string, size = 2_000): Buffer {
  const head = `%PDF-1.4\n% ${label}\n`;
  return Buffer.concat([Buffer.from(head), Buffer.alloc(Math.max(0, size - head.length), 0x20)]);
}

function question(page: Page, code: string) {
  return page.locator(`article[id="${code}"]`);
}

/** The form for a new file of a question (replace forms sit inside each file's row). */
function newFileForm(page: Page, code: string) {
  return question(page, code).locator('.evidence > form.upload-form');
}

async function openAssessment(page: Page, unitName: string) {
  await page.getByRole('link', { name: new RegExp(unitName) }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(unitName);
}

test.describe('with JavaScript', () => {
  test('a unit member answers, uploads with progress, previews, replaces, downloads the ZIP and submits', async ({
    page,
    logIn,
  }) => {
    await logIn(page, DEMO.unit.username);
    await openAssessment(page, 'Direktorat Pelayanan Perizinan');
    const overview = page.url();

    await page.getByRole('link', { name: 'Manajemen Perubahan' }).first().click();
    await waitForHydration(page);
    const total = page.getByTestId('score-total');
    const completeness = page.getByTestId('score-completeness');
    await expect(completeness).toHaveText(/^0\//);

    const sk = question(page, 'P.MP.i.b');
    await sk.getByRole('radio', { name: /^A / }).check();
    await expect(sk.getByRole('status')).toHaveText('Tersimpan.');
    await expect(completeness).toHaveText(/^1\//);
    await expect(total).not.toHaveText('0,00');
    // The sheet's mean over answered items stays; the conservative score grows.
    const conservative = page.getByTestId('score-conservative');
    const afterOne = await conservative.textContent();
    await question(page, 'P.MP.i.a').getByRole('radio', { name: /^Ya / }).check();
    await expect(completeness).toHaveText(/^2\//);
    await expect(conservative).not.toHaveText(afterOne ?? '');

    // A slow link: the progress bar shows while the file goes up.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 400 * 1024,
    });
    await newFileForm(page, 'P.MP.i.b').locator('input[type=file]').setInputFiles({
      name: 'SK Tim ZI.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('sk', 1_500_000),
    });
    await newFileForm(page, 'P.MP.i.b').getByRole('button', { name: 'Unggah', exact: true }).click();
    await expect(sk.locator('progress')).toBeVisible();
    await expect(sk.getByRole('link', { name: 'SK Tim ZI.pdf' })).toBeVisible({ timeout: 20_000 });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });

    await sk.getByText('Pratinjau', { exact: true }).click();
    await expect(sk.locator('iframe')).toHaveAttribute('src', /\/evidence\/.+\?inline=1$/);

    await sk.getByText('Ganti', { exact: true }).click();
    const replace = sk.locator('details.replace');
    await replace.locator('input[type=file]').setInputFiles({
      name: 'SK Tim ZI revisi.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('revisi'),
    });
    await replace.getByRole('button', { name: 'Unggah', exact: true }).click();
    await expect(sk.getByRole('link', { name: 'SK Tim ZI revisi.pdf' })).toBeVisible();
    await expect(sk.getByText('Versi sebelumnya (1)')).toBeVisible();

    // A computed percentage: two counts give the share, in the browser.
    await page.goto(overview.replace(/\/?$/, '/reform/1'));
    await waitForHydration(page);
    const pct = question(page, 'R.MP.i.a');
    await pct.getByLabel(/R\.MP\.i\.a\.1/).fill('3');
    await pct.getByLabel(/R\.MP\.i\.a\.2/).fill('4');
    await pct.getByLabel(/R\.MP\.i\.a\.2/).blur();
    await expect(page.getByTestId('computed-R.MP.i.a')).not.toHaveText('Belum dijawab');

    await page.goto(overview);
    await waitForHydration(page);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Unduh semua data dukung (ZIP)' }).click();
    expect((await download).suggestedFilename()).toMatch(/^data-dukung-DIT-IZIN-\d{4}\.zip$/);

    await page.getByLabel('Saya mengerti dan tetap ingin mengirim.').check();
    await page.getByRole('button', { name: 'Kirim penilaian' }).click();
    await expect(page.getByTestId('state')).toHaveText('Dikirim ke TPI');
    await expect(page.getByTestId('locked')).toBeVisible();

    await page.getByRole('link', { name: 'Manajemen Perubahan' }).first().click();
    await expect(page.getByTestId('read-only')).toBeVisible();
    await expect(question(page, 'P.MP.i.b').getByRole('radio', { name: /^A / })).toBeDisabled();
    await expect(question(page, 'P.MP.i.b').getByRole('button', { name: 'Unggah' })).toHaveCount(0);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the core of the journey works as plain forms: answer, upload, submit', async ({ page, logIn }) => {
    await logIn(page, DEMO.aduan.username);
    await openAssessment(page, 'Direktorat Pengaduan Masyarakat');
    const overview = page.url();
    await page.getByRole('link', { name: 'Manajemen Perubahan' }).first().click();

    const sk = question(page, 'P.MP.i.b');
    await sk.getByRole('radio', { name: /^B / }).check();
    await sk.getByLabel('Catatan').fill('SK dalam proses tanda tangan');
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    await expect(question(page, 'P.MP.i.b').getByRole('radio', { name: /^B / })).toBeChecked();
    await expect(question(page, 'P.MP.i.b').getByLabel('Catatan')).toHaveValue('SK dalam proses tanda tangan');
    await expect(page.getByTestId('score-completeness')).toHaveText(/^1\//);

    await newFileForm(page, 'P.MP.i.b').locator('input[type=file]').setInputFiles({
      name: 'draf SK.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('draf'),
    });
    await newFileForm(page, 'P.MP.i.b').getByRole('button', { name: 'Unggah', exact: true }).click();
    await expect(question(page, 'P.MP.i.b').getByRole('link', { name: 'draf SK.pdf' })).toBeVisible();

    // One SK proves a second item too, stored once.
    await question(page, 'P.MP.i.b').getByText('Tautkan ke butir lain', { exact: true }).click();
    await question(page, 'P.MP.i.b').getByLabel('Kode butir').fill('P.MP.ii.a');
    await question(page, 'P.MP.i.b').getByRole('button', { name: 'Tautkan', exact: true }).click();
    await expect(question(page, 'P.MP.ii.a').getByRole('link', { name: 'draf SK.pdf' })).toBeVisible();

    // A file that only claims to be a PDF comes back with the reason.
    await newFileForm(page, 'P.MP.i.b').locator('input[type=file]').setInputFiles({
      name: 'bukan.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('<html>bukan pdf</html>'),
    });
    await newFileForm(page, 'P.MP.i.b').getByRole('button', { name: 'Unggah', exact: true }).click();
    await expect(page.getByRole('alert').first()).toContainText('Jenis berkas tidak diizinkan');

    await page.goto(overview);
    await page.getByLabel('Saya mengerti dan tetap ingin mengirim.').check();
    await page.getByRole('button', { name: 'Kirim penilaian' }).click();
    await expect(page.getByTestId('state')).toHaveText('Dikirim ke TPI');
    await expect(page.getByTestId('locked')).toBeVisible();
  });
});
