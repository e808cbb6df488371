// The 2026 LKE workbook of the browser tests (not a spec file): PortalRB's
// template as it is (app/tests/fixtures/lke-zi-2026-jawaban-template.xlsx,
// sheets Unit, TPI Unit, TPI Itjen and Jawaban), filled the way a unit and its
// evaluators fill it: on every soal's row of master-soal-lkezi-2026.json a
// letter of its answer scheme or a number, in the unit's lane and in the TPI
// lane, with a few notes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';

const fixtures = path.resolve(__dirname, '..', '..', 'app', 'tests', 'fixtures');
const TEMPLATE = path.join(fixtures, 'lke-zi-2026-jawaban-template.xlsx');
const MASTER = path.join(fixtures, 'master-soal-lkezi-2026.json');

/** One soal of the master, as far as the tests need it. */
export interface Soal {
  id: number;
  row: number;
  /** `YA_TIDAK`, `ABC` … `ABCDE`, `Jumlah`/`jumlah`, `0-4`. */
  kind: string;
  /** The keys of its answer scheme (`Ya`/`Tidak`, `A`–`E`); empty for numbers. */
  keys: string[];
}

/** A lane's answer of a soal: a letter or a number. */
export type Value = string | number;

interface MasterNode {
  soals?: Array<{
    id: number;
    excel_baris: number;
    jenis_jawaban: string;
    skema_penilaian: Array<{ key: string }>;
  }>;
  children?: MasterNode[];
}

/** Every soal of the master, in its order (127). */
export function masterSoal(): Soal[] {
  const master = JSON.parse(readFileSync(MASTER, 'utf8')) as { data: MasterNode[] };
  const out: Soal[] = [];
  const walk = (node: MasterNode) => {
    for (const s of node.soals ?? []) {
      out.push({
        id: s.id,
        row: s.excel_baris,
        kind: s.jenis_jawaban,
        keys: s.skema_penilaian.map((k) => k.key),
      });
    }
    for (const child of node.children ?? []) walk(child);
  };
  master.data.forEach(walk);
  return out;
}

/** The unit's answer: mostly the best option, every third soal the next one; counts and indices. */
export function unitAnswer(soal: Soal): Value {
  if (soal.kind === '0-4') return soal.id % 2 === 0 ? 3.52 : 3.71;
  if (soal.keys.length === 0) return 10 + (soal.id % 7);
  return soal.keys[soal.id % 3 === 0 ? 1 : 0];
}

/** Soal 1 and 2 (P.MP.i.a and P.MP.i.b, rows 6 and 7): where the TPI lane differs. */
export const TPI_CHANGES: ReadonlyMap<number, { item: string; answer: string }> = new Map([
  [1, { item: 'P.MP.i.a', answer: 'Tidak' }],
  [2, { item: 'P.MP.i.b', answer: 'C' }],
]);

/** The TPI lane: the unit's answers, two of them lower. */
export function tpiAnswer(soal: Soal): Value {
  return TPI_CHANGES.get(soal.id)?.answer ?? unitAnswer(soal);
}

/** Hostile text in the notes: markup, quotes, an ampersand and what looks like a formula. */
export const UNIT_NOTE = `SK Tim ZI </textarea><script>alert("x")</script> & 'kutip' =1+1`;
export const TPI_NOTE = 'SK tim belum ditandatangani <b>pimpinan</b> & "Itjen"';

/** The unit's note of a soal (soal 1, 2 and 10 carry one). */
export function unitNote(soal: Soal): string | undefined {
  return [1, 2, 10].includes(soal.id) ? `${UNIT_NOTE} (${soal.id})` : undefined;
}

/** The TPI lane's note (on the soal whose answer it changes). */
export function tpiNote(soal: Soal): string | undefined {
  return TPI_CHANGES.has(soal.id) ? TPI_NOTE : undefined;
}

/** The column whose row-1 label is `label` (the template is a ministry's copy: TPI in O). */
function columnOf(sheet: ExcelJS.Worksheet, label: string): number {
  let found = 0;
  sheet.getRow(1).eachCell((cell, col) => {
    if (!found && String(cell.value ?? '').trim() === label) found = col;
  });
  if (!found) throw new Error(`no column "${label}" in ${sheet.name}`);
  return found;
}

const NON_LHKPN_TOTAL_ROW = 182;

/** The filled template as bytes. */
export async function filledWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(TEMPLATE);
  const sheet = workbook.getWorksheet('Jawaban');
  if (!sheet) throw new Error('the template has no sheet Jawaban');
  const col = {
    unit: columnOf(sheet, 'Jawaban Unit'),
    unitNote: columnOf(sheet, 'Catatan/Keterangan/Penjelasan (Unit)'),
    tpi: columnOf(sheet, 'Jawaban TPI'),
    tpiNote: columnOf(sheet, 'Catatan/Keterangan/Penjelasan (TPI Unit)'),
  };
  for (const soal of masterSoal()) {
    const row = sheet.getRow(soal.row);
    row.getCell(col.unit).value = unitAnswer(soal);
    row.getCell(col.tpi).value = tpiAnswer(soal);
    const note = unitNote(soal);
    if (note) row.getCell(col.unitNote).value = note;
    const tpi = tpiNote(soal);
    if (tpi) row.getCell(col.tpiNote).value = tpi;
  }
  // Row 182 asks for the total of the three rows below it (R.PW.iii.b.1 of the
  // rubric, an entered count), though the master names no soal for it.
  const total = sheet.getRow(NON_LHKPN_TOTAL_ROW);
  const label = String(total.getCell('G').value ?? '');
  if (!label.startsWith('Jumlah yang harus melaporkan (tidak wajib LHKPN)')) {
    throw new Error(`row ${NON_LHKPN_TOTAL_ROW} holds "${label}"`);
  }
  const below = masterSoal().filter((s) => s.row > NON_LHKPN_TOTAL_ROW && s.row <= NON_LHKPN_TOTAL_ROW + 3);
  const sum = (answer: (s: Soal) => Value) => below.reduce((n, s) => n + Number(answer(s)), 0);
  total.getCell(col.unit).value = sum(unitAnswer);
  total.getCell(col.tpi).value = sum(tpiAnswer);
  for (const name of ['Unit', 'TPI Unit', 'TPI Itjen']) {
    const summary = workbook.getWorksheet(name);
    if (summary) summary.getCell('B1').value = 'Direktorat Uji';
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A downloaded workbook, read back. */
export async function readWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes);
  return workbook;
}

/** What a cell holds: its value, or a formula's cached result. */
export function cellValue(sheet: ExcelJS.Worksheet, address: string): unknown {
  const value = sheet.getCell(address).value;
  if (value && typeof value === 'object') {
    if ('formula' in value) return value.result;
    if ('hyperlink' in value) return value.hyperlink;
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return value.text;
  }
  return value ?? undefined;
}

/** A formula's text, without its `=`. */
export function formulaOf(sheet: ExcelJS.Worksheet, address: string): string | undefined {
  const value = sheet.getCell(address).value;
  if (value && typeof value === 'object' && 'formula' in value) return value.formula;
  return undefined;
}
