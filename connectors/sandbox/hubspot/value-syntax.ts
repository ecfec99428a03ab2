/**
 * Spellings HubSpot refuses in non-string property values that JavaScript's Number() would take.
 *
 * Whitespace: since HubSpot's "Enhanced Validations for Non-String Properties" breaking change
 * (developer changelog, 2025), a number, bool, date, datetime or enumeration value that begins or
 * ends with whitespace, invisible characters such as a no-break space included, is a 400 with error
 * LEADING_TRAILING_WHITESPACE instead of being trimmed.
 *
 * Numbers: plain decimals only. HubSpot answered "1.4210854715202004e-14 was not a valid number."
 * (error INVALID_INTEGER) for a deal amount; hex ("0x1F"), binary, octal and Infinity, which no
 * decimal parser takes, are refused the same way.
 */
const EDGE_SPACE = /^[\s\u200B-\u200D\u2060]|[\s\u200B-\u200D\u2060]$/;
const PLAIN_DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

export const hasEdgeWhitespace = (value: string): boolean => EDGE_SPACE.test(value);

export const isPlainDecimal = (value: string): boolean => PLAIN_DECIMAL.test(value);

/** HubSpot's words: "\"<value>\" includes leading or trailing whitespace." */
export const edgeWhitespaceMessage = (value: string): string => `"${value}" includes leading or trailing whitespace.`;
