/**
 * CSV formula injection: Excel, LibreOffice and Google Sheets run a cell that starts with
 * = + - or @ as a formula (DDE `=cmd|' /C calc'!A0`, `=HYPERLINK(...)` sending other cells
 * away), and a leading tab or carriage return hides such a start. Lead fields come from web
 * forms, so anyone can put one in a CRM export, and `score --output` is meant to be opened in
 * Excel. OWASP's advice is followed: such a cell gets a leading ', which these programs take as
 * "text" and do not show. Our own reasons column starts with "+10 …" / "-10 …", so it is
 * prefixed too. A plain number (-1.8, +3, -1,8 with a decimal comma, 1e-3, and amounts with
 * grouped thousands: -1,200.50, -1.200,50, -1'200, -1 200) is left as it is: it is no formula
 * (digits and separators only), and prefixing it would turn a column of numbers into text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/;
// Thousands in groups of three after one separator (. , ' or a space), then an optional decimal part.
const GROUPED_NUMBER = /^[+-]?\d{1,3}([.,' ]\d{3})*([.,]\d+)?$/;

/** The cell as a spreadsheet shows it but never runs it. */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) && !GROUPED_NUMBER.test(cell) ? `'${cell}` : cell;
}

/** Every cell of every row through neutraliseFormula. */
export function neutraliseFormulas(rows: string[][]): string[][] {
  return rows.map((row) => row.map(neutraliseFormula));
}
