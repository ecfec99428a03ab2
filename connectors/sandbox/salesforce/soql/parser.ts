import { malformedQuery } from '../errors.js';
import { parseDateTime } from '../values.js';
import type { Condition, FieldRef, Literal, OrderItem, SoqlQuery } from './ast.js';
import { at, tokenize, type Token } from './lexer.js';

/**
 * A recursive-descent parser for the SOQL the app sends: field lists (or COUNT()), one FROM
 * object, WHERE with comparisons, LIKE, [NOT] IN, AND/OR/NOT and parentheses, ORDER BY with
 * ASC/DESC and NULLS FIRST/LAST, LIMIT and OFFSET. Anything else is MALFORMED_QUERY, worded
 * like Salesforce's own errors.
 */

const RESERVED = new Set([
  'select', 'from', 'where', 'and', 'or', 'not', 'in', 'like', 'order', 'by', 'asc', 'desc',
  'nulls', 'first', 'last', 'limit', 'offset', 'true', 'false', 'null', 'group', 'having',
  'with', 'for', 'using', 'includes', 'excludes',
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
    return malformedQuery(`${this.soql}\n${at(this.soql, t.pos)}\nunexpected token: '${shown}'`);
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

  parse(): SoqlQuery {
    this.expectKeyword('select');
    const fields: FieldRef[] = [];
    let count = false;
    if (this.isKeyword('count') && this.peek(1).kind === '(') {
      this.i += 2;
      this.expect(')');
      count = true;
    } else {
      do {
        if (this.peek().kind === '(' ) throw malformedQuery(`${this.soql}\n${at(this.soql, this.peek().pos)}\nsubqueries are not supported by the sandbox`);
        if (this.peek(1).kind === '(') throw this.unexpected(this.peek(1));
        fields.push(this.fieldRef());
      } while (this.peek().kind === ',' && this.next());
    }
    this.expectKeyword('from');
    const from = this.fieldRef();
    let where: Condition | null = null;
    if (this.isKeyword('where')) {
      this.i++;
      where = this.condition();
    }
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
    if (this.peek().kind !== 'eof') throw this.unexpected();
    return { fields, count, from, where, orderBy, limit, offset };
  }

  private nonNegativeInteger(): number {
    const t = this.expect('number');
    if (!/^\d+$/.test(t.text)) throw this.unexpected(t);
    return Number(t.text);
  }

  private orderItem(): OrderItem {
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
        throw malformedQuery(`${this.soql}\n${at(this.soql, t.pos)}\nunexpected token: '${t.text}'`);
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
