import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Connector } from '../../connectors/types.js';
import { scrubbedFailure, unexpectedFailureText } from '../../src/cli/unexpected-failure.js';
import { LeadliftError } from '../../src/domain/errors.js';
import { openStore } from '../../src/store/store.js';

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

  it("a command's failure is scrubbed of what only its connections know, such as a token refreshed mid-run", async () => {
    const home = mkdtempSync(join(tmpdir(), 'leadlift-scrub-'));
    const store = await openStore({ home, databaseUrl: '' });
    try {
      // What a connector holds after refreshing its OAuth token: in no environment variable.
      const connector = { crm: 'hubspot', secrets: () => ['refreshed-access-token-9f8e'] } as unknown as Connector;
      const err = new TypeError('cannot read body of request with Authorization: Bearer refreshed-access-token-9f8e');
      const out = scrubbedFailure(err, { connectors: [connector], store }) as Error;
      expect(out.message).toBe('cannot read body of request with Authorization: Bearer [redacted]');
      expect(out.stack).not.toContain('refreshed-access-token-9f8e');
      expect(out.stack).toContain('unexpected-failure.test.ts');
      // leadlift's own errors are worded for the admin and kept as they are.
      const own = new LeadliftError('HubSpot refused the token: reconnect it on the install page.');
      expect(scrubbedFailure(own, { connectors: [connector], store })).toBe(own);
      expect(own.message).toBe('HubSpot refused the token: reconnect it on the install page.');
    } finally {
      await store.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
