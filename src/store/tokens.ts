import type { Kysely } from 'kysely';
import type { CrmName } from '../../connectors/types.js';
import type { Database } from './schema.js';
import { ConfigError } from '../domain/errors.js';
import { nowIso } from './iso-time.js';
import { decrypt, encrypt } from './token-cipher.js';

/** Whatever a connector needs to call its CRM again: access/refresh tokens, instance URL, expiry. */
export type TokenSet = Record<string, unknown>;

/**
 * OAuth tokens per CRM, encrypted at rest with LEADLIFT_SECRET_KEY. The key is asked for only
 * when a token is read or written, so a store without connected CRMs needs no key.
 */
export function tokensRepository(db: Kysely<Database>, key: () => Buffer) {
  return {
    async save(crm: CrmName, tokens: TokenSet): Promise<void> {
      const ciphertext = encrypt(key(), JSON.stringify(tokens), crm);
      await db
        .insertInto('oauth_tokens')
        .values({ crm, ciphertext, updated_at: nowIso() })
        .onConflict((oc) =>
          oc.column('crm').doUpdateSet((eb) => ({
            ciphertext: eb.ref('excluded.ciphertext'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    },

    async load(crm: CrmName): Promise<TokenSet | null> {
      const row = await db.selectFrom('oauth_tokens').select('ciphertext').where('crm', '=', crm).executeTakeFirst();
      return row ? (JSON.parse(decrypt(key(), row.ciphertext, crm)) as TokenSet) : null;
    },

    /**
     * Why a token could not be saved now (the key is missing or malformed), or null: lets an install
     * say so before the CRM's consent screen rather than fail after it. Never includes the key.
     */
    keyProblem(): string | null {
      try {
        key();
        return null;
      } catch (err) {
        if (err instanceof ConfigError) return err.message;
        throw err;
      }
    },

    /** Disconnects a CRM: its tokens are gone. */
    async remove(crm: CrmName): Promise<void> {
      await db.deleteFrom('oauth_tokens').where('crm', '=', crm).execute();
    },
  };
}

export type TokensRepository = ReturnType<typeof tokensRepository>;
