import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { DEMO, DEMO_PASSWORD, expect, freshContext, logInAs, test, waitForHydration } from './fixtures';
import { freshUnit } from './units';
import {
  TPI_CHANGES,
  TPI_NOTE,
  cellValue,
  filledWorkbook,
  formulaOf,
  masterSoal,
  readWorkbook,
  tpiAnswer,
  tpiNote,
  unitAnswer,
  unitNote,
} from './lke-2026-workbook';

// PortalRB's 2026 workbook both ways (issue #15): a unit member fills a fresh
// unit's LKE from the official template filled in both lanes, once from the
// TPI column and then from its own; the evaluator reviews; the 2026 download
// holds both lanes, the evidence link and summary sheets (Unit, TPI Unit,
// TPI Itjen) whose cached totals are the scores the pages show.
//
// The import form fills the unit's own answers from whichever column it is
// told to read ("Kolom yang menjadi jawaban unit"); no one can import into the
// evaluators' lane, which the TPI fills on the review pages. So the TPI lane
// of the file is imported as the unit's answers once, and the evaluator enters
// the two answers where that lane differs by hand.

async function signedIn(browser: Browser, baseURL: string, username: string): Promise<Page> {
  const context = await freshContext(browser, baseURL, 'id');
  const page = await context.newPage();
  await logInAs(page, username, DEMO_PASSWORD, { language: 'id' });
  return page;
}

function question(page: Page, code: string) {
  return page.locator(`article[id="${code}"]`);
}

/** A score as the page writes it ("87,35") as a number. */
async function scoreOf(page: Page): Promise<number> {
  const text = (await page.getByTestId('score-total').textContent()) ?? '';
  return Number(text.trim().replace(/\./g, '').replace(',', '.'));
}

async function call(request: APIRequestContext, endpoint: string, form: Record<string, string>) {
  const reply = await request.post(`/api/${endpoint}`, { form });
  expect(reply.status(), `${endpoint}: ${await reply.text()}`).toBe(200);
  return reply.json();
}

/** The administrator puts `tpi` on the assessment's team as its lead. */
async function assignEvaluator(request: APIRequestContext, assessment: string) {
  await call(request, 'login', { identifier: DEMO.admin.username, password: DEMO_PASSWORD });
  const evaluators: Array<{ id: string; username: string }> = await call(request, 'review/evaluators', {});
  const tpi = evaluators.find((e) => e.username === DEMO.tpi.username);
  expect(tpi, 'the demo evaluator').toBeTruthy();
  await call(request, 'review/assign', { assessment, evaluator: tpi!.id, lead: 'on' });
  await call(request, 'logout', {});
}

/** Imports the workbook through the assessment page's form, reading `lane` (its option's label). */
async function importWorkbook(page: Page, workbook: Buffer, lane: string) {
  await page.locator('#import-file').setInputFiles({
    name: 'LKE ZI 2026 terisi.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: workbook,
  });
  await page.getByLabel('Kolom yang menjadi jawaban unit').selectOption({ label: lane });
  await page.getByLabel('Saya paham jawaban dan catatan yang ada akan diganti dengan isi berkas.').check();
  await page.getByRole('button', { name: 'Impor jawaban', exact: true }).click();
  await expect(page.getByText('Jawaban dan catatan diisi dari berkas.')).toBeVisible({ timeout: 20_000 });
}

