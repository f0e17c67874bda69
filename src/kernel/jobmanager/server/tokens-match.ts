import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a token received from a client with the expected one in constant time (both are hashed first,
 * so neither the content nor the length leaks through timing).
 *
 * @example
 * ```ts
 * if (!tokensMatch(serverToken, request.token)) throw new AuthenticationError();
 * ```
 */
export function tokensMatch(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(given, 'utf8').digest();
  return timingSafeEqual(a, b);
}
