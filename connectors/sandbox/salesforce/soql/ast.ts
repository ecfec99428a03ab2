/** The parsed form of a SOQL query in the sandbox's subset. */

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'datetime'; value: number }
  | { kind: 'date'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

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

export interface SoqlQuery {
  /** Selected fields; empty when the query is SELECT COUNT(). */
  fields: FieldRef[];
  count: boolean;
  from: FieldRef;
  where: Condition | null;
  orderBy: OrderItem[];
  limit: number | null;
  offset: number | null;
}
