// Random tokens, their stored hashes and keyed signatures: the primitives behind sessions and links.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Source of randomness; tests may pass a seeded one. */
export type RandomBytes = (n: number) => Buffer;

/**
 * A URL-safe random token of `bytes` bytes of entropy.
 * @example randomToken() // 'q3J0...' (43 characters for 32 bytes)
 */
export function randomToken(bytes = 32, random: RandomBytes = randomBytes): string {
  return random(bytes).toString('base64url');
}

/**
 * SHA-256 of a token, as stored: a stolen database does not yield working tokens.
 * @example tokenHash('abc') // 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0'
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * HMAC-SHA-256 of `data` under `secret`, URL-safe.
 */
export function sign(secret: string, data: string): string {
  return createHmac('sha256', secret).update(data).digest('base64url');
}

/**
 * Compares two strings in constant time (for tokens and signatures).
 */
export function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
