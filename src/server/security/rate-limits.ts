import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';

/** Login attempts per client address: enough for typos, too few to guess a password. */
export function loginRateLimit(): RequestHandler {
  return rateLimit({
    windowMs: 15 * 60_000,
    limit: 10,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    message: 'Too many login attempts from this address; wait 15 minutes and try again.',
  });
}

/** CRM webhook deliveries: HubSpot sends batches of up to 100 events, far below this. */
export function webhookRateLimit(): RequestHandler {
  return rateLimit({ windowMs: 60_000, limit: 600, standardHeaders: 'draft-7', legacyHeaders: false });
}

/** Install and OAuth callbacks: a handful per install. */
export function installRateLimit(): RequestHandler {
  return rateLimit({ windowMs: 15 * 60_000, limit: 60, standardHeaders: 'draft-7', legacyHeaders: false });
}
