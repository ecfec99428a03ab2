import { malformedQuery } from '../errors.js';
import { parseDateTime } from '../values.js';
import type { AggregateFunction, Condition, FieldRef, Literal, OrderItem, SelectItem, SoqlQuery } from './ast.js';
import { quoteFault, tokenize, type Token } from './lexer.js';

/**
 * A recursive-descent parser for a common subset of SOQL: field lists, FIELDS(ALL|STANDARD|CUSTOM),
 * COUNT() or aggregates (COUNT, COUNT_DISTINCT, MIN, MAX, SUM, AVG, optionally aliased), one FROM
 * object, WHERE with comparisons (date literals included), LIKE, [NOT] IN, AND/OR/NOT and
 * parentheses, GROUP BY, ORDER BY with ASC/DESC and NULLS FIRST/LAST, LIMIT and OFFSET. Syntax
 * errors are MALFORMED_QUERY worded like Salesforce's; valid SOQL the sandbox does not implement
 * (subqueries, HAVING, TYPEOF, WITH, FOR, USING SCOPE, other functions) is MALFORMED_QUERY naming
 * the construct.
 */

const AGGREGATES = new Set<AggregateFunction>(['COUNT', 'COUNT_DISTINCT', 'MIN', 'MAX', 'SUM', 'AVG']);
const FIELDS_KINDS = new Set(['ALL', 'STANDARD', 'CUSTOM']);
/** Clauses of real SOQL the sandbox does not implement, by their first word. */
const UNSUPPORTED_CLAUSES: Record<string, string> = {
  having: 'HAVING',
  with: 'WITH',
  for: 'FOR VIEW / FOR REFERENCE / FOR UPDATE',
  using: 'USING SCOPE',
  typeof: 'TYPEOF',
  rollup: 'GROUP BY ROLLUP',
  cube: 'GROUP BY CUBE',
};

const RESERVED = new Set([
  'select', 'from', 'where', 'and', 'or', 'not', 'in', 'like', 'order', 'by', 'asc', 'desc',
  'nulls', 'first', 'last', 'limit', 'offset', 'true', 'false', 'null', 'group', 'having',
  'with', 'for', 'using', 'includes', 'excludes', 'typeof',
]);

class Parser {
  private i = 0;
  constructor(
    private readonly soql: string,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    this.i++;
    return t;
  }

