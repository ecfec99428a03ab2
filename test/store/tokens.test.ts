import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/domain/errors.js';
import { TokenKeyError } from '../../src/store/errors.js';
import { backends, useStore } from './backends.js';

const TOKEN = 'pat-na1-0f9e8d7c-t0ken-value';
const REFRESH = 'refresh-t0ken-5b4a';

describe.each(backends)('tokens on $name', (backend) => {
  const { store, database } = useStore(backend);

  it('round-trips tokens and stores only ciphertext', async () => {
    await store().tokens.save('hubspot', { accessToken: TOKEN, refreshToken: REFRESH, expiresAt: '2024-06-01T00:00:00Z' });
    expect(await store().tokens.load('hubspot')).toEqual({ accessToken: TOKEN, refreshToken: REFRESH, expiresAt: '2024-06-01T00:00:00Z' });
    const row = await store().db.selectFrom('oauth_tokens').selectAll().executeTakeFirstOrThrow();
    expect(row.ciphertext).not.toContain('t0ken');
    expect(await store().tokens.load('salesforce')).toBeNull();
  });

  it('says the key is wrong, without the token, when another key reads it', async () => {
    await store().tokens.save('hubspot', { accessToken: TOKEN });
    const other = await database().open({ secretKey: randomBytes(32).toString('hex') });
    try {
      const err = await other.tokens.load('hubspot').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TokenKeyError);
      expect((err as Error).message).toMatch(/hubspot token cannot be decrypted with the current LEADLIFT_SECRET_KEY/);
      expect((err as Error).message).not.toContain('t0ken');
    } finally {
      await other.close();
    }
  });

  it('refuses a token copied onto another CRM', async () => {
    await store().tokens.save('hubspot', { accessToken: TOKEN });
    const { ciphertext } = await store().db.selectFrom('oauth_tokens').select('ciphertext').executeTakeFirstOrThrow();
    await store().db.insertInto('oauth_tokens').values({ crm: 'salesforce', ciphertext, updated_at: new Date().toISOString() }).execute();
    await expect(store().tokens.load('salesforce')).rejects.toBeInstanceOf(TokenKeyError);
  });

  it('names LEADLIFT_SECRET_KEY when it is missing or malformed, never echoing it', async () => {
    const missing = await database().open({ secretKey: '' });
    const malformed = await database().open({ secretKey: 'hunter2-not-a-key' });
    try {
      // A store with no tokens opens fine without a key; only token use needs it.
      const noKey = await missing.tokens.save('hubspot', { accessToken: TOKEN }).catch((e: unknown) => e);
      expect(noKey).toBeInstanceOf(ConfigError);
      expect((noKey as ConfigError).key).toBe('LEADLIFT_SECRET_KEY');
      expect((noKey as Error).message).toMatch(/is not set/);
      const bad = await malformed.tokens.save('hubspot', { accessToken: TOKEN }).catch((e: unknown) => e);
      expect((bad as Error).message).toMatch(/LEADLIFT_SECRET_KEY.*32 random bytes/);
      expect((bad as Error).message).not.toContain('hunter2');
      expect(await store().tokens.load('hubspot')).toBeNull();
    } finally {
      await missing.close();
      await malformed.close();
    }
  });
});
