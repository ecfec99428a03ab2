import { malformedQuery } from '../errors.js';
import { isDateLiteral, takesN } from './date-literals.js';

/** Tokens of the SOQL subset the sandbox understands. */
export type TokenKind = 'ident' | 'string' | 'number' | 'datetime' | 'date' | 'dateLiteral' | 'op' | '(' | ')' | ',' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Decoded value for string literals; the literal's name for date literals. */
  value?: string;
  /** The n of a date literal such as LAST_N_DAYS:n. */
  n?: number;
  pos: number;
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\w:])/;
const NUMBER = /^-?\d+(\.\d+)?(?![\w])/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_.]*/;
const OPERATORS = ['<=', '>=', '!=', '<>', '=', '<', '>'];
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', _: '\\_', '%': '\\%' };

/**
 * The head of Salesforce's message for a query it refuses (MALFORMED_QUERY, INVALID_FIELD,
 * INVALID_TYPE): a newline, the query's row, a caret under the fault, "ERROR at Row:R:Column:C";
 * the reason follows on the next line. Salesforce quotes only some 30-40 characters either side of
 * the fault in a long row (its exact cut is not documented), the sandbox quotes the whole row.
 */
export function quoteFault(soql: string, pos: number): string {
  const before = soql.slice(0, pos).split('\n');
  const row = before.length;
  const column = before[row - 1].length + 1;
  return `\n${soql.split('\n')[row - 1]}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}`;
}

export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const c = soql[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = soql.slice(i);
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, text: c, pos: i });
      i++;
      continue;
    }
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (; j < soql.length && soql[j] !== "'"; j++) {
        if (soql[j] === '\\') {
          const e = ESCAPES[soql[j + 1]];
          if (e === undefined) throw malformedQuery(`Invalid string literal '${soql.slice(i, j + 2)}'. Illegal character sequence '\\${soql[j + 1]}' in string literal.`);
          value += e;
          j++;
        } else value += soql[j];
      }
      if (j >= soql.length) throw malformedQuery(`${quoteFault(soql, i)}\nunexpected token: '${rest.slice(0, 20)}' (unterminated string)`);
      tokens.push({ kind: 'string', text: soql.slice(i, j + 1), value, pos: i });
      i = j + 1;
      continue;
    }
    const dt = DATETIME.exec(rest);
    if (dt) {
      tokens.push({ kind: 'datetime', text: dt[0], pos: i });
      i += dt[0].length;
      continue;
    }
    const d = DATE.exec(rest);
    if (d) {
      tokens.push({ kind: 'date', text: d[0], pos: i });
      i += d[0].length;
      continue;
    }
    const n = NUMBER.exec(rest);
    if (n) {
      tokens.push({ kind: 'number', text: n[0], pos: i });
      i += n[0].length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id && isDateLiteral(id[0])) {
      const withN = /^:(\d+)/.exec(soql.slice(i + id[0].length));
      if (takesN(id[0]) !== Boolean(withN)) {
        const problem = withN ? `${id[0]} takes no :n` : `${id[0]} needs a number, as in ${id[0].toUpperCase()}:30`;
        throw malformedQuery(`${quoteFault(soql, i)}\nInvalid date literal: ${problem}`);
      }
      const text = id[0] + (withN ? withN[0] : '');
      tokens.push({ kind: 'dateLiteral', text, value: id[0], n: withN ? Number(withN[1]) : undefined, pos: i });
      i += text.length;
      continue;
    }
    if (id) {
      tokens.push({ kind: 'ident', text: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (op) {
      tokens.push({ kind: 'op', text: op === '<>' ? '!=' : op, pos: i });
      i += op.length;
      continue;
    }
    throw malformedQuery(`${quoteFault(soql, i)}\nunexpected token: '${rest.split(/\s/)[0]}'`);
  }
  tokens.push({ kind: 'eof', text: '', pos: soql.length });
  return tokens;
}
