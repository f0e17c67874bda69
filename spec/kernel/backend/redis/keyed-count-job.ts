import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { LogStreamSink } from '../../../../src/kernel/backend/redis/log-stream-sink.js';

/** One input record of the keyed count jobs of these specs. */
export interface KeyedRecord {
  readonly k: string;
  readonly v: number;
}

/** Counts the records of each key in keyed state and emits `[key, value, count]`. */
export class KeyedCount extends MapFunction<KeyedRecord, [string, number, number]> {
  execute(r: KeyedRecord): [string, number, number] {
    const count = this.ctx.state.value('count', 0);
    const n = count.get() + 1;
    count.set(n);
    return [r.k, r.v, n];
  }
}

/**
 * Builds `records → keyBy(k) → KeyedCount (parallelism p) → LogStreamSink(out)` into `env`.
 */
export function buildKeyedCount(
  env: LocalEnvironment,
  records: readonly KeyedRecord[],
  parallelism: number,
  out: string,
): void {
  env
    .fromBatch([...records])
    .keyBy((r) => r.k)
    .map(KeyedCount, { parallelism, name: 'count' })
    .sink(LogStreamSink, { args: [{ stream: out }], parallelism });
}