  private isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'ident' && t.text.toLowerCase() === word;
  }

  private unexpected(t: Token = this.peek()): Error {
    const shown = t.kind === 'eof' ? '<EOF>' : t.text;
    return malformedQuery(`${quoteFault(this.soql, t.pos)}\nunexpected token: '${shown}'`);
  }

  private expectKeyword(word: string): void {
    if (!this.isKeyword(word)) throw this.unexpected();
    this.i++;
  }

  private expect(kind: Token['kind']): Token {
    if (this.peek().kind !== kind) throw this.unexpected();
    return this.next();
  }

  private fieldRef(): FieldRef {
    const t = this.peek();
    if (t.kind !== 'ident' || RESERVED.has(t.text.toLowerCase())) throw this.unexpected();
    this.i++;
    return { name: t.text, pos: t.pos };
  }

  /** Valid SOQL the sandbox does not implement: MALFORMED_QUERY naming it, so it is not read as a typo. */
  private notImplemented(construct: string, t: Token = this.peek()): Error {
    return malformedQuery(`${quoteFault(this.soql, t.pos)}\n${construct} is valid SOQL but not supported by the leadlift sandbox`);
  }

  private unsupportedClause(): Error | null {
    const t = this.peek();
    const construct = t.kind === 'ident' ? UNSUPPORTED_CLAUSES[t.text.toLowerCase()] : undefined;
    return construct ? this.notImplemented(construct, t) : null;
  }

  parse(): SoqlQuery {
    this.expectKeyword('select');
    const select: SelectItem[] = [];
    let count = false;
    if (this.isKeyword('count') && this.peek(1).kind === '(' && this.peek(2).kind === ')') {
      this.i += 3;
      count = true;
    } else {
      do select.push(this.selectItem());
      while (this.peek().kind === ',' && this.next());
    }
    this.expectKeyword('from');
    const from = this.fieldRef();
    let where: Condition | null = null;
    if (this.isKeyword('using')) throw this.notImplemented('USING SCOPE');
    if (this.isKeyword('where')) {
      this.i++;
      where = this.condition();
    }
    if (this.isKeyword('with')) throw this.notImplemented('WITH');
    const groupBy: FieldRef[] = [];
    if (this.isKeyword('group')) {
      this.i++;
      this.expectKeyword('by');
      const construct = this.unsupportedClause();
      if (construct) throw construct;
      do {
        if (this.peek(1).kind === '(') throw this.notImplemented(`GROUP BY ${this.peek().text}()`);
        groupBy.push(this.fieldRef());
      } while (this.peek().kind === ',' && this.next());
    }
    if (this.isKeyword('having')) throw this.notImplemented('HAVING');
    const orderBy: OrderItem[] = [];
    if (this.isKeyword('order')) {
      this.i++;
      this.expectKeyword('by');
      do orderBy.push(this.orderItem());
      while (this.peek().kind === ',' && this.next());
    }
    let limit: number | null = null;
    let offset: number | null = null;
    if (this.isKeyword('limit')) {
      this.i++;
      limit = this.nonNegativeInteger();
    }
    if (this.isKeyword('offset')) {
      this.i++;
      offset = this.nonNegativeInteger();
    }
    const construct = this.unsupportedClause();
    if (construct) throw construct;
    if (this.peek().kind !== 'eof') throw this.unexpected();
    return { select, count, from, where, groupBy, orderBy, limit, offset };
  }

  private selectItem(): SelectItem {
    const t = this.peek();
    if (t.kind === '(') throw this.notImplemented('A subquery in the select list', t);
    if (this.isKeyword('typeof')) throw this.notImplemented('TYPEOF', t);
    if (t.kind !== 'ident' || this.peek(1).kind !== '(') return { kind: 'field', field: this.fieldRef() };
    const fn = t.text.toUpperCase();
    if (fn === 'FIELDS') {
      this.i += 2;
      const which = this.expect('ident');
      if (!FIELDS_KINDS.has(which.text.toUpperCase())) throw this.unexpected(which);
      this.expect(')');
      return { kind: 'fields', which: which.text.toUpperCase() as 'ALL', pos: t.pos };
    }
    if (fn === 'COUNT' && this.peek(2).kind === ')') {
      // COUNT() only stands alone: Salesforce rejects it beside other fields.
      throw this.unexpected(this.peek(2));
    }
    if (!AGGREGATES.has(fn as AggregateFunction)) throw this.notImplemented(`The function ${fn}()`, t);
    this.i += 2;
    if (this.peek(1).kind === '(') throw this.notImplemented(`${this.peek().text}() inside ${fn}()`);
    const field = this.fieldRef();
    this.expect(')');
    let alias: string | null = null;
    const next = this.peek();
    if (next.kind === 'ident' && !RESERVED.has(next.text.toLowerCase())) {
      alias = next.text;
      this.i++;
    }
    return { kind: 'aggregate', fn: fn as AggregateFunction, field, alias, pos: t.pos };
  }

  private nonNegativeInteger(): number {
    const t = this.expect('number');
    if (!/^\d+$/.test(t.text)) throw this.unexpected(t);
    return Number(t.text);
  }

  private orderItem(): OrderItem {
    if (this.peek(1).kind === '(') throw this.notImplemented(`ORDER BY ${this.peek().text}()`);
    const field = this.fieldRef();
    let desc = false;
    if (this.isKeyword('asc')) this.i++;
    else if (this.isKeyword('desc')) {
      this.i++;
      desc = true;
    }
    // Salesforce's default: nulls first ascending, nulls last descending.
    let nullsLast = desc;
    if (this.isKeyword('nulls')) {
      this.i++;
      if (this.isKeyword('first')) nullsLast = false;
      else if (this.isKeyword('last')) nullsLast = true;
      else throw this.unexpected();
      this.i++;
    }
    return { field, desc, nullsLast };
  }

  /** AND and OR may not be mixed at one level without parentheses, as in real SOQL. */
  private condition(): Condition {
    const first = this.unary();
    const items = [first];
    let joiner: 'and' | 'or' | null = null;
    while (this.isKeyword('and') || this.isKeyword('or')) {
      const t = this.next();
      const word = t.text.toLowerCase() as 'and' | 'or';
      if (joiner && joiner !== word) {
        throw malformedQuery(`${quoteFault(this.soql, t.pos)}\nunexpected token: '${t.text}'`);
      }
      joiner = word;
      items.push(this.unary());
    }
    return joiner ? { type: joiner, items } : first;
  }

  private unary(): Condition {
    if (this.isKeyword('not')) {
      this.i++;
      return { type: 'not', item: this.unary() };
    }
    if (this.peek().kind === '(') {
      this.i++;
      const inner = this.condition();
      this.expect(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Condition {
    const field = this.fieldRef();
    const t = this.peek();
    if (t.kind === 'op') {
      this.i++;
      return { type: 'cmp', field, op: t.text as '=', value: this.literal() };
    }
    if (this.isKeyword('like')) {
      this.i++;
      const p = this.expect('string');
      return { type: 'like', field, pattern: p.value! };
    }
    let negate = false;
    if (this.isKeyword('not') && this.isKeyword('in', 1)) {
      this.i++;
      negate = true;
    }
    if (this.isKeyword('in')) {
      this.i++;
      this.expect('(');
      const values: Literal[] = [];
      do values.push(this.literal());
      while (this.peek().kind === ',' && this.next());
      this.expect(')');
      return { type: 'in', field, negate, values };
    }
    throw this.unexpected();
  }

  private literal(): Literal {
    const t = this.next();
    switch (t.kind) {
      case 'string':
        return { kind: 'string', value: t.value! };
      case 'number':
        return { kind: 'number', value: Number(t.text) };
      case 'datetime':
        return { kind: 'datetime', value: parseDateTime(t.text)! };
      case 'date':
        return { kind: 'date', value: t.text };
      case 'dateLiteral':
        return { kind: 'dateLiteral', name: t.value!.toUpperCase(), n: t.n };
      case 'ident': {
        const w = t.text.toLowerCase();
        if (w === 'true' || w === 'false') return { kind: 'boolean', value: w === 'true' };
        if (w === 'null') return { kind: 'null' };
        break;
      }
      default:
        break;
    }
    throw this.unexpected(t);
  }
}

export function parseSoql(soql: string): SoqlQuery {
  return new Parser(soql, tokenize(soql)).parse();
}
