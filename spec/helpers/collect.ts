import type { DataStream } from '../../src/core/api/data-stream.js';
import type { ChainOptions } from '../../src/core/api/chain-options.js';

/**
 * Adds a sink to `stream` that pushes every record into the returned array (one array shared by every sink
 * instance, so records of all instances are seen in arrival order).
 *
 * @example
 * ```ts
 * const out = collect(env.fromBatch([1, 2]).map((x) => x * 2));
 * await env.submit({ autostop: true }); // out = [2, 4]
 * ```
 */
export function collect<T>(stream: DataStream<T>, options?: ChainOptions): T[] {
  const out: T[] = [];
  stream.sink((x: T) => {
    out.push(x);
  }, options);
  return out;
}

/**
 * Like {@link collect}, but remembers which sink instance (`ctx.parallelIndex`) received each record.
 *
 * @example
 * ```ts
 * const byInstance = collectByInstance(stream, { parallelism: 3 }); // byInstance[i] = records of instance i
 * ```
 */
export function collectByInstance<T>(stream: DataStream<T>, options: ChainOptions): T[][] {
  const out: T[][] = Array.from({ length: options.parallelism ?? 1 }, () => []);
  stream.sink(function (this: { ctx: { parallelIndex: number } }, x: T) {
    (out[this.ctx.parallelIndex] as T[]).push(x);
  }, options);
  return out;
}
