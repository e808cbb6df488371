// Locators and steps of the administration pages (not a spec file).
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

export const BPSDM = 'Badan Pengembangan Sumber Daya Manusia';

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Picks the option whose label (tree-indented with "— ") ends with `name`. */
export async function selectByName(select: Locator, name: string) {
  const option = select
    .getByRole('option')
    .filter({ hasText: new RegExp(`^(— )*${escapeRegExp(name)}$`) });
  await expect(option).toHaveCount(1);
  const value = await option.getAttribute('value');
  await select.selectOption(value!);
}

export function unitTable(page: Page) {
  return page.getByRole('table', { name: 'Unit kerja' });
}

/** The row of the unit table whose header cell is the unit's name. */
export function unitRow(page: Page, name: string) {
  return unitTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name, exact: true }) });
}

export function newUnitForm(page: Page) {
  return page.getByRole('region', { name: 'Tambah unit kerja' });
}

/** Fills and submits "Tambah unit kerja" on /admin/units; returns the form's region. */
export async function addUnit(
  page: Page,
  unit: { code: string; name: string; parent: string; kind?: string },
) {
  const form = newUnitForm(page);
  await form.getByLabel('Kode', { exact: true }).fill(unit.code);
  await form.getByLabel('Nama unit', { exact: true }).fill(unit.name);
  await form.getByLabel('Jenis', { exact: true }).selectOption({ label: unit.kind ?? 'Unit Eselon II' });
  await selectByName(form.getByLabel('Induk', { exact: true }), unit.parent);
  await form.getByRole('button', { name: 'Tambah unit', exact: true }).click();
  return form;
}
