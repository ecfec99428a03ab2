import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser';

/** What an admin reads for each of the parser's error codes, by name (the codes are a const enum). */
const WORDS: Record<string, string> = {
  InvalidSymbol: 'a character JSON does not allow here (a word without quotes?)',
  InvalidNumberFormat: 'a number JSON cannot read',
  PropertyNameExpected: 'a key in double quotes was expected (a comma after the last entry?)',
  ValueExpected: 'a value was expected (a comma after the last entry?)',
  ColonExpected: 'a ":" was expected after the key',
  CommaExpected: 'a "," was expected between entries',
  CloseBraceExpected: 'a "}" was expected (an object is not closed)',
  CloseBracketExpected: 'a "]" was expected (a list is not closed)',
  EndOfFileExpected: 'the file should end here (text after the closing brace?)',
  InvalidCommentToken: 'a comment, which JSON does not allow',
  UnexpectedEndOfComment: 'a comment, which JSON does not allow',
  UnexpectedEndOfString: 'a string that is not closed (a missing ")',
  UnexpectedEndOfNumber: 'a number that ends too early',
  InvalidUnicode: 'an invalid \\u escape',
  InvalidEscapeCharacter: 'an invalid \\ escape in a string',
  InvalidCharacter: 'a control character (such as a tab or line break) inside a string',
};

/**
 * Where a text that JSON.parse refused goes wrong, as "line L, column C: what", for a person fixing
 * the file by hand. JSON.parse's own message carries no line and quotes the text around the fault
 * with its line breaks; jsonc-parser's strict mode (no comments, no trailing commas) finds the
 * first fault's offset. Null when it finds none (then the caller falls back to JSON.parse's message).
 */
export function jsonSyntaxError(text: string): string | null {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return null;
  if (text.trim() === '') return 'the file is empty';
  const before = text.slice(0, first.offset).split(/\r\n|\r|\n/);
  const line = before.length;
  const column = before[before.length - 1].length + 1;
  return `line ${line}, column ${column}: ${WORDS[printParseErrorCode(first.error)] ?? 'JSON cannot read what is there'}`;
}

/**
 * Whether the text stops before its JSON does: an object or list still open at the very end. A
 * file that is written whole by a program (a saved model) and reads so was cut short on the way
 * (a copy or download that did not finish, a full disk), not edited wrongly.
 */
export function jsonCutShort(text: string): boolean {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const end = text.trimEnd().length;
  return errors.some((e) => e.offset >= end && ['CloseBraceExpected', 'CloseBracketExpected'].includes(printParseErrorCode(e.error)));
}
