import { bufferTime, filter, from, groupBy, map, mergeMap } from 'rxjs';
import { TumblingEventTimeWindows, WatermarkStrategy, type AggregateFunction } from '../../src/index.js';
import { formatCount } from './format-table.js';
import { benchEnvironment, drain, tally, type Outcome, type Workload } from './workload.js';

/** A count per window (the accumulator is a small integer). */
const COUNT: AggregateFunction<Sale, number, number> = {
  createAccumulator: () => 0,
  add: (_v, n) => n + 1,
  getResult: (n) => n,
  merge: (a, b) => a + b,
};

/** One record: a key and its event time. */
interface Sale {
  readonly key: number;
  readonly ts: number;
}

/** Where the timestamps start: realistic epoch milliseconds. */
const EPOCH = 1_764_000_000_000;

/**
 * Workload w3: the pipeline as a user writes it, in a job: `n` records over `keys` keys, one record per
 * key and ms of event time (monotonous timestamps), `keyBy` → tumbling event-time windows of `perWindow` ms →
 * `aggregate` (a count) → sink; the watermark comes every 200 ms of the job's scheduler and `+Infinity` at the
 * end. Against a hand-written RxJS `groupBy` + `bufferTime` (processing time: RxJS has no event time) that
 * counts per buffer.
 *
 * @example
 * ```ts
 * const w = windowJobWorkload(1_000_000, 1_000, 10);
 * ```
 */
export function windowJobWorkload(n: number, keys: number, perWindow: number): Workload {
  const records = Math.floor(n / (keys * perWindow)) * keys * perWindow;
  const input: Sale[] = Array.from({ length: records }, (_, i) => ({
    key: i % keys,
    ts: EPOCH + Math.floor(i / keys),
  }));
  const expected: Outcome = { count: records / perWindow, sum: records };
  return {
    title: 'w3. keyBy → tumbling event-time window → count → sink (a job)',
    records,
    detail: `${formatCount(keys)} keys, ${String(perWindow)} records per window and key`,
    expected,
    async engine() {
      const env = benchEnvironment('bench-window-job');
      const { outcome, add } = tally();
      env
        .fromBatch(input)
        .assignTimestampsAndWatermarks(
          WatermarkStrategy.forMonotonousTimestamps<Sale>().withTimestampAssigner((s) => s.ts),
        )
        .keyBy((s) => s.key)
        .window(TumblingEventTimeWindows.of(perWindow))
        .aggregate(COUNT)
        .sink(add);
      await env.submit({ autostop: true });
      return outcome;
    },
    rxjs: () =>
      drain(
        from(input).pipe(
          groupBy((s) => s.key),
          mergeMap((g) =>
            g.pipe(
              bufferTime(1_000, null, perWindow),
              filter((b) => b.length > 0),
              map((b) => b.length),
            ),
          ),
        ),
      ),
  };
}
