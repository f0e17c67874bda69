import { bufferCount, from, groupBy, map, mergeMap } from 'rxjs';
import {
  TumblingEventTimeWindows,
  WindowedStreamSpecBuilder,
  type AggregateFunction,
} from '../../src/index.js';
import { WindowOperator } from '../../src/core/window/window-operator.js';
import { FakeWindowHost } from '../helpers/fake-window-host.js';
import { formatCount } from './format-table.js';
import { drain, tally, type Outcome, type Workload } from './workload.js';

/** A count per window: the accumulator is a small integer, so it holds no heap of its own. */
const COUNT: AggregateFunction<number, number, number> = {
  createAccumulator: () => 0,
  add: (_v, n) => n + 1,
  getResult: (n) => n,
  merge: (a, b) => a + b,
};

/** Where the timestamps start: realistic epoch milliseconds (not small integers, which V8 stores for free). */
const EPOCH = 1_764_000_000_000;

/**
 * Workload w1: the window engine alone (no job around it) on a fake keyed host: `n` records over `keys` keys,
 * tumbling event-time windows of `perWindow` ms with one record per key and ms (so `perWindow` records per
 * window per key), counting per window (`aggregate`); the watermark follows each round of windows, then
 * `+Infinity`. Against a hand-written RxJS `groupBy` + `bufferCount(perWindow)` doing the same count.
 *
 * @example
 * ```ts
 * const w = windowCoreWorkload(1_000_000, 1_000, 10);
 * ```
 */
export function windowCoreWorkload(n: number, keys: number, perWindow: number): Workload {
  const records = Math.floor(n / (keys * perWindow)) * keys * perWindow;
  const keyOf = new Int32Array(records).map((_, i) => i % keys);
  const timeOf = new Float64Array(records).map((_, i) => EPOCH + Math.floor(i / keys));
  const expected: Outcome = { count: records / perWindow, sum: records };

  const engine = (): Promise<Outcome> => {
    const { outcome, add } = tally();
    const host = new FakeWindowHost<number, number, number>();
    host.emit = (value) => {
      add(value);
    };
    const spec = WindowedStreamSpecBuilder.window<number, number>(
      TumblingEventTimeWindows.of(perWindow),
    ).aggregate(COUNT);
    host.attach(new WindowOperator(spec, host));
    const round = keys * perWindow;
    for (let i = 0; i < records; i++) {
      host.process(keyOf[i] ?? 0, 1, timeOf[i] ?? 0);
      if ((i + 1) % round === 0) host.advanceWatermark((timeOf[i] ?? 0) + 0);
    }
    host.advanceWatermark(Number.POSITIVE_INFINITY);
    return Promise.resolve(outcome);
  };
  const rxjs = (): Promise<Outcome> =>
    drain(
      from(keyOf).pipe(
        groupBy((k) => k),
        mergeMap((g) =>
          g.pipe(
            bufferCount(perWindow),
            map((b) => b.length),
          ),
        ),
      ),
    );
  return {
    title: 'w1. window engine: keyed tumbling event-time count (fake host)',
    records,
    detail: `${formatCount(keys)} keys, ${String(perWindow)} records per window and key`,
    expected,
    engine,
    rxjs,
  };
}
