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

/**
 * The plain model of a keyed count: each key's `[value, count]` in input order, counted from 1.
 *
 * @example
 * ```ts
 * keyedCountModel([{ k: 'a', v: 1 }, { k: 'a', v: 2 }]); // Map { 'a' => [[1, 1], [2, 2]] }
 * ```
 */
export function keyedCountModel(records: readonly KeyedRecord[]): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const r of records) {
    const seen = out.get(r.k) ?? [];
    out.set(r.k, [...seen, [r.v, seen.length + 1]]);
  }
  return out;
}
