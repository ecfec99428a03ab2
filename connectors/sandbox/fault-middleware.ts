import type { RequestHandler, Response } from 'express';
import type { FaultRule, SandboxContext } from './context.js';
import { crmForPath } from './crm-for-path.js';
import { takeFault } from './fault-rules.js';
import { hubspotError, rateLimitBody } from './hubspot/errors.js';

const NETWORK_KINDS: ReadonlyArray<FaultRule['kind']> = ['drop', 'latency', 'rate-limit', 'server-error'];

/**
 * Applies injected faults before a request reaches a CRM router, shaped the way each CRM answers:
 * a dropped connection destroys the socket, latency delays and then lets the request through,
 * rate-limit and server-error answer in that CRM's own error shape. Partial-batch rules are read
 * by the routers themselves through partialBatchFailures().
 */
export function faultMiddleware(ctx: SandboxContext): RequestHandler {
  return (req, res, next) => {
    const crm = crmForPath(req.path);
    if (crm === 'control' || ctx.faults.length === 0) return next();
    const rule = takeFault(ctx, req.method, req.path, NETWORK_KINDS);
    if (!rule) return next();
    switch (rule.kind) {
      case 'drop':
        req.socket.destroy();
        return;
      case 'latency':
        setTimeout(next, rule.ms ?? 1000);
        return;
      case 'rate-limit':
        return crm === 'hubspot' ? hubspotRateLimited(res, rule) : salesforceRateLimited(res, rule);
      case 'server-error':
        return crm === 'hubspot' ? hubspotServerError(res, rule) : salesforceServerError(res, rule);
      default:
        return next();
    }
  };
}

function hubspotRateLimited(res: Response, rule: FaultRule): void {
  res.setHeader('Retry-After', String(Math.max(1, Math.ceil(rule.ms ?? 1))));
  res.status(rule.status ?? 429).json(rateLimitBody('TEN_SECONDLY_ROLLING'));
}

function hubspotServerError(res: Response, rule: FaultRule): void {
  const status = rule.status ?? 503;
  res.status(status).json(hubspotError(status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR', 'The server encountered an error; try the request again.'));
}

/**
 * Salesforce has no 429: when an org is throttled (concurrent long-running requests) the REST API
 * answers 403 REQUEST_LIMIT_EXCEEDED in its error-array shape. A rule can still force 429.
 */
function salesforceRateLimited(res: Response, rule: FaultRule): void {
  res.status(rule.status ?? 403).json([{ message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
}

function salesforceServerError(res: Response, rule: FaultRule): void {
  const status = rule.status ?? 503;
  res.status(status).json([
    status === 503
      ? { message: 'Server is temporarily unavailable, try again later.', errorCode: 'SERVER_UNAVAILABLE' }
      : { message: 'An unexpected error occurred. Please include this ErrorId if you contact support.', errorCode: 'UNKNOWN_EXCEPTION' },
  ]);
}
