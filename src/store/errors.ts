import { LeadliftError } from '../domain/errors.js';

/** The database could not be opened, reached or migrated. The message never holds a password. */
export class StoreConnectionError extends LeadliftError {}

/** An OAuth token could not be encrypted or decrypted (missing, malformed or different key). */
export class TokenKeyError extends LeadliftError {}
