import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { unexpectedFailureText } from '../../src/cli/unexpected-failure.js';

describe("an unexpected failure's printed text", () => {
  it('keeps the stack but not the passwords and tokens set in the environment', () => {
    const env = { DATABASE_URL: 'postgres://leadlift:db-pass-1234@db.example:5432/leadlift', HUBSPOT_ACCESS_TOKEN: 'pat-na1-aaaa-bbbb', PATH: '/usr/bin' };
    // A driver's error that quotes what it was handed: here pg's, for a connection string where a host was expected.
    const err = new pg.DatabaseError(`could not connect with password db-pass-1234 (token pat-na1-aaaa-bbbb), via http://proxy-user:proxy-pw@proxy.example/`, 0, 'error');
    const text = unexpectedFailureText(err, env);
    expect(text).toMatch(/^error: could not connect with password \[redacted\] \(token \[redacted\]\), via http:\/\/\*\*\*\*@proxy\.example\/\n\s+at /);
    expect(text).toContain('unexpected-failure.test.ts');
    for (const secret of ['db-pass-1234', 'pat-na1-aaaa-bbbb', 'proxy-pw']) expect(text).not.toContain(secret);
  });

  it('says a thrown value that is no Error, scrubbed too', () => {
    expect(unexpectedFailureText('bad key abc-secret-key', { LEADLIFT_SECRET_KEY: 'abc-secret-key' })).toBe('bad key [redacted]');
  });
});
