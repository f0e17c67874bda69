import { UsageError } from '../errors/usage-error.js';
import { isRedisUrl } from '../kernel/backend/redis/is-redis-url.js';

/**
 * Checks the value of `--redis` (or `SAGE_REDIS_URL`): a `redis://`, `rediss://` or `redis+cluster://` URL.
 * Throws `UsageError` (exit code 2) naming what was given and the form to use; returns the URL.
 *
 * @example
 * ```ts
 * redisUrlFlag('redis://127.0.0.1:6379'); // 'redis://127.0.0.1:6379'
 * redisUrlFlag('localhost');              // UsageError: --redis must be a Redis URL …
 * ```
 */
export function redisUrlFlag(url: string): string {
  if (!isRedisUrl(url)) {
    throw new UsageError(
      `--redis must be a Redis URL such as redis://127.0.0.1:6379 (or redis+cluster://host:port,… for a cluster), got ${JSON.stringify(url)}`,
    );
  }
  return url;
}
