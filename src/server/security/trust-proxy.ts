import { isIP } from 'node:net';

/**
 * LEADLIFT_TRUST_PROXY, read into express's "trust proxy" setting. express would take `true`, but
 * `true` trusts every address in X-Forwarded-For, so each client picks the address the login
 * limit counts (and the log records) by writing the header itself. Only values that trust the
 * proxies actually in front are accepted: a hop count, or the proxies' addresses and subnets.
 */

/** proxy-addr's names for address ranges, as express accepts them. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * What LEADLIFT_TRUST_PROXY takes, in the admin's words: every message that asks for the setting
 * (a refused value, an https URL with no proxy trusted, a forwarded request) says it this way.
 */
export const TRUST_PROXY_ADVICE =
  'set LEADLIFT_TRUST_PROXY to the number of reverse proxies in front of leadlift (1 for one proxy, e.g. nginx or a load balancer), or to their addresses or subnets (e.g. "loopback" or "10.0.0.0/8, 192.0.2.7")';

const REFUSED_ADVICE = `${TRUST_PROXY_ADVICE}; leave it unset when nothing stands in front`;

/**
 * express's "trust proxy" as leadlift sets it: false (no proxy trusted), a hop count, or a
 * comma-separated list of addresses and subnets. Never `true` (see above).
 */
export type TrustProxy = false | number | string;

/** Why a LEADLIFT_TRUST_PROXY value is refused, in the admin's terms; null when it is usable. */
export function trustProxyProblem(value: string): string | null {
  if (value.toLowerCase() === 'true') {
    return `"true" trusts every X-Forwarded-For address, so any client could choose the address the login limit counts and get unlimited password guesses: ${REFUSED_ADVICE}`;
  }
  if (value === 'false' || /^\d+$/.test(value)) return null;
  for (const item of value.split(',').map((v) => v.trim())) {
    const problem = rangeProblem(item);
    if (problem) return `${problem}: ${REFUSED_ADVICE}`;
  }
  return null;
}

/** The express setting for a value trustProxyProblem accepted; false = no proxy trusted. */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  if (value === undefined || value === 'false') return false;
  if (/^\d+$/.test(value)) {
    // 0 hops trusts nobody: the same as unset, and spoken of as such (e.g. for /metrics).
    const hops = Number(value);
    return hops === 0 ? false : hops;
  }
  return value
    .split(',')
    .map((v) => v.trim())
    .join(',');
}

function rangeProblem(item: string): string | null {
  if (item === '') return 'an empty entry in the list';
  if (NAMED_RANGES.has(item)) return null;
  const [address, prefix, ...rest] = item.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return `"${item}" is not an IP address, a subnet (address/prefix) or one of loopback, linklocal, uniquelocal`;
  if (prefix === undefined) return null;
  const bits = /^\d+$/.test(prefix) ? Number(prefix) : NaN;
  if (!(bits <= (family === 4 ? 32 : 128))) return `"${item}" has no valid prefix length`;
  if (bits === 0) return `"${item}" is every address, which is the same as "true"`;
  return null;
}
