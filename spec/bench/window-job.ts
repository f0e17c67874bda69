import { bufferTime, filter, from, groupBy, map, mergeMap } from 'rxjs';
import { TumblingEventTimeWindows, WatermarkStrategy, type AggregateFunction } from '../../src/index.js';
import { formatCount } from './format-table.js';
import { settledHeap } from './heap-probe.js';
import { benchEnvironment, drain, tally, type HeapFigures, type Outcome, type Workload } from './workload.js';

/**
 * A count per window (the accumulator is a small integer, which holds no heap of its own); with `onLast`, calls
 * it from inside the window step as the last record is added.
 */
function countPerWindow(records: number, onLast?: () => void): AggregateFunction<Sale, number, number> {
  let added = 0;
  return {
    createAccumulator: () => 0,
    add: (_v, n) => {
      if (++added === records) onLast?.();
      return n + 1;
    },
    getResult: (n) => n,
    merge: (a, b) => a + b,
  };
}

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
  const engine = async (onLast?: (fired: number) => void): Promise<Outcome> => {
    const env = benchEnvironment('bench-window-job');
    const { outcome, add } = tally();
    env
      .fromBatch(input)
      .assignTimestampsAndWatermarks(
        WatermarkStrategy.forMonotonousTimestamps<Sale>().withTimestampAssigner((s) => s.ts),
      )
      .keyBy((s) => s.key)
      .window(TumblingEventTimeWindows.of(perWindow))
      .aggregate(
        countPerWindow(
          records,
          onLast &&
            (() => {
              onLast(outcome.count);
            }),
        ),
      )
      .sink(add);
    await env.submit({ autostop: true });
    return outcome;
  };
  return {
    title: 'w3. keyBy → tumbling event-time window → count → sink (a job)',
    records,
    detail: `${formatCount(keys)} keys, ${String(perWindow)} records per window and key`,
    expected,
    engine: () => engine(),
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
    // Heap held per open window as the last record goes in (windows still open then: created minus fired so
    // far): a window holds its accumulator, not its records, so this does not grow with records per window.
    async heap(): Promise<HeapFigures> {
      const before = settledHeap();
      let bytes = Number.NaN;
      await engine((fired) => {
        bytes = (settledHeap() - before) / Math.max(1, records / perWindow - fired);
      });
      return { per: 'open window', engineBytes: bytes };
    },
  };
}
