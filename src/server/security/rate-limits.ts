import { ipKeyGenerator, rateLimit, type RateLimitInfo } from 'express-rate-limit';
import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { TokenAttempt } from './metrics-access.js';
import { SharedRateLimitStore, type RateLimitHitsSource } from './shared-rate-limit-store.js';

/**
 * express-rate-limit's own checks of the proxy set-up print a stack trace to stderr. leadlift
 * says the same in its words: LEADLIFT_TRUST_PROXY=true is refused at start-up
 * (trust-proxy.ts), and X-Forwarded-For without it is logged once (forwarded-hint.ts).
 */
const validate = { trustProxy: false, xForwardedForHeader: false };

/**
 * Login attempts per client address: enough for typos, too few to guess a password. Counted in the
 * store (shared-rate-limit-store.ts), so instances behind one load balancer share the allowance.
 */
export function loginRateLimit(store: RateLimitHitsSource, logger: Logger): RequestHandler {
  return rateLimit({
    store: new SharedRateLimitStore(store, 'login', logger),
    windowMs: 15 * 60_000,
    limit: 10,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    validate,
    message: 'Too many login attempts from this address; wait 15 minutes and try again.',
  });
}

/*
 * The webhook and install limits stay in each process's memory: they guard an instance against a
 * flood, not a secret against guessing (a webhook must carry HubSpot's signature, an install an
 * admin session), so N instances taking N times the flood is what N instances are for, and a
 * store write per webhook delivery would load the store for nothing.
 */

/** CRM webhook deliveries: HubSpot sends batches of up to 100 events, far below this. */
export function webhookRateLimit(): RequestHandler {
  return rateLimit({ windowMs: 60_000, limit: 600, standardHeaders: 'draft-7', legacyHeaders: false, validate });
}

/** Install and OAuth callbacks: a handful per install. */
export function installRateLimit(): RequestHandler {
  return rateLimit({ windowMs: 15 * 60_000, limit: 60, standardHeaders: 'draft-7', legacyHeaders: false, validate });
}

const METRICS_TOKEN_WINDOW_MS = 15 * 60_000;
const METRICS_TOKEN_GUESSES = 10;

/**
 * Wrong metrics tokens per client address (req.ip, so LEADLIFT_TRUST_PROXY decides it as for the
 * login), for /metrics and the detailed /readyz together: one token, guessable through either.
 * Counted in the store as the login is, so across every instance sharing it.
 *
 * Only wrong tokens are counted. express-rate-limit's skipSuccessfulRequests would count every
 * request as it arrives and take the served ones back when their response finishes: a scrape cut
 * off by Prometheus's timeout (the metrics query the store, so a slow store makes them slow)
 * never finishes and stays counted, and ten scrapes in flight at once would use up the
 * allowance, so the right token could be refused for 15 minutes just when the operator needs the
 * metrics. A right token is skipped instead, unless the address has used up its allowance: then
 * it gets 429 like a guess, or the limit would tell the guesser which guess was right. A request
 * without a Bearer token (a probe, the bare /readyz, an admin session) is never limited.
 */
export function metricsTokenRateLimit(attempt: (req: Request) => TokenAttempt, logger: Logger, store: RateLimitHitsSource): RequestHandler {
  const key = (req: Request) => ipKeyGenerator(req.ip ?? '');
  const limiter = rateLimit({
    store: new SharedRateLimitStore(store, 'metrics-token', logger),
    windowMs: METRICS_TOKEN_WINDOW_MS,
    limit: METRICS_TOKEN_GUESSES,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    validate,
    keyGenerator: key,
    skip: async (req) => {
      const sent = attempt(req);
      if (sent !== 'right') return sent === 'none';
      const used = (await limiter.getKey(key(req)))?.totalHits ?? 0;
      return used < METRICS_TOKEN_GUESSES;
    },
    handler: (req, res) => {
      const info = (req as Request & { rateLimit: RateLimitInfo }).rateLimit;
      const until = info.resetTime ?? new Date(Date.now() + METRICS_TOKEN_WINDOW_MS);
      // Said once per address and window (across instances: the count is shared); the token sent is never logged.
      if (info.used === METRICS_TOKEN_GUESSES + 1) logger.warn({ ip: req.ip, until: until.toISOString() }, 'metrics token: too many wrong tokens from this address; refusing it, the right token too, until the time given');
      res.status(429).json({ error: blockedMessage(until) });
    },
  });
  return limiter;
}

/** The 429's words: how long (as Retry-After counts it, in seconds rounded up) and until when. */
function blockedMessage(until: Date, now = Date.now()): string {
  const seconds = Math.max(Math.ceil((until.getTime() - now) / 1000), 1);
  const wait = seconds < 60 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minute${seconds <= 60 ? '' : 's'}`;
  return (
    `Too many wrong metrics tokens from this address (${METRICS_TOKEN_GUESSES} in ${METRICS_TOKEN_WINDOW_MS / 60_000} minutes): /metrics and the detailed /readyz refuse it, ` +
    `even with the right token, for ${wait} more (until ${until.toISOString().slice(11, 16)} UTC). Check that the scraper sends LEADLIFT_METRICS_TOKEN as "Authorization: Bearer <token>".`
  );
}
