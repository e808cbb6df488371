import type { Browser, Page } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, expect, freshContext, logInAs, test, waitForHydration } from './fixtures';

// The evaluators' journey on the demo's Balai Diklat Medan, which `zi demo`
// seeds as submitted with `tpi` as team lead: score beside the unit, return
// with notes, the unit fixes and resubmits, the change is highlighted, the
// team finalizes, the administrator proposes and records the WBK result.

const MEDAN = 'Balai Diklat Medan';

async function signedIn(browser: Browser, baseURL: string, username: string): Promise<Page> {
  const context = await freshContext(browser, baseURL, 'id');
  const page = await context.newPage();
  await logInAs(page, username, DEMO_PASSWORD, { language: 'id' });
  return page;
}

function question(page: Page, code: string) {
  return page.locator(`article[id="${code}"]`);
}

/** Saves one question of the evaluators' lane and waits for the confirmation. */
async function saveReview(page: Page, code: string, fill: (card: ReturnType<typeof question>) => Promise<void>) {
  const card = question(page, code);
  await fill(card);
  await card.getByRole('button', { name: 'Simpan reviu' }).click();
  await expect(card.getByRole('status')).toHaveText('Tersimpan.');
}

test('an evaluator reviews and returns, the unit fixes, the TPI finalizes and the admin records WBK', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);

  // The evaluator opens the assigned assessment from the queue.
  const tpi = await signedIn(browser, baseURL!, DEMO.tpi.username);
  const queue = tpi.getByTestId('queue');
  await expect(queue).toContainText(MEDAN);
  await queue.getByRole('link', { name: new RegExp(MEDAN) }).click();
  await expect(tpi.getByRole('heading', { level: 1 })).toContainText(MEDAN);
  const overview = tpi.url();
  await expect(tpi.getByTestId('gaps')).toHaveCount(0);

  // Two answers changed with notes, in the first area.
  await tpi.getByRole('link', { name: /Manajemen Perubahan · Pemenuhan/ }).click();
  await waitForHydration(tpi);
  await expect(question(tpi, 'P.MP.i.b').getByTestId('unit-P.MP.i.b')).toHaveText('A');
  await saveReview(tpi, 'P.MP.i.b', async (card) => {
    await card.getByRole('radio', { name: /^C / }).check();
    await card.getByLabel('Catatan untuk unit').fill('SK tim belum ditandatangani pimpinan.');
    await card.getByLabel('Status').selectOption({ label: 'Perlu perbaikan' });
  });
  await saveReview(tpi, 'P.MP.i.a', async (card) => {
    await card.getByRole('radio', { name: /^Tidak/ }).check();
    await card.getByLabel('Catatan untuk unit').fill('Tim kerja belum dibentuk dengan SK.');
    await card.getByLabel('Status').selectOption({ label: 'Tidak sesuai' });
  });

  // The survey indices, with either decimal separator; a bad one is refused in Indonesian.
  await tpi.goto(`${overview}/hasil/0`);
  await waitForHydration(tpi);
  const ipak = question(tpi, 'H.I.a');
  await ipak.getByLabel('Indeks (0–4, dua desimal)').fill('4,5');
  await ipak.getByRole('button', { name: 'Simpan reviu' }).click();
  await expect(ipak.getByRole('alert')).toContainText('rentang');
  await saveReview(tpi, 'H.I.a', async (card) => {
    await card.getByLabel('Indeks (0–4, dua desimal)').fill('3,82');
  });
  await saveReview(tpi, 'H.II.a', async (card) => {
    await card.getByLabel('Indeks (0–4, dua desimal)').fill('3.9');
  });

  // The biggest gaps put the changed questions first; the team lead returns it.
  await tpi.goto(overview);
  await waitForHydration(tpi);
  const gaps = tpi.getByTestId('gaps');
  await expect(gaps).toContainText('P.MP.i.a');
  await expect(gaps).toContainText('P.MP.i.b');
  await tpi.getByLabel('Ringkasan untuk unit').fill('Lengkapi SK tim kerja (P.MP.i.a dan P.MP.i.b).');
  await tpi.getByRole('button', { name: 'Kembalikan untuk perbaikan' }).click();
  await expect(tpi.getByText('Penilaian dikembalikan ke unit.')).toBeVisible();

  // The unit member reads the notes, fixes one answer and resubmits.
  const unit = await signedIn(browser, baseURL!, 'medan');
  await unit.getByRole('link', { name: new RegExp(MEDAN) }).first().click();
  await expect(unit.getByTestId('return-summary')).toContainText('Lengkapi SK tim kerja');
  const unitOverview = unit.url();
  await unit.getByRole('link', { name: 'Manajemen Perubahan' }).first().click();
  await waitForHydration(unit);
  const sk = question(unit, 'P.MP.i.b');
  await expect(sk.getByTestId('tpi-note-P.MP.i.b')).toContainText('SK tim belum ditandatangani pimpinan.');
  await sk.getByRole('radio', { name: /^B / }).check();
  await expect(sk.getByRole('status')).toHaveText('Tersimpan.');
  await unit.goto(unitOverview);
  await waitForHydration(unit);
  const confirm = unit.getByLabel('Saya mengerti dan tetap ingin mengirim.');
  if (await confirm.count()) await confirm.check();
  await unit.getByRole('button', { name: 'Kirim penilaian' }).click();
  await expect(unit.getByTestId('state')).toHaveText('Dikirim ke TPI');

  // The evaluator sees exactly what changed, and finalizes.
  await tpi.goto(overview);
  await waitForHydration(tpi);
  await expect(tpi.getByTestId('changed')).toContainText('P.MP.i.b');
  await tpi.getByTestId('changed').getByRole('link', { name: 'P.MP.i.b' }).click();
  await expect(tpi.getByTestId('changed-P.MP.i.b')).toBeVisible();
  await expect(question(tpi, 'P.MP.i.a').getByTestId('changed-P.MP.i.a')).toHaveCount(0);
  await tpi.goto(overview);
  await waitForHydration(tpi);
  // Only two items were reviewed: the page says how many are not, and the
  // button does nothing until that number is confirmed.
  await expect(tpi.getByTestId('unreviewed')).toContainText(/\d+ butir yang belum direviu/);
  await tpi.getByRole('button', { name: 'Finalkan nilai TPI' }).click();
  await expect(tpi.getByText('Nilai TPI telah final.')).toHaveCount(0);
  await tpi.getByLabel(/Saya tetap memfinalkan dengan \d+ butir belum direviu/).check();
  await tpi.getByRole('button', { name: 'Finalkan nilai TPI' }).click();
  await expect(tpi.getByText('Nilai TPI telah final.')).toBeVisible();

  // The evaluation report is there to print and to download.
  await tpi.getByRole('link', { name: 'Laporan Hasil Evaluasi (LHE)' }).click();
  await expect(tpi.getByTestId('report')).toContainText('LAPORAN HASIL EVALUASI');
  await expect(tpi.getByTestId('report')).toContainText('SK tim belum ditandatangani pimpinan.');
  const id = new URL(overview).pathname.split('/')[2];
  const docx = await tpi.request.get(`/assessments/${id}/lhe.docx`);
  expect(docx.status()).toBe(200);
  expect(docx.headers()['content-type']).toContain('wordprocessingml');

  // The administrator proposes it to the TPN and records the national stages up to the result.
  const admin = await signedIn(browser, baseURL!, DEMO.admin.username);
  await admin.goto('/admin/periods');
  await admin
    .getByRole('row', { name: new RegExp(MEDAN) })
    .getByRole('link', { name: 'Tim & keputusan' })
    .click();
  await expect(admin.getByTestId('team')).toContainText(DEMO.tpi.fullName);
  await waitForHydration(admin);
  const confirmFailing = admin.getByLabel('Saya tetap mengusulkan walaupun ambang tidak terpenuhi.');
  if (await confirmFailing.count()) await confirmFailing.check();
  await admin.getByRole('button', { name: 'Usulkan ke TPN' }).click();
  await expect(admin.getByText('Penilaian diusulkan ke TPN.')).toBeVisible();
  // The national stages, one form at a time: the selection first.
  const national = admin.getByTestId('national');
  await expect(national).toContainText('Catat tahap berikutnya: Seleksi administrasi');
  await national.getByLabel('Lulus', { exact: true }).check();
  await national.getByLabel('Tanggal').fill('2026-08-20');
  await national.getByRole('button', { name: 'Catat tahap' }).click();
  await expect(admin.getByText('Tahap nasional tercatat.')).toBeVisible();
  for (const [stage, day] of [
    ['Penilaian dokumen', '2026-09-10'],
    ['Wawancara', '2026-09-20'],
    ['Verifikasi lapangan', '2026-10-05'],
    ['Rapat panel', '2026-11-01'],
  ]) {
    await expect(national).toContainText(`Catat tahap berikutnya: ${stage}`);
    await national.getByLabel('Tanggal').fill(day);
    await national.getByRole('button', { name: 'Catat tahap' }).click();
  }
  await expect(national).toContainText('Catat tahap berikutnya: Hasil akhir');
  await national.getByLabel('Tanggal').fill('2026-12-10');
  await national.getByLabel('Nomor keputusan (SK)').fill('SK MENPANRB 123/2026');
  // Nothing is preselected, and the irreversible step is confirmed first.
  await expect(national.getByLabel('WBK', { exact: true })).not.toBeChecked();
  await national.getByLabel('WBK', { exact: true }).check();
  await national.getByLabel(/Setelah dicatat, hasil tidak dapat diubah/).check();
  await national.getByRole('button', { name: 'Catat tahap' }).click();
  await expect(admin.getByTestId('national-history')).toContainText('SK MENPANRB 123/2026');
  await expect(admin.getByTestId('predicates')).toContainText('WBK');

  // The unit's page shows the predicate.
  await unit.goto(unitOverview);
  await expect(unit.getByTestId('predicates')).toContainText('SK MENPANRB 123/2026');
  await expect(unit.getByTestId('state')).toHaveText('Predikat diraih');
});
