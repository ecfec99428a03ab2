/** The parsed form of a SOQL query in the sandbox's subset. */

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'datetime'; value: number }
  | { kind: 'date'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  /** TODAY, LAST_N_DAYS:30, ...: a range of time relative to now (date-literals.ts). */
  | { kind: 'dateLiteral'; name: string; n?: number };

export interface FieldRef {
  name: string;
  pos: number;
}

export type Condition =
  | { type: 'and' | 'or'; items: Condition[] }
  | { type: 'not'; item: Condition }
  | { type: 'cmp'; field: FieldRef; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: Literal }
  | { type: 'in'; field: FieldRef; negate: boolean; values: Literal[] }
  | { type: 'like'; field: FieldRef; pattern: string };

export interface OrderItem {
  field: FieldRef;
  desc: boolean;
  nullsLast: boolean;
}

export type AggregateFunction = 'COUNT' | 'COUNT_DISTINCT' | 'MIN' | 'MAX' | 'SUM' | 'AVG';

export type SelectItem =
  | { kind: 'field'; field: FieldRef }
  /** COUNT(Id), MAX(CreatedDate) total, ...; unaliased ones are named expr0, expr1, ... */
  | { kind: 'aggregate'; fn: AggregateFunction; field: FieldRef; alias: string | null; pos: number }
  | { kind: 'fields'; which: 'ALL' | 'STANDARD' | 'CUSTOM'; pos: number };

export interface SoqlQuery {
  /** The select list; empty when the query is SELECT COUNT(). */
  select: SelectItem[];
  count: boolean;
  from: FieldRef;
  where: Condition | null;
  groupBy: FieldRef[];
  orderBy: OrderItem[];
  limit: number | null;
  offset: number | null;
}
