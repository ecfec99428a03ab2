import { createHmac } from 'node:crypto';
import { sameText } from './security/csrf.js';
import { hubspotSignedUri } from '../../connectors/hubspot/signed-uri.js';

/** HubSpot rejects, and so do we, requests signed more than five minutes ago. */
export const MAX_SIGNATURE_AGE_MS = 5 * 60_000;

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

/**
 * Verifies X-HubSpot-Signature-v3: base64 HMAC-SHA256, keyed with the app's client secret, of
 * method + full request URI + raw body + timestamp, the URI with only the escapes HubSpot's
 * validation guide lists decoded (connectors/hubspot/signed-uri.ts). The comparison is constant-time.
 */
export function verifyHubspotSignatureV3(input: {
  clientSecret: string;
  method: string;
  uri: string;
  rawBody: string;
  signature: string | undefined;
  timestamp: string | undefined;
  now: number;
}): SignatureCheck {
  if (!input.signature || !input.timestamp || !/^\d+$/.test(input.timestamp)) return { ok: false, reason: 'missing' };
  const timestamp = Number(input.timestamp);
  if (Math.abs(input.now - timestamp) > MAX_SIGNATURE_AGE_MS) return { ok: false, reason: 'stale' };
  const expected = createHmac('sha256', input.clientSecret)
    .update(`${input.method}${hubspotSignedUri(input.uri)}${input.rawBody}${input.timestamp}`, 'utf8')
    .digest('base64');
  return sameText(expected, input.signature) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
