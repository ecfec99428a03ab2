import type { FieldDef } from './fields.js';

/**
 * Whether SOQL may sort or filter on a field: describe's `sortable` and `filterable`, and what
 * the query compiler enforces, from one place so the two never disagree. A textarea of up to 255
 * characters (Lead.Street, a custom TextArea) sorts and filters like text; a long text area (over
 * 255: every Description, a custom LongTextArea) does neither. History OldValue / NewValue
 * (anyType) sort but never filter; a compound address and the Tooling API's JSON Metadata do
 * neither.
 */

const LONG_TEXT_AREA_FROM = 256;

export const isLongTextArea = (f: FieldDef): boolean => f.type === 'textarea' && (f.length ?? 0) >= LONG_TEXT_AREA_FROM;

export const isSortable = (f: FieldDef): boolean => !isLongTextArea(f) && f.type !== 'complexvalue' && f.type !== 'address';

export const isFilterable = (f: FieldDef): boolean => isSortable(f) && f.type !== 'anyType';
