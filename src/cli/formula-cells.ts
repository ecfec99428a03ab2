/**
 * CSV formula injection: Excel, LibreOffice and Google Sheets run a cell that starts with
 * = + - or @ as a formula (DDE `=cmd|' /C calc'!A0`, `=HYPERLINK(...)` sending other cells
 * away), and a leading tab or carriage return hides such a start. Lead fields come from web
 * forms, so anyone can put one in a CRM export, and `score --output` is meant to be opened in
 * Excel. OWASP's advice is followed: such a cell gets a leading ', which these programs take as
 * "text" and do not show. Our own reasons column starts with "+10 …" / "-10 …", so it is
 * prefixed too. A plain number (-1.8, +3, -1,8 with a decimal comma, 1e-3) is left as it is:
 * it is no formula, and prefixing it would turn a column of numbers into text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/;

/** The cell as a spreadsheet shows it but never runs it. */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/** Every cell of every row through neutraliseFormula. */
export function neutraliseFormulas(rows: string[][]): string[][] {
  return rows.map((row) => row.map(neutraliseFormula));
}
