import { describeValue } from '../errors/describe-value.js';
import { RedisOptionsError } from '../errors/redis-options-error.js';
import { isRedisUrl } from '../kernel/backend/redis/is-redis-url.js';

/**
 * Checks the `{ url, stream, from? }` of a Redis stream source or sink (from JavaScript, where the types do not
 * hold): a `redis://`, `rediss://` or `redis+cluster://` URL, a non-empty stream name, and `from` `'0'` or `'$'`
 * when `withFrom`. Throws `RedisOptionsError` saying what was wrong.
 *
 * @example
 * ```ts
 * checkStreamOptions('RedisStreamSink', { url: 'redis://127.0.0.1:6379', stream: 'out' }, false);
 * ```
 */
export function checkStreamOptions(component: string, options: unknown, withFrom: boolean): void {
  const shape = withFrom ? "{ url, stream, from?: '0' | '$' }" : '{ url, stream }';
  if (typeof options !== 'object' || options === null) {
    throw new RedisOptionsError(
      component,
      'options',
      `are ${describeValue(options)}: pass ${shape} as its args, e.g. { args: [{ url: 'redis://127.0.0.1:6379', stream: 'events' }] }`,
    );
  }
  const o = options as Record<string, unknown>;
  if (!isRedisUrl(o.url)) {
    throw new RedisOptionsError(
      component,
      'url',
      `is ${describeValue(o.url)}: pass the server's URL, e.g. 'redis://127.0.0.1:6379' (or 'redis+cluster://host:port,…')`,
    );
  }
  if (typeof o.stream !== 'string' || o.stream === '') {
    throw new RedisOptionsError(component, 'stream', `is ${describeValue(o.stream)}: pass the stream's key`);
  }
  if (withFrom && o.from !== undefined && o.from !== '0' && o.from !== '$') {
    throw new RedisOptionsError(
      component,
      'from',
      `is ${describeValue(o.from)}: pass '0' (from the first entry, the default) or '$' (only new entries)`,
    );
  }
}
