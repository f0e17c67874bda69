/**
 * Whether `url` reads as a Redis URL the backend connects to: `redis://` or `rediss://` (TLS), each also as
 * `…+cluster://` for a Redis Cluster, followed by something. It checks the form only, not that a server answers.
 *
 * @example
 * ```ts
 * isRedisUrl('redis://127.0.0.1:6379'); // true
 * isRedisUrl('127.0.0.1:6379'); // false
 * ```
 */
export function isRedisUrl(url: unknown): url is string {
  return typeof url === 'string' && /^rediss?(\+cluster)?:\/\/./.test(url);
}
