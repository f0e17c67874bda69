import { MissingDependencyError } from '../errors/missing-dependency-error.js';

/** The part of the `redis` package that sage-kernel uses. */
export type RedisModule = typeof import('redis');

/**
 * Imports the optional `redis` package when a connection is first made, never when `sage-kernel/redis` loads:
 * users of `MemoryLog` and `LogWorker` alone do not need it. Throws MissingDependencyError, saying what to
 * install, when it is absent.
 *
 * @example
 * ```ts
 * const { createClient } = await importRedis('RedisLog.connect');
 * ```
 */
export async function importRedis(feature: string): Promise<RedisModule> {
  try {
    return await import('redis');
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new MissingDependencyError('redis', feature, e);
    }
    throw e;
  }
}
