import { createHash, createHmac } from 'node:crypto';
import { hubspotSignedUri } from '../../hubspot/signed-uri.js';

/**
 * HubSpot's request signatures. v3 (X-HubSpot-Signature-v3): base64 HMAC-SHA256 keyed with the
 * app's client secret over method + URI + body + timestamp, the URI with only the escapes
 * HubSpot's validation guide lists decoded (%3A, %2F, %3F, ...; %20 and the rest stay). v1 (X-HubSpot-Signature, still sent for webhooks): hex SHA-256 of secret + body.
 */
export function signatureV3(clientSecret: string, method: string, uri: string, body: string, timestamp: number): string {
  return createHmac('sha256', clientSecret).update(`${method}${hubspotSignedUri(uri)}${body}${timestamp}`, 'utf8').digest('base64');
}

export function signatureV1(clientSecret: string, body: string): string {
  return createHash('sha256').update(clientSecret + body, 'utf8').digest('hex');
}
