import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { loggedInUser, SESSION_HOURS } from '../../src/server/security/session.js';

const hour = 3_600_000;
const requestWith = (session: Record<string, unknown> | null) => ({ session }) as unknown as Request;

describe('admin session lifetime', () => {
  it('accepts a session inside its lifetime', () => {
    const now = Date.now();
    expect(loggedInUser(requestWith({ user: 'manager', since: now - hour }), now)).toBe('manager');
  });

  it('ends a session older than its lifetime, whatever the cookie says, and clears it', () => {
    const now = Date.now();
    const req = requestWith({ user: 'manager', since: now - (SESSION_HOURS + 1) * hour });
    expect(loggedInUser(req, now)).toBeNull();
    expect(req.session).toBeNull();
  });

  it('refuses a session that carries no login time (e.g. a hand-made cookie)', () => {
    expect(loggedInUser(requestWith({ user: 'manager' }))).toBeNull();
  });
});
