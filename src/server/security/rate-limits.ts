import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';

/**
 * express-rate-limit's own checks of the proxy set-up print a stack trace to stderr. leadlift
 * says the same in its words: LEADLIFT_TRUST_PROXY=true is refused at start-up
 * (trust-proxy.ts), and X-Forwarded-For without it is logged once (forwarded-hint.ts).
 */
const validate = { trustProxy: false, xForwardedForHeader: false };

/** Login attempts per client address: enough for typos, too few to guess a password. */
export function loginRateLimit(): RequestHandler {
  return rateLimit({
    windowMs: 15 * 60_000,
    limit: 10,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    validate,
    message: 'Too many login attempts from this address; wait 15 minutes and try again.',
  });
}

/** CRM webhook deliveries: HubSpot sends batches of up to 100 events, far below this. */
export function webhookRateLimit(): RequestHandler {
  return rateLimit({ windowMs: 60_000, limit: 600, standardHeaders: 'draft-7', legacyHeaders: false, validate });
}

/** Install and OAuth callbacks: a handful per install. */
export function installRateLimit(): RequestHandler {
  return rateLimit({ windowMs: 15 * 60_000, limit: 60, standardHeaders: 'draft-7', legacyHeaders: false, validate });
}
