import { RedisLog, type RedisLogOptions } from '../../src/redis/redis-log.js';
import { hasRedisServer, NO_REDIS, startRedis, type TestRedis } from './redis-server.js';

/**
 * Registers the mocha hooks of a suite that runs against its own redis-server: before the suite, starts one
 * (or skips the suite with a message when redis-server is not installed) and connects a `RedisLog` to it with
 * `options`, handing both to `ready`; after the suite, closes the log and stops the server.
 *
 * @example
 * ```ts
 * describe('RedisLog', () => {
 *   let log!: RedisLog;
 *   redisLogHooks({ checkSlots: true }, (l) => { log = l; });
 *   it('commits', async () => { await log.acquire('j:1:0', 'w1', 5000); });
 * });
 * ```
 */
export function redisLogHooks(
  options: RedisLogOptions | undefined,
  ready: (log: RedisLog, redis: TestRedis) => void,
): void {
  let redis: TestRedis | undefined;
  let log: RedisLog | undefined;
  before(async function () {
    if (!hasRedisServer()) {
      console.log(`      ${NO_REDIS}`);
      this.skip();
    }
    redis = await startRedis();
    log = await RedisLog.connect(redis.url, options);
    ready(log, redis);
  });
  after(async () => {
    if (redis === undefined) return;
    await log?.close();
    await redis.stop();
  });
}
