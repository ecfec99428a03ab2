import type { NextFunction, Request, Response } from 'express';
import type { SandboxContext } from '../context.js';
import { SalesforceApiError } from './errors.js';
import type { SalesforceState } from './state.js';

/**
 * Who may call the REST API and how much: a bearer token (the sandbox's own, or one the OAuth
 * endpoint issued and that has not expired on the sandbox clock), and the org's daily request
 * allocation, counted per sandbox-clock UTC day like Salesforce's DailyApiRequests.
 */

export const ACCESS_TOKEN_LIFETIME_MS = 2 * 60 * 60 * 1000;

export function tokenFrom(req: Request): string | null {
  const header = req.get('authorization') ?? '';
  const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim());
  return m ? m[1].trim() : null;
}

export function isValidToken(ctx: SandboxContext, state: SalesforceState, token: string | null): boolean {
  if (!token) return false;
  if (token === ctx.token) return true;
  const expiresAt = state.auth.accessTokens.get(token);
  if (expiresAt === undefined) return false;
  if (expiresAt <= ctx.clock.now()) {
    state.auth.accessTokens.delete(token);
    return false;
  }
  return true;
}

export function authenticate(ctx: SandboxContext, state: SalesforceState) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!isValidToken(ctx, state, tokenFrom(req))) {
      next(new SalesforceApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'));
      return;
    }
    next();
  };
}

export function usageToday(ctx: SandboxContext, state: SalesforceState): { used: number; max: number } {
  const day = new Date(ctx.clock.now()).toISOString().slice(0, 10);
  if (state.usage.day !== day) state.usage = { day, used: 0 };
  return { used: state.usage.used, max: ctx.options.salesforceDailyLimit };
}

/** Counts the request, or refuses it with REQUEST_LIMIT_EXCEEDED once the day's allocation is spent. */
export function countApiRequest(ctx: SandboxContext, state: SalesforceState) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const { used, max } = usageToday(ctx, state);
    if (used >= max) {
      res.set('Sforce-Limit-Info', `api-usage=${used}/${max}`);
      next(new SalesforceApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'));
      return;
    }
    state.usage.used = used + 1;
    res.set('Sforce-Limit-Info', `api-usage=${used + 1}/${max}`);
    next();
  };
}
