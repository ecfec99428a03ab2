import { SalesforceApiError, malformedQuery } from '../errors.js';
import { normalizeId } from '../ids.js';
import { isNumberType, isTextType, type FieldDef, type ObjectDef } from '../schema/fields.js';
import { isFilterable, isSortable } from '../schema/query-flags.js';
import type { SfRecord } from '../state.js';
import type { AggregateFunction, Condition, FieldRef, Literal, OrderItem, SoqlQuery } from './ast.js';
import { checkAggregateOrder, compileAggregation } from './aggregate.js';
import { dateLiteralRange } from './date-literals.js';
import { quoteFault } from './lexer.js';

/**
 * Turns a parsed query into plain functions over stored records: a predicate for WHERE and a
 * comparator for ORDER BY, after checking every field exists and every literal fits its field's
 * type (Salesforce rejects '2024-01-01' in quotes against a datetime, 5 against a text field...).
 */

export interface CompiledQuery {
  object: ObjectDef;
  /** Selected fields, canonical names, in the order asked. */
  fields: FieldDef[];
  count: boolean;
  predicate: (r: SfRecord) => boolean;
  /** Sorts matched records in place (stable: ties keep creation order). */
  sort: (records: SfRecord[]) => SfRecord[];
  limit: number | null;
  offset: number;
  /** True when the WHERE clause itself mentions IsDeleted (queryAll semantics stay explicit). */
  filtersDeleted: boolean;
  /** Set for GROUP BY or aggregate queries: rows are groups, not records. */
  aggregate: Aggregation | null;
}

export type AggregateColumn =
  | { name: string; kind: 'group'; field: FieldDef }
  | { name: string; kind: 'aggregate'; fn: AggregateFunction; field: FieldDef };

export interface Aggregation {
  groupBy: FieldDef[];
  /** The select list in order, named as Salesforce names AggregateResult fields. */
  columns: AggregateColumn[];
}

type Value = string | number | boolean | null;

