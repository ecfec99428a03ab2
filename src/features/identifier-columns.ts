/**
 * Columns that name a lead instead of describing it, told by their header. Personal
 * identifiers (names, e-mail, phone, street) say nothing about buying intent but stand in for
 * gender and origin, and a model fits their noise ("+5 First name is Dan" shown to a rep); the
 * loop's config keeps the CRMs' own such fields out (loop.neverInputs), and this list catches
 * them in any export, in any spelling ("First Name", "first_name", "FirstName", "Email__c").
 * test/features/identifier-columns.test.ts checks it covers every personal field of those lists.
 */

/** The kind a phone-like header names; such a column is only one when its values are phone numbers (see looksLikePhoneNumber). */
export const PHONE_NUMBER = 'a phone number';

/** What a personal identifier is, by the header's last words (so "Work Email" and "Billing Street" count too). */
const PERSONAL_ENDINGS: Array<{ what: string; endings: string[] }> = [
  { what: 'an e-mail address', endings: ['email', 'emailaddress'] },
  {
    what: PHONE_NUMBER,
    endings: ['phone', 'phonenumber', 'telephone', 'telephonenumber', 'mobile', 'mobilephone', 'mobilenumber', 'cellphone', 'fax', 'faxnumber'],
  },
  { what: 'a street address', endings: ['street', 'streetaddress', 'address', 'address1', 'address2', 'addressline1', 'addressline2'] },
  { what: 'an IP address', endings: ['ipaddress'] },
];

/** Whole headers only: "Company Name" or "Campaign Name" describe a lead's context, not the person. */
const PERSONAL_NAMES = new Set([
  'name', 'firstname', 'lastname', 'fullname', 'middlename', 'surname', 'givenname', 'familyname', 'forename',
  'nickname', 'contactname', 'leadname', 'personname', 'salutation', 'suffix',
]);

/** Whole headers that name a record; "Campaign ID" is a kind of lead and stays. */
const RECORD_ID_HEADERS = new Set([
  'id', 'recordid', 'leadid', 'contactid', 'objectid', 'hsobjectid', 'customerid', 'personid', 'prospectid',
  'rowid', 'crmid', 'externalid', 'hubspotid', 'salesforceid', 'uuid', 'guid',
]);

/** "First Name", "first_name", "FirstName", "Email__c" -> ["first", "name"], ..., ["email"]. */
export function headerWords(header: string): string[] {
  return header
    .replace(/__c$/i, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** What kind of personal identifier the header names ("a person's name", "an e-mail address", …), or null. */
export function personalIdentifierKind(header: string): string | null {
  const words = headerWords(header);
  if (PERSONAL_NAMES.has(words.join(''))) return "a person's name";
  // Longest ending first: "Email Address" is an e-mail address, not a street.
  for (let k = Math.min(3, words.length); k >= 1; k--) {
    const ending = words.slice(-k).join('');
    const found = PERSONAL_ENDINGS.find((p) => p.endings.includes(ending));
    if (found) return found.what;
  }
  return null;
}

/** True for headers such as "id", "Record ID", "Lead ID", "hs_object_id". */
export function isRecordIdHeader(header: string): boolean {
  return RECORD_ID_HEADERS.has(headerWords(header).join(''));
}

/** Digits and the marks people write phone numbers with, an optional extension at the end. */
const PHONE_TEXT = /^\+?[\d\s().\-/]+$/;
const EXTENSION = /\s*(?:x|ext\.?|extension)\s*\d+$/i;

/**
 * "+351 912 345 678", "(555) 123-4567 x12", "5551234567": 7 to 15 digits (E.164's most) in the
 * marks phone numbers are written with. "cellular", "yes" or "landline" are not: a column of
 * those under a "Phone"/"Mobile" header is a category of lead (the bank data's contact type).
 */
export function looksLikePhoneNumber(text: string): boolean {
  const body = text.trim().replace(EXTENSION, '');
  if (!PHONE_TEXT.test(body)) return false;
  const digits = body.replace(/\D/g, '').length;
  return digits >= 7 && digits <= 15;
}
