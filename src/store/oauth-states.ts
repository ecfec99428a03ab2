import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { TokenKeyError } from './errors.js';
import { decrypt, encrypt } from './token-cipher.js';

/** What a pending install is bound to: the callback must come for the same CRM, user and redirect. */
export interface PendingOAuthState {
  crm: string;
  user: string;
  redirectUri: string;
  expiresAt: Date;
  /** Carried to the callback, never to the browser (the PKCE verifier); encrypted at rest. */
  secrets: Record<string, string>;
}

/**
 * OAuth `state` values an install issued, kept in the store so that the callback may reach any
 * instance sharing it (several `serve` behind one load balancer). Rows are keyed by a hash of the
 * state; the secrets are sealed with LEADLIFT_SECRET_KEY (as the tokens are, tokens.ts) with the
 * hash as associated data, so a sealed verifier copied to another row does not open. A state is
 * spent by deleting its row and reading what the delete returned: of two callbacks with one
 * state (a replay, a double click), one gets the row and the other nothing, on both back ends.
 * Each issue prunes the expired rows, so the table holds at most one lifetime's installs.
 */
export function oauthStatesRepository(db: Kysely<Database>, key: () => Buffer) {
  return {
    async issue(state: string, pending: PendingOAuthState, now = new Date()): Promise<void> {
      const stateHash = hashOf(state);
      await db.deleteFrom('oauth_states').where('expires_at', '<=', now.toISOString()).execute();
      await db
        .insertInto('oauth_states')
        .values({
          state_hash: stateHash,
          crm: pending.crm,
          user_name: pending.user,
          redirect_uri: pending.redirectUri,
          secrets: Object.keys(pending.secrets).length > 0 ? encrypt(key(), JSON.stringify(pending.secrets), context(stateHash)) : null,
          expires_at: pending.expiresAt.toISOString(),
        })
        .execute();
    },

    /**
     * The pending install this state was issued for, or null if there is none (never issued,
     * already spent, or pruned); the row is gone afterwards either way. Expiry and binding are the
     * caller's to check (oauth-states.ts in the server), so that it can say which one failed.
     */
    async spend(state: string): Promise<PendingOAuthState | null> {
      const stateHash = hashOf(state);
      const row = await db.deleteFrom('oauth_states').where('state_hash', '=', stateHash).returningAll().executeTakeFirst();
      if (!row) return null;
      let secrets: Record<string, string> = {};
      if (row.secrets !== null) {
        try {
          secrets = JSON.parse(decrypt(key(), row.secrets, context(stateHash))) as Record<string, string>;
        } catch (err) {
          if (!(err instanceof TokenKeyError)) throw err;
          throw new TokenKeyError(
            'This install was started on a leadlift instance with another LEADLIFT_SECRET_KEY, so its verifier cannot be read here. ' +
              'Give every instance sharing the store the same LEADLIFT_SECRET_KEY, then start the install again.',
          );
        }
      }
      return { crm: row.crm, user: row.user_name, redirectUri: row.redirect_uri, expiresAt: new Date(row.expires_at), secrets };
    },
  };
}

export type OAuthStatesRepository = ReturnType<typeof oauthStatesRepository>;

function hashOf(state: string): string {
  return createHash('sha256').update(state, 'utf8').digest('base64url');
}

function context(stateHash: string): string {
  return `oauth state ${stateHash}`;
}
