/**
 * The URI as HubSpot's v3 signature covers it. HubSpot's validation guide decodes only these
 * percent-encoded characters before signing; every other escape (%20, %25, %26, ...) stays as
 * sent, so decoding the whole URI, as decodeURIComponent would, signs a different string.
 * Hex digits are matched in either case.
 */
const DECODED: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function hubspotSignedUri(uri: string): string {
  return uri.replace(/%[0-9A-Fa-f]{2}/g, (escape) => DECODED[escape.toUpperCase()] ?? escape);
}
