import { randomBytes } from 'node:crypto';
import type { CrmName } from '../../connectors/types.js';

/**
 * OAuth `state` values kept on the server: issued when an admin starts an install, checked and
 * spent on the callback, so a callback that leadlift did not start (login CSRF, replay) is
 * refused. Ten minutes is ample for a consent screen.
 */
export class OAuthStates {
  private readonly pending = new Map<string, { crm: CrmName; user: string; expiresAt: number }>();

  constructor(private readonly ttlMs = 10 * 60_000) {}

  issue(crm: CrmName, user: string, now = Date.now()): string {
    for (const [key, s] of this.pending) if (s.expiresAt <= now) this.pending.delete(key);
    if (this.pending.size > 1000) this.pending.delete(this.pending.keys().next().value as string);
    const state = randomBytes(32).toString('base64url');
    this.pending.set(state, { crm, user, expiresAt: now + this.ttlMs });
    return state;
  }

  /** true once for a state issued for this CRM and user and not expired; the state is spent either way. */
  spend(state: string | undefined, crm: CrmName, user: string, now = Date.now()): boolean {
    if (!state) return false;
    const found = this.pending.get(state);
    this.pending.delete(state);
    return !!found && found.crm === crm && found.user === user && found.expiresAt > now;
  }
}
