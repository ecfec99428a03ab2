import { randomBytes } from 'node:crypto';
import type { CrmName } from '../../connectors/types.js';

/** What an install keeps with its state until the callback: the PKCE verifier (Salesforce). */
export interface StateSecrets {
  codeVerifier?: string;
}

/**
 * OAuth `state` values kept on the server: issued when an admin starts an install, checked and
 * spent on the callback, so a callback that leadlift did not start (login CSRF, replay) is
 * refused. Ten minutes is ample for a consent screen. A state can carry secrets the callback
 * needs (the PKCE verifier), which so never reach the browser.
 */
export class OAuthStates {
  private readonly pending = new Map<string, { crm: CrmName; user: string; expiresAt: number; secrets: StateSecrets }>();

  constructor(private readonly ttlMs = 10 * 60_000) {}

  issue(crm: CrmName, user: string, now = Date.now(), secrets: StateSecrets = {}): string {
    for (const [key, s] of this.pending) if (s.expiresAt <= now) this.pending.delete(key);
    if (this.pending.size > 1000) this.pending.delete(this.pending.keys().next().value as string);
    const state = randomBytes(32).toString('base64url');
    this.pending.set(state, { crm, user, expiresAt: now + this.ttlMs, secrets });
    return state;
  }

  /**
   * The state's secrets once for a state issued for this CRM and user and not expired, else
   * null; the state is spent either way.
   */
  spend(state: string | undefined, crm: CrmName, user: string, now = Date.now()): StateSecrets | null {
    if (!state) return null;
    const found = this.pending.get(state);
    this.pending.delete(state);
    return found && found.crm === crm && found.user === user && found.expiresAt > now ? found.secrets : null;
  }
}
