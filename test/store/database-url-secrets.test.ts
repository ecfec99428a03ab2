import { describe, expect, it } from 'vitest';
import { StoreConnectionError } from '../../src/store/errors.js';
import { parseDatabaseUrl, scrub } from '../../src/store/database-url.js';
import { openStore } from '../../src/store/store.js';

// A password may sit in the query string (pg reads ?password= over the userinfo one): it must be
// masked in DATABASE_URL as shown and scrubbed from the driver's messages like the userinfo one.
describe('secrets in the DATABASE_URL query string', () => {
  it('masks ?password=, ?sslpassword= and ?passphrase= and keeps the rest of the query as written', () => {
    const target = parseDatabaseUrl(
      'postgres://leadlift@db.example:5432/crm?sslmode=require&password=Qu3ry-Secret%2Bpw&sslpassword=Key-Pass+phrase&Passphrase=Tls-Pass&application_name=a%20b',
    );
    expect(target.masked).toBe(
      'postgres://leadlift@db.example:5432/crm?sslmode=require&password=****&sslpassword=****&Passphrase=****&application_name=a%20b',
    );
    const driverMessage = 'auth failed for Qu3ry-Secret%2Bpw / Qu3ry-Secret+pw, key Key-Pass phrase / Key-Pass+phrase, tls Tls-Pass';
    const scrubbed = scrub(driverMessage, target);
    for (const secret of ['Qu3ry-Secret', 'Key-Pass', 'Tls-Pass']) expect(scrubbed).not.toContain(secret);
  });

  it('masks both a userinfo and a query password', () => {
    const target = parseDatabaseUrl('postgresql://u:User-Secret@h/d?password=Query-Secret');
    expect(target.masked).toBe('postgresql://u:****@h/d?password=****');
    expect(target.secrets).toEqual(expect.arrayContaining(['User-Secret', 'Query-Secret']));
  });

  it('leaves a URL without secrets as it was', () => {
    expect(parseDatabaseUrl('postgres://u@h:5433/d?sslmode=disable').masked).toBe('postgres://u@h:5433/d?sslmode=disable');
  });

  const pgUrl = process.env.LEADLIFT_TEST_DATABASE_URL;
  it.skipIf(!pgUrl)('masks a wrong ?password= that PostgreSQL rejects', async () => {
    const url = new URL(pgUrl!);
    url.password = '';
    url.searchParams.set('password', 'SuperSecretPw99');
    const err = await openStore({ databaseUrl: url.toString() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreConnectionError);
    const message = (err as Error).message;
    // pg did use it: a URL without any password gets another error (see below).
    expect(message).toMatch(/password authentication failed/);
    expect(message).toContain('?password=****');
    expect(message).not.toContain('SuperSecretPw99');
    expect(JSON.stringify(err)).not.toContain('SuperSecretPw99');
  });

  it.skipIf(!pgUrl)('says the password is missing when a SCRAM server asks for one the URL lacks', async () => {
    const url = new URL(pgUrl!);
    url.password = '';
    const started = Date.now();
    const err = await openStore({ databaseUrl: url.toString() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreConnectionError);
    expect((err as Error).message).toMatch(/the server asks for a password and DATABASE_URL has none/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
