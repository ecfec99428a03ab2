import type { RequestHandler } from 'express';
import type { LoggedRequest, SandboxContext } from './context.js';
import { crmForPath } from './crm-for-path.js';

/** Enough for a long load test; beyond it the oldest half goes so memory stays flat. */
const MAX_ENTRIES = 200_000;

/**
 * Records every request once it ends: on 'finish' for answered requests, on 'close' for the ones a
 * fault dropped (status 0), so tests can count exactly what a connector sent.
 */
export function requestLogMiddleware(ctx: SandboxContext): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const at = ctx.clock.now();
    // Captured now: routers mounted under a prefix rewrite req.url while they handle the request.
    const crm = crmForPath(req.path);
    const path = req.originalUrl;
    let logged = false;
    const record = () => {
      if (logged) return;
      logged = true;
      const entry: LoggedRequest = {
        at,
        crm,
        method: req.method,
        path,
        status: res.writableFinished ? res.statusCode : 0,
        ms: Math.round(performance.now() - started),
      };
      // Read at the end: the body parser runs after this middleware.
      const ids = inputIds(req.body);
      if (ids) entry.inputIds = ids;
      if (ctx.log.length >= MAX_ENTRIES) ctx.log.splice(0, MAX_ENTRIES / 2);
      ctx.log.push(entry);
    };
    res.on('finish', record);
    res.on('close', record);
    next();
  };
}

function inputIds(body: unknown): string[] | undefined {
  const inputs = (body as { inputs?: unknown } | undefined)?.inputs;
  if (!Array.isArray(inputs)) return undefined;
  return inputs.map((input) => (input as { id?: unknown } | null)?.id).filter((id): id is string => typeof id === 'string');
}
