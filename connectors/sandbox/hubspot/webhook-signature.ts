import { createHash, createHmac } from 'node:crypto';

/**
 * HubSpot's request signatures. v3 (X-HubSpot-Signature-v3): base64 HMAC-SHA256 keyed with the
 * app's client secret over method + URI + body + timestamp, the URI with URL-encoded characters
 * decoded. v1 (X-HubSpot-Signature, still sent for webhooks): hex SHA-256 of secret + body.
 */
export function signatureV3(clientSecret: string, method: string, uri: string, body: string, timestamp: number): string {
  return createHmac('sha256', clientSecret).update(`${method}${decodedUri(uri)}${body}${timestamp}`, 'utf8').digest('base64');
}

export function signatureV1(clientSecret: string, body: string): string {
  return createHash('sha256').update(clientSecret + body, 'utf8').digest('hex');
}

function decodedUri(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}
