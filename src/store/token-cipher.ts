import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConfigError } from '../domain/errors.js';
import { TokenKeyError } from './errors.js';

const KEY_NAME = 'LEADLIFT_SECRET_KEY';
const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const GENERATE_KEY_HINT = `generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`;

/**
 * Reads the AES-256 key: 32 random bytes written as 64 hex characters or as base64. The key is
 * never echoed back, even in part.
 */
export function parseSecretKey(raw: string | undefined): Buffer {
  const text = raw?.trim();
  if (!text) {
    throw new ConfigError(KEY_NAME, `is not set; it encrypts the stored CRM tokens. Set it to 32 random bytes, ${GENERATE_KEY_HINT}`);
  }
  const key = /^[0-9a-fA-F]{64}$/.test(text)
    ? Buffer.from(text, 'hex')
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(text)
      ? Buffer.from(text, 'base64')
      : Buffer.alloc(0);
  if (key.length !== 32) {
    throw new ConfigError(KEY_NAME, `must be 32 random bytes as 64 hex characters or base64 (it is ${text.length} characters long); ${GENERATE_KEY_HINT}`);
  }
  return key;
}

/**
 * AES-256-GCM with a fresh IV per message. `context` (e.g. the CRM name) is bound as associated
 * data, so a ciphertext copied onto another row fails to decrypt instead of being misused.
 */
export function encrypt(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${FORMAT}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

export function decrypt(key: Buffer, sealed: string, context: string): string {
  const [format, payload] = sealed.split(':', 2);
  if (format !== FORMAT || !payload) {
    throw new TokenKeyError(`The stored ${context} token is not in a format this version of leadlift reads; reconnect ${context}`);
  }
  const bytes = Buffer.from(payload, 'base64');
  const iv = bytes.subarray(0, IV_BYTES);
  const tag = bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const body = bytes.subarray(IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    throw new TokenKeyError(
      `The stored ${context} token cannot be decrypted with the current ${KEY_NAME}: the key is not the one it was saved with. ` +
        `Restore the previous ${KEY_NAME}, or reconnect ${context} to save a new token under this key.`,
    );
  }
}
