import { hashKey } from './hash-key.js';

/** Default number of key groups (Flink's default lower bound). */
export const DEFAULT_MAX_PARALLELISM = 128;

/** Largest allowed `maxParallelism` (Flink's limit). */
export const MAX_MAX_PARALLELISM = 32_768;

/**
 * The key group of a key: `hash(key) mod maxParallelism`, the unit in which keyed state is stored, routed and
 * moved on rescaling (Flink's model).
 *
 * @example
 * ```ts
 * keyGroupOf('user-42', 128); // a number in 0..127, the same in every process
 * ```
 */
export function keyGroupOf(key: unknown, maxParallelism: number): number {
  return hashKey(key) % maxParallelism;
}

/**
 * The instance that owns a key group: `floor(keyGroup × parallelism / maxParallelism)`.
 *
 * @example
 * ```ts
 * instanceOfKeyGroup(127, 4, 128); // 3
 * ```
 */
export function instanceOfKeyGroup(keyGroup: number, parallelism: number, maxParallelism: number): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/**
 * The instance a key is routed to at `parallelism`: the owner of its key group.
 *
 * @example
 * ```ts
 * instanceForKey('user-42', 4); // 0..3, the same in every process
 * ```
 */
export function instanceForKey(
  key: unknown,
  parallelism: number,
  maxParallelism: number = DEFAULT_MAX_PARALLELISM,
): number {
  return instanceOfKeyGroup(keyGroupOf(key, maxParallelism), parallelism, maxParallelism);
}
