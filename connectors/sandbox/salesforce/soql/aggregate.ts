import { malformedQuery } from '../errors.js';
import { isNumberType, isTextType, type FieldDef } from '../schema/fields.js';
import type { SfRecord } from '../state.js';
import { outputValue } from '../values.js';
import type { FieldRef, OrderItem, SoqlQuery } from './ast.js';
import type { AggregateColumn, Aggregation } from './compile.js';

/**
 * GROUP BY and aggregate functions. Salesforce's rules: a selected field must be grouped or
 * aggregated, SUM and AVG take numbers, ORDER BY names grouped fields; rows are AggregateResult
 * records whose unaliased aggregates are named expr0, expr1, ... in select-list order.
 */

const UNGROUPABLE = new Set(['textarea', 'complexvalue', 'anyType', 'address']);

export function compileAggregation(q: SoqlQuery, resolve: (ref: FieldRef) => FieldDef): Aggregation {
  const groupBy = q.groupBy.map((ref) => {
    const field = resolve(ref);
    if (UNGROUPABLE.has(field.type)) throw malformedQuery(`field '${field.name}' can not be grouped in a query call`);
    return field;
  });
  const grouped = new Set(groupBy.map((f) => f.name));
  const columns: AggregateColumn[] = [];
  let unnamed = 0;
  for (const item of q.select) {
    if (item.kind === 'fields') throw malformedQuery('FIELDS() can not be used in a query with GROUP BY or aggregate functions');
    const field = resolve(item.field);
    if (item.kind === 'field') {
      if (!grouped.has(field.name)) throw malformedQuery(`Field must be grouped or aggregated: ${field.name}`);
      columns.push({ name: field.name, kind: 'group', field });
      continue;
    }
    const numeric = item.fn === 'SUM' || item.fn === 'AVG';
    if ((numeric && !isNumberType(field.type)) || (!item.fn.startsWith('COUNT') && field.type === 'boolean') || UNGROUPABLE.has(field.type)) {
      throw malformedQuery(`field ${field.name} does not support aggregate operator ${item.fn}`);
    }
    columns.push({ name: item.alias ?? `expr${unnamed++}`, kind: 'aggregate', fn: item.fn, field });
  }
  return { groupBy, columns };
}

/** ORDER BY in an aggregate query may only name grouped fields here. */
export function checkAggregateOrder(orderBy: OrderItem[], aggregation: Aggregation, resolve: (ref: FieldRef) => FieldDef): void {
  const grouped = new Set(aggregation.groupBy.map((f) => f.name));
  for (const item of orderBy) {
    const field = resolve(item.field);
    if (!grouped.has(field.name)) throw malformedQuery(`Ordered field must be grouped or aggregated: ${field.name}`);
  }
}

/** Text groups and distinct counts ignore case, as Salesforce compares text. */
const keyOf = (field: FieldDef, value: unknown) => (value === undefined || value === null ? null : isTextType(field.type) ? String(value).toLowerCase() : value);

function aggregateValue(column: Extract<AggregateColumn, { kind: 'aggregate' }>, records: SfRecord[]): unknown {
  const { field } = column;
  const values = records.map((r) => r[field.name]).filter((v) => v !== undefined && v !== null);
  switch (column.fn) {
    case 'COUNT':
      return values.length;
    case 'COUNT_DISTINCT':
      return new Set(values.map((v) => keyOf(field, v))).size;
    case 'SUM':
      return values.length === 0 ? null : values.reduce((sum: number, v) => sum + Number(v), 0);
    case 'AVG':
      return values.length === 0 ? null : values.reduce((sum: number, v) => sum + Number(v), 0) / values.length;
    case 'MIN':
    case 'MAX': {
      if (values.length === 0) return null;
      const sign = column.fn === 'MIN' ? -1 : 1;
      let best = values[0];
      for (const v of values) {
        const a = keyOf(field, v) as number | string;
        const b = keyOf(field, best) as number | string;
        if ((a > b ? 1 : a < b ? -1 : 0) * sign > 0) best = v;
      }
      return outputValue(field, best);
    }
  }
}

/** One AggregateResult per group, groups in the order their first record comes (the sorted order). */
export function aggregateRows(aggregation: Aggregation, records: SfRecord[]): Array<Record<string, unknown>> {
  const groups = new Map<string, SfRecord[]>();
  if (aggregation.groupBy.length === 0) groups.set('', records);
  for (const r of aggregation.groupBy.length === 0 ? [] : records) {
    const key = JSON.stringify(aggregation.groupBy.map((f) => keyOf(f, r[f.name])));
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()].map((group) => {
    const row: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
    for (const column of aggregation.columns) {
      row[column.name] = column.kind === 'group' ? outputValue(column.field, group[0]?.[column.field.name]) : aggregateValue(column, group);
    }
    return row;
  });
}