function resolveField(soql: string, object: ObjectDef, ref: FieldRef): FieldDef {
  if (ref.name.includes('.')) {
    throw new SalesforceApiError(400, 'INVALID_FIELD', `${quoteFault(soql, ref.pos)}\nDidn't understand relationship '${ref.name.split('.')[0]}' in field path. The sandbox supports fields of the queried object only.`);
  }
  const field = object.byName.get(ref.name.toLowerCase());
  if (!field) {
    throw new SalesforceApiError(
      400,
      'INVALID_FIELD',
      `${quoteFault(soql, ref.pos)}\nNo such column '${ref.name}' on entity '${object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  return field;
}

/**
 * A field in WHERE that describe calls unfilterable is refused as a real org refuses it:
 * INVALID_FIELD, the query quoted with a caret under the field.
 */
function filterableField(soql: string, object: ObjectDef, ref: FieldRef): FieldDef {
  const field = resolveField(soql, object, ref);
  if (!isFilterable(field)) {
    throw new SalesforceApiError(400, 'INVALID_FIELD', `${quoteFault(soql, ref.pos)}\nfield '${field.name}' can not be filtered in a query call`);
  }
  return field;
}

function wrongType(field: FieldDef, expected: string, quoted: boolean): Error {
  return malformedQuery(
    `value of filter criterion for field '${field.name}' must be of type ${expected} and ${quoted ? 'should be enclosed in quotes' : 'should not be enclosed in quotes'}`,
  );
}

/** The literal as a comparable value of the field's stored kind (text lower-cased). */
function literalValue(field: FieldDef, lit: Literal): Value {
  if (lit.kind === 'null') return null;
  const t = field.type;
  if (isTextType(t)) {
    if (lit.kind !== 'string') throw wrongType(field, t === 'id' || t === 'reference' ? 'id' : 'string', true);
    if (t === 'id' || t === 'reference') return (normalizeId(lit.value) ?? lit.value).toLowerCase();
    return lit.value.toLowerCase();
  }
  if (isNumberType(t)) {
    if (lit.kind !== 'number') throw wrongType(field, 'double', false);
    return lit.value;
  }
  if (t === 'boolean') {
    if (lit.kind !== 'boolean') throw wrongType(field, 'boolean', false);
    return lit.value;
  }
  if (t === 'datetime') {
    if (lit.kind !== 'datetime') throw wrongType(field, 'dateTime', false);
    return lit.value;
  }
  if (t === 'date') {
    if (lit.kind !== 'date') throw wrongType(field, 'date', false);
    return lit.value;
  }
  throw malformedQuery(`field '${field.name}' can not be filtered in a query call`);
}

function getter(field: FieldDef): (r: SfRecord) => Value {
  const name = field.name;
  if (isTextType(field.type)) {
    return (r) => {
      const v = r[name];
      return v === null || v === undefined ? null : String(v).toLowerCase();
    };
  }
  return (r) => {
    const v = r[name];
    return v === undefined ? null : (v as Value);
  };
}

function likeMatcher(pattern: string): (s: string) => boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      source += `\\${pattern[++i]}`;
    } else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const re = new RegExp(`^${source}$`, 'is');
  return (s) => re.test(s);
}

type Range = { start: number | string; end: number | string };

const isDateField = (field: FieldDef) => field.type === 'date' || field.type === 'datetime';

/** A literal as a half-open range of the field's stored values: ms for datetimes, YYYY-MM-DD for dates. */
function literalRange(field: FieldDef, lit: Literal, now: number): Range {
  if (lit.kind !== 'dateLiteral') {
    const value = literalValue(field, lit) as number | string | null;
    if (value === null) throw malformedQuery(`invalid null in a list of date literals for field '${field.name}'`);
    return { start: value, end: typeof value === 'number' ? value + 1 : `${value}\u0000` };
  }
  const { start, end } = dateLiteralRange(lit.name, lit.n, now);
  if (field.type === 'datetime') return { start, end };
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { start: day(start), end: day(end) };
}

/** = means within the range, < before it, > after it, as Salesforce compares a date literal. */
function compareWithRange(get: (r: SfRecord) => Value, op: string, range: Range): (r: SfRecord) => boolean {
  const { start, end } = range;
  const test: Record<string, (v: number | string) => boolean> = {
    '=': (v) => v >= start && v < end,
    '!=': (v) => v < start || v >= end,
    '<': (v) => v < start,
    '<=': (v) => v < end,
    '>': (v) => v >= end,
    '>=': (v) => v >= start,
  };
  const check = test[op];
  if (op === '!=') return (r) => { const v = get(r) as number | string | null; return v === null || check(v); };
  return (r) => { const v = get(r) as number | string | null; return v !== null && check(v); };
}

function compileCondition(soql: string, object: ObjectDef, c: Condition, touched: Set<string>, now: number): (r: SfRecord) => boolean {
  switch (c.type) {
    case 'and': {
      const parts = c.items.map((i) => compileCondition(soql, object, i, touched, now));
      return (r) => parts.every((p) => p(r));
    }
    case 'or': {
      const parts = c.items.map((i) => compileCondition(soql, object, i, touched, now));
      return (r) => parts.some((p) => p(r));
    }
    case 'not': {
      const inner = compileCondition(soql, object, c.item, touched, now);
      return (r) => !inner(r);
    }
    case 'like': {
      const field = filterableField(soql, object, c.field);
      touched.add(field.name);
      if (!isTextType(field.type)) throw malformedQuery(`invalid operator on ${field.type} field: LIKE on ${field.name}`);
      const get = getter(field);
      const match = likeMatcher(c.pattern);
      return (r) => {
        const v = get(r);
        return v !== null && match(v as string);
      };
    }
    case 'in': {
      const field = filterableField(soql, object, c.field);
      touched.add(field.name);
      const get = getter(field);
      if (isDateField(field) && c.values.some((l) => l.kind === 'dateLiteral')) {
        const ranges = c.values.map((l) => literalRange(field, l, now));
        const within = (r: SfRecord) => {
          const v = get(r);
          return v !== null && ranges.some((range) => (v as number | string) >= range.start && (v as number | string) < range.end);
        };
        return c.negate ? (r) => !within(r) : within;
      }
      const set = new Set(c.values.map((l) => literalValue(field, l)));
      return c.negate ? (r) => !set.has(get(r)) : (r) => set.has(get(r));
    }
    case 'cmp': {
      const field = filterableField(soql, object, c.field);
      touched.add(field.name);
      const get = getter(field);
      if (isDateField(field) && c.value.kind === 'dateLiteral') return compareWithRange(get, c.op, literalRange(field, c.value, now));
      const lit = literalValue(field, c.value);
      if (lit === null) {
        if (c.op === '=') return (r) => get(r) === null;
        if (c.op === '!=') return (r) => get(r) !== null;
        throw malformedQuery(`invalid operator on null: ${c.op}`);
      }
      if (field.type === 'boolean' && c.op !== '=' && c.op !== '!=') {
        throw malformedQuery(`invalid operator on boolean field: ${c.op}`);
      }
      switch (c.op) {
        case '=':
          return (r) => get(r) === lit;
        case '!=':
          return (r) => get(r) !== lit;
        case '<':
          return (r) => { const v = get(r); return v !== null && v < lit; };
        case '<=':
          return (r) => { const v = get(r); return v !== null && v <= lit; };
        case '>':
          return (r) => { const v = get(r); return v !== null && v > lit; };
        case '>=':
          return (r) => { const v = get(r); return v !== null && v >= lit; };
      }
    }
  }
}

function compileSort(soql: string, object: ObjectDef, items: OrderItem[]): CompiledQuery['sort'] {
  if (items.length === 0) return (records) => records;
  const keys = items.map((item) => {
    const field = resolveField(soql, object, item.field);
    // Salesforce answers an unsortable field (sortable false in describe) with MALFORMED_QUERY,
    // where an unfilterable one in WHERE is INVALID_FIELD.
    if (!isSortable(field)) throw malformedQuery(`${quoteFault(soql, item.field.pos)}\nfield '${field.name}' can not be sorted in a query call`);
    return { get: getter(field), desc: item.desc, nullsLast: item.nullsLast };
  });
  return (records) => {
    // Decorate once so each comparison reads precomputed keys (40,000 records sort in ~50 ms).
    const decorated = records.map((r, i) => ({ r, i, k: keys.map((key) => key.get(r)) }));
    decorated.sort((a, b) => {
      for (let j = 0; j < keys.length; j++) {
        const x = a.k[j];
        const y = b.k[j];
        if (x === y) continue;
        if (x === null) return keys[j].nullsLast ? 1 : -1;
        if (y === null) return keys[j].nullsLast ? -1 : 1;
        const cmp = x < y ? -1 : 1;
        return keys[j].desc ? -cmp : cmp;
      }
      return a.i - b.i;
    });
    return decorated.map((d) => d.r);
  };
}

/** The select list's fields, FIELDS(ALL|STANDARD|CUSTOM) expanded (ALL and CUSTOM need LIMIT 200 or less, as in Salesforce). */
function selectedFields(soql: string, q: SoqlQuery, object: ObjectDef): FieldDef[] {
  const fields: FieldDef[] = [];
  const seen = new Set<string>();
  const add = (field: FieldDef) => {
    if (seen.has(field.name)) throw malformedQuery(`duplicate field selected: ${field.name}`);
    seen.add(field.name);
    fields.push(field);
  };
  for (const item of q.select) {
    if (item.kind === 'field') add(resolveField(soql, object, item.field));
    else if (item.kind === 'fields') {
      if (item.which !== 'STANDARD' && (q.limit === null || q.limit > 200)) {
        throw malformedQuery(`${quoteFault(soql, item.pos)}\nThe SOQL FIELDS function must have a LIMIT of at most 200`);
      }
      for (const field of object.fields) {
        if (item.which === 'ALL' || field.custom === (item.which === 'CUSTOM')) add(field);
      }
    }
  }
  return fields;
}

export function compileQuery(soql: string, q: SoqlQuery, object: ObjectDef, now: number): CompiledQuery {
  const resolve = (ref: FieldRef) => resolveField(soql, object, ref);
  const aggregated = q.groupBy.length > 0 || q.select.some((item) => item.kind === 'aggregate');
  const aggregate = aggregated ? compileAggregation(q, resolve) : null;
  if (aggregate) checkAggregateOrder(q.orderBy, aggregate, resolve);
  const fields = aggregate ? [] : selectedFields(soql, q, object);
  const touched = new Set<string>();
  const predicate = q.where ? compileCondition(soql, object, q.where, touched, now) : () => true;
  if (q.offset !== null && q.offset > 2000) {
    throw new SalesforceApiError(400, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is 2000`);
  }
  return {
    object,
    fields,
    count: q.count,
    predicate,
    sort: compileSort(soql, object, q.orderBy),
    limit: q.limit,
    offset: q.offset ?? 0,
    filtersDeleted: touched.has('IsDeleted'),
    aggregate,
  };
}
