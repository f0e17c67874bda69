import { BackendUnavailableError } from '../../../errors/backend-unavailable-error.js';
import type { PartitionedLog } from './partitioned-log.js';

/** One connection per URL, shared by the jobs of this process that run on the same Redis. */
const connections = new Map<string, Promise<PartitionedLog>>();

/**
 * The `RedisLog` for `url`, connected once per process and shared. `sage-kernel/redis` (and with it the
 * optional peer dependency `redis`) is imported only now, so the core package loads without it; when it is
 * missing the error says how to install it.
 *
 * @example
 * ```ts
 * const log = await connectRedisLog('redis://127.0.0.1:6379');
 * ```
 */
export function connectRedisLog(url: string): Promise<PartitionedLog> {
  let log = connections.get(url);
  if (log === undefined) {
    log = importRedis().then((redis) => redis.RedisLog.connect(url));
    connections.set(url, log);
    log.catch(() => connections.delete(url));
  }
  return log;
}

/**
 * Closes the connections `connectRedisLog` opened (a JobManager server shutting down).
 *
 * @example
 * ```ts
 * await closeRedisLogs();
 * ```
 */
export async function closeRedisLogs(): Promise<void> {
  const all = [...connections.values()];
  connections.clear();
  await Promise.allSettled(all.map(async (log) => (await log).close()));
}

async function importRedis(): Promise<typeof import('../../../redis/index.js')> {
  try {
    return await import('../../../redis/index.js');
  } catch (e) {
    if (e instanceof Error && /Cannot find (package|module) 'redis'/.test(e.message)) {
      throw new BackendUnavailableError(
        'redis',
        'it needs the redis package, an optional peer dependency of sage-kernel: run `npm install redis`',
      );
    }
    throw e;
  }
}
