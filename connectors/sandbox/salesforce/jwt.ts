import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/**
 * The JWT bearer grant's assertion: RS256-signed {iss: client id, sub: username, aud: login URL,
 * exp}. When a public key or certificate is registered for the client id, the signature must
 * verify against it; with none registered the sandbox accepts any well-formed, unexpired
 * assertion (an admin trying the app has no connected app to upload a certificate to).
 */

export class JwtAssertionError extends Error {}

export interface JwtClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
}

function decodePart(part: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new JwtAssertionError('invalid assertion');
  }
}

export function keyFromPem(pem: string): KeyObject {
  // createPublicKey takes a public key, or the public half of an X.509 certificate.
  return createPublicKey(pem);
}

export function verifyAssertion(
  assertion: string,
  keys: Map<string, string>,
  nowMs: number,
  audiences: string[],
): JwtClaims {
  const parts = assertion.split('.');
  if (parts.length !== 3) throw new JwtAssertionError('invalid assertion');
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  if (header.alg !== 'RS256') throw new JwtAssertionError('invalid assertion');
  const { iss, sub, aud, exp } = claims;
  if (typeof iss !== 'string' || typeof sub !== 'string' || typeof exp !== 'number') {
    throw new JwtAssertionError('invalid assertion');
  }
  const audList = Array.isArray(aud) ? aud : [aud];
  const normalise = (u: unknown) => String(u).replace(/\/+$/, '');
  if (!audList.some((a) => audiences.map(normalise).includes(normalise(a)))) {
    throw new JwtAssertionError('audience is invalid');
  }
  if (exp * 1000 <= nowMs) throw new JwtAssertionError('expired authorization code');
  const pem = keys.get(iss);
  if (pem) {
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    const ok = verify('RSA-SHA256', signed, keyFromPem(pem), Buffer.from(parts[2], 'base64url'));
    if (!ok) throw new JwtAssertionError('invalid assertion');
  }
  return { iss, sub, aud: String(audList[0]), exp };
}
