import { BlockList, isIP } from 'node:net';
import type { Request, RequestHandler, Response } from 'express';
import type { ServerSettings } from '../settings.js';
import { sameText } from './csrf.js';

/**
 * Who may read /metrics and the detailed /readyz. The server faces the internet (OAuth callbacks,
 * webhooks), and these reveal CRM usage, scores written and model figures.
 */
export interface MetricsCaller {
  /** The TCP peer (req.socket.remoteAddress), never req.ip: with "trust proxy", req.ip comes from X-Forwarded-For, which any client can write. */
  remoteAddress: string | undefined;
  authorization: string | undefined;
  /** The request carries X-Forwarded-For, Forwarded or X-Real-IP: it came through a proxy. */
  forwarded: boolean;
}

export type MetricsDecision = { allowed: true } | { allowed: false; status: 401 | 403; error: string; challenge?: string };

const HOW_TO = 'set LEADLIFT_METRICS_TOKEN and send it as a Bearer token (Authorization: Bearer <token>)';

export function metricsAccess(settings: Pick<ServerSettings, 'metricsToken' | 'trustProxy'>, caller: MetricsCaller): MetricsDecision {
  if (settings.metricsToken) return bearerAccess(settings.metricsToken, caller.authorization);
  // Behind a proxy on this host every request arrives from loopback, so local means nothing there.
  if (settings.trustProxy === false && !caller.forwarded && isLoopback(caller.remoteAddress)) return { allowed: true };
  const why = settings.trustProxy === false ? 'answers only to this machine' : 'cannot tell local clients from proxied ones (LEADLIFT_TRUST_PROXY is set)';
  return { allowed: false, status: 403, error: `/metrics ${why} while LEADLIFT_METRICS_TOKEN is unset: ${HOW_TO}.` };
}

/**
 * The detailed /readyz with a Bearer token: 'none' when none is sent (a probe gets the minimal
 * answer), else the token's verdict, so a wrong token is told so rather than quietly shown less.
 */
export function readinessTokenAccess(settings: Pick<ServerSettings, 'metricsToken'>, authorization: string | undefined): 'none' | MetricsDecision {
  if (bearerToken(authorization) === null) return 'none';
  if (!settings.metricsToken) return { allowed: false, status: 401, error: `This server has no metrics token: ${HOW_TO}, or log in to the admin pages.`, challenge: 'Bearer realm="leadlift"' };
  return bearerAccess(settings.metricsToken, authorization);
}

/**
 * What a request's token is to the wrong-token limit (rate-limits.ts): 'none' when it sends no
 * Bearer token, or when no token is set (nothing to guess; the 401 says to set one).
 */
export type TokenAttempt = 'none' | 'right' | 'wrong';

export function tokenAttempt(settings: Pick<ServerSettings, 'metricsToken'>, authorization: string | undefined): TokenAttempt {
  const sent = bearerToken(authorization);
  if (sent === null || !settings.metricsToken) return 'none';
  return sameText(sent, settings.metricsToken) ? 'right' : 'wrong';
}

function bearerAccess(token: string, authorization: string | undefined): MetricsDecision {
  const sent = bearerToken(authorization);
  if (sent === null) return { allowed: false, status: 401, error: 'This needs the metrics token: send Authorization: Bearer <LEADLIFT_METRICS_TOKEN>.', challenge: 'Bearer realm="leadlift"' };
  if (!sameText(sent, token)) return { allowed: false, status: 401, error: 'The Bearer token does not match LEADLIFT_METRICS_TOKEN.', challenge: 'Bearer realm="leadlift", error="invalid_token"' };
  return { allowed: true };
}

export function callerOf(req: Request): MetricsCaller {
  return {
    remoteAddress: req.socket.remoteAddress,
    authorization: req.get('authorization'),
    forwarded: req.get('x-forwarded-for') !== undefined || req.get('forwarded') !== undefined || req.get('x-real-ip') !== undefined,
  };
}

export function refuse(res: Response, decision: Extract<MetricsDecision, { allowed: false }>): void {
  if (decision.challenge) res.set('WWW-Authenticate', decision.challenge);
  res.status(decision.status).json({ error: decision.error });
}

export function requireMetricsAccess(settings: ServerSettings): RequestHandler {
  return (req, res, next) => {
    const decision = metricsAccess(settings, callerOf(req));
    if (decision.allowed) return next();
    refuse(res, decision);
  };
}

function bearerToken(header: string | undefined): string | null {
  const match = header ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
  return match ? match[1] : null;
}

// 127.0.0.0/8 and ::1; BlockList also matches IPv4-mapped IPv6 (::ffff:127.0.0.1) against the IPv4 subnet.
const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const family = isIP(address);
  return family !== 0 && loopback.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
