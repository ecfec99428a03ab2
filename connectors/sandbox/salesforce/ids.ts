/**
 * Salesforce record ids: a 3-character key prefix per object, then a serial, 15 characters in
 * all, plus the 3-character case-safe suffix Salesforce appends to make the 18-character form.
 * The suffix algorithm is Salesforce's own, so ids look and behave like real ones (a 15-character
 * id given by a client resolves to the same record).
 */

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Fixed "pod" characters after the prefix, as in a real org (e.g. 00Q8d00000...). */
const POD = '8d0000';

export const ORG_ID = toEighteen('00D8d00000LEADL');
export const USER_ID = toEighteen('0058d00000LEADL');

export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) flags |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[flags];
  }
  return suffix;
}

export function toEighteen(id: string): string {
  if (id.length === 18) return id.slice(0, 15) + caseSafeSuffix(id.slice(0, 15));
  return id + caseSafeSuffix(id);
}

/** A 15- or 18-character id in its canonical 18-character form, or null if it is not one. */
export function normalizeId(id: string): string | null {
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id)) return null;
  const id15 = id.slice(0, 15);
  const canonical = id15 + caseSafeSuffix(id15);
  // An 18-character id is accepted with its suffix in any case, as Salesforce does.
  if (id.length === 18 && id.slice(15).toUpperCase() !== canonical.slice(15)) return null;
  return canonical;
}

export function makeId(prefix: string, serial: number): string {
  let body = '';
  let n = serial;
  for (let i = 0; i < 6; i++) {
    body = BASE62[n % 62] + body;
    n = Math.floor(n / 62);
  }
  return toEighteen(prefix + POD + body);
}

export const KEY_PREFIX = {
  Lead: '00Q',
  Contact: '003',
  Account: '001',
  Opportunity: '006',
  User: '005',
  CustomField: '00N',
  PermissionSet: '0PS',
  FieldPermissions: '01k',
  PermissionSetAssignment: '0Pa',
  /** Every <Object>History entity shares this prefix in Salesforce. */
  LeadHistory: '017',
  IngestJob: '750',
  QueryLocator: '01g',
} as const;