test('a unit fills the LKE from the 2026 workbook (TPI lane, then its own) and the evaluator downloads it back in the 2026 layout', async ({
  browser,
  baseURL,
  request,
}) => {
  test.setTimeout(180_000);
  const soal = masterSoal();
  expect(soal).toHaveLength(127);
  const workbook = await filledWorkbook();
  expect(workbook.length, 'the template as it is, filled').toBeGreaterThan(100_000);
  const unit = await freshUnit(request);

  // The unit member opens the assessment and imports the file's TPI column first.
  const member = await signedIn(browser, baseURL!, unit.username);
  await member.getByRole('link', { name: new RegExp(unit.name) }).first().click();
  await expect(member.getByRole('heading', { level: 1 })).toContainText(unit.name);
  await waitForHydration(member);
  const overview = member.url().replace(/\/$/, '');
  const id = overview.split('/').pop()!;
  await importWorkbook(member, workbook, 'Jawaban TPI');
  const read = member.locator('.import-read');
  await expect(read).toHaveText(
    'Dibaca: format LKE 2026, lembar "Jawaban", jawaban dari kolom O, catatan dari kolom R.',
    { timeout: 20_000 },
  );
  await expect(member.getByTestId('score-completeness')).toHaveText(/^(\d+)\/\1 /);
  const fromTpiColumn = await scoreOf(member);

  await member.goto(`${overview}/pemenuhan/1`);
  await waitForHydration(member);
  await expect(question(member, 'P.MP.i.a').getByRole('radio', { name: /^Tidak/ })).toBeChecked();
  await expect(question(member, 'P.MP.i.b').getByRole('radio', { name: /^C / })).toBeChecked();
  await expect(question(member, 'P.MP.i.a').getByLabel('Catatan')).toHaveValue(TPI_NOTE);

  // Then its own column: every answer and note replaced, the score higher.
  await member.goto(overview);
  await waitForHydration(member);
  await importWorkbook(member, workbook, 'Jawaban Unit (bawaan)');
  await expect(read).toHaveText(
    'Dibaca: format LKE 2026, lembar "Jawaban", jawaban dari kolom K, catatan dari kolom L.',
    { timeout: 20_000 },
  );
  await expect.poll(() => scoreOf(member)).toBeGreaterThan(fromTpiColumn);
  const unitScore = await scoreOf(member);

  // An area page shows the file's answers and notes; one question gets its evidence.
  await member.goto(`${overview}/pemenuhan/1`);
  await waitForHydration(member);
  const first = soal[0];
  expect(first.row).toBe(6);
  const team = question(member, 'P.MP.i.a');
  await expect(team.getByRole('radio', { name: /^Ya/ })).toBeChecked();
  await expect(question(member, 'P.MP.i.b').getByRole('radio', { name: /^A / })).toBeChecked();
  await expect(team.getByLabel('Catatan')).toHaveValue(unitNote(first)!);
  expect(await scoreOf(member)).toBe(unitScore);
  await team.locator('.evidence > form.upload-form input[type=file]').setInputFiles({
    name: 'SK Tim ZI.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.concat([Buffer.from('%PDF-1.4\n% sk\n'), Buffer.alloc(2_000, 0x20)]),
  });
  await team.locator('.evidence > form.upload-form').getByRole('button', { name: 'Unggah', exact: true }).click();
  await expect(team.getByRole('link', { name: 'SK Tim ZI.pdf' })).toBeVisible();
  // Counts come in as numbers (soal 88, R.MP.i.a.1).
  await member.goto(`${overview}/reform/1`);
  await waitForHydration(member);
  await expect(question(member, 'R.MP.i.a').getByLabel(/R\.MP\.i\.a\.1/)).toHaveValue(
    String(unitAnswer(soal[87])),
  );

  await member.goto(overview);
  await waitForHydration(member);
  await member.getByLabel('Saya mengerti dan tetap ingin mengirim.').check();
  await member.getByRole('button', { name: 'Kirim penilaian' }).click();
  await expect(member.getByTestId('state')).toHaveText('Dikirim ke TPI');

  // The evaluator enters the two answers where the file's TPI lane differs.
  await assignEvaluator(request, id);
  const tpi = await signedIn(browser, baseURL!, DEMO.tpi.username);
  await tpi.goto(`/review/${id}`);
  await tpi.getByRole('link', { name: /Manajemen Perubahan · Pemenuhan/ }).click();
  await waitForHydration(tpi);
  for (const [, change] of TPI_CHANGES) {
    const card = question(tpi, change.item);
    await card.getByRole('radio', { name: new RegExp(`^${change.answer}\\b`) }).check();
    await card.getByLabel('Catatan untuk unit').fill(TPI_NOTE);
    await card.getByLabel('Status').selectOption({ label: 'Perlu perbaikan' });
    await card.getByRole('button', { name: 'Simpan reviu' }).click();
    await expect(card.getByRole('status')).toHaveText('Tersimpan.');
  }
  await tpi.goto(`/review/${id}`);
  await waitForHydration(tpi);
  // The lane the evaluator entered scores what the file's TPI column scored.
  const tpiScore = await scoreOf(tpi);
  expect(tpiScore).toBe(fromTpiColumn);
  expect(tpiScore).toBeLessThan(unitScore);

  // The 2026 download from the review page.
  const [download] = await Promise.all([
    tpi.waitForEvent('download'),
    tpi.getByRole('link', { name: 'Unduh LKE (format 2026)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^LKE-2026-E2E-${unit.suffix}-.*\\.xlsx$`));
  const back = await readWorkbook(await readFile((await download.path())!));
  expect(back.worksheets.map((w) => w.name)).toEqual(['Unit', 'TPI Unit', 'TPI Itjen', 'Jawaban']);
  const sheet = back.getWorksheet('Jawaban')!;
  expect(cellValue(sheet, 'K1')).toBe('Jawaban Unit');
  expect(cellValue(sheet, 'N1')).toBe('Jawaban TPI');
  expect(cellValue(sheet, 'T1')).toBe('Jawaban TPI Itjen');

  // Both lanes of every soal on the row the master names; the Itjen's lane is empty.
  const link = `${baseURL}/bukti/zi_`;
  for (const s of soal) {
    const at = (col: string) => cellValue(sheet, `${col}${s.row}`);
    expect(at('K'), `soal ${s.id}: the unit's answer (K${s.row})`).toBe(unitAnswer(s));
    expect(at('L'), `soal ${s.id}: the unit's note (L${s.row})`).toBe(unitNote(s));
    expect(at('N'), `soal ${s.id}: the TPI's answer (N${s.row})`).toBe(tpiAnswer(s));
    expect(at('Q'), `soal ${s.id}: the TPI's note (Q${s.row})`).toBe(tpiNote(s));
    expect(at('T'), `soal ${s.id}: no Itjen answer (T${s.row})`).toBeUndefined();
    if (s.id === first.id) {
      expect(String(at('M')), 'the evidence link of P.MP.i.a').toContain(link);
    } else {
      expect(at('M'), `soal ${s.id}: no evidence, no link (M${s.row})`).toBeUndefined();
    }
  }
  // The link opens the evidence without an account, as PortalRB's evaluators open it.
  const evidence = await request.get(String(cellValue(sheet, 'M6')));
  expect(evidence.status()).toBe(200);
  expect(await evidence.text()).toContain('SK Tim ZI.pdf');

  // The summary sheets' cached totals are the scores the pages show.
  const totals = [
    ['Unit', unitScore, 'Jawaban!R4'],
    ['TPI Unit', tpiScore, 'Jawaban!O4'],
    ['TPI Itjen', 0, 'Jawaban!U4'],
  ] as const;
  for (const [name, shown, firstArea] of totals) {
    const summary = back.getWorksheet(name)!;
    expect(formulaOf(summary, 'K22'), name).toBe('SUM(K12,K20)');
    expect(formulaOf(summary, 'I6'), name).toBe(firstArea);
    // exceljs reads a cached result of 0 as none (the empty Itjen lane's total).
    const cached = Number(cellValue(summary, 'K22') ?? 0);
    expect(Math.abs(cached - shown), `${name}: K22 ${cached}, the page ${shown}`).toBeLessThan(0.0051);
  }
});
