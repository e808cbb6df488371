import type { Page } from '@playwright/test';
import { DEMO_PASSWORD, expect, freshContext, logInAs, test, waitForHydration } from './fixtures';
import { freshUnit } from './units';

// Two members of one unit answer the same question from pages opened before
// either saved: the second is told who saved what, and chooses.

test.use({ language: 'id' });

function question(page: Page, code: string) {
  return page.locator(`article[id="${code}"]`);
}

async function openFirstArea(page: Page, unitName: string) {
  await page.getByRole('link', { name: new RegExp(unitName) }).first().click();
  await page.getByRole('link', { name: 'Manajemen Perubahan' }).first().click();
  await waitForHydration(page);
}

test('a stale autosave shows both answers; keep mine saves mine, take theirs shows theirs', async ({
  page,
  request,
  browser,
  baseURL,
}) => {
  const unit = await freshUnit(request, 2);
  await logInAs(page, unit.usernames[0], DEMO_PASSWORD, { language: 'id' });
  const other = await (await freshContext(browser, baseURL!, 'id')).newPage();
  await logInAs(other, unit.usernames[1], DEMO_PASSWORD, { language: 'id' });
  await openFirstArea(page, unit.name);
  await openFirstArea(other, unit.name);

  // The first member saves two answers.
  for (const [code, answer] of [
    ['P.MP.i.b', /^B /],
    ['P.MP.i.a', /^Ya /],
  ] as const) {
    await question(page, code).getByRole('radio', { name: answer }).check();
    await expect(question(page, code).getByRole('status')).toHaveText('Tersimpan.');
  }

  // The second, still on the page as it was, answers one of them otherwise.
  await question(other, 'P.MP.i.b').getByRole('radio', { name: /^C / }).check();
  const notice = other.getByTestId('conflict-P.MP.i.b');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(`Anggota 1 Uji ${unit.suffix}`);
  await expect(notice.getByTestId('theirs')).toContainText('Jawaban: B');
  await expect(notice.getByTestId('mine')).toContainText('Jawaban: C');

  // Keep mine: saved over theirs, the notice goes, and the first member sees it after a reload.
  await notice.getByRole('button', { name: 'Simpan isian saya' }).click();
  await expect(notice).toHaveCount(0);
  await page.reload();
  await waitForHydration(page);
  await expect(question(page, 'P.MP.i.b').getByRole('radio', { name: /^C / })).toBeChecked();

  // Take theirs on the other question: the page shows their saved answer.
  await question(other, 'P.MP.i.a').getByRole('radio', { name: 'Tidak', exact: true }).check();
  const second = other.getByTestId('conflict-P.MP.i.a');
  await expect(second).toBeVisible();
  await expect(second.getByTestId('theirs')).toContainText('Jawaban: Ya');
  await second.getByRole('link', { name: 'Pakai isian mereka' }).click();
  await expect(other.getByTestId('conflict-P.MP.i.a')).toHaveCount(0);
  await waitForHydration(other);
  await expect(question(other, 'P.MP.i.a').getByRole('radio', { name: /^Ya / })).toBeChecked();
  await expect(question(other, 'P.MP.i.b').getByRole('radio', { name: /^C / })).toBeChecked();
});
