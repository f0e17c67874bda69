import { bufferCount, from, groupBy, map, mergeMap, reduce } from 'rxjs';
import {
  EventTimeSessionWindows,
  TumblingEventTimeWindows,
  WindowedStreamSpecBuilder,
  type AggregateFunction,
} from '../../src/index.js';
import type { TimerService, WindowHost } from '../../src/core/window/window-host.js';
import { WindowOperator } from '../../src/core/window/window-operator.js';
import { FakeWindowHost } from '../helpers/fake-window-host.js';
import { formatCount } from './format-table.js';
import { settledHeap } from './heap-probe.js';
import { drain, tally, type HeapFigures, type Outcome, type Workload } from './workload.js';

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

/** A timer service that keeps nothing: to measure what the engine itself holds per session. */
const NO_TIMERS: TimerService = {
  currentProcessingTime: () => 0,
  currentWatermark: () => Number.NEGATIVE_INFINITY,
  registerEventTimeTimer: () => undefined,
  registerProcessingTimeTimer: () => undefined,
  deleteEventTimeTimer: () => undefined,
  deleteProcessingTimeTimer: () => undefined,
};

/**
 * Workload w2: session windows (gap 30 min) over `keys` keys, two records per key (the second merges into the
 * first's session), counting per session; the final watermark fires every session. Against a hand-written
 * RxJS `reduce` into a `Map` of sessions. Its heap figure: the bytes one open session holds in the engine (a count
 * accumulator, which is a small integer) with a timer service that keeps nothing, against a plain
 * `Map<key, { start, end, count }>` holding the same sessions.
 *
 * @example
 * ```ts
 * const w = sessionWorkload(100_000);
 * ```
 */
export function sessionWorkload(keys: number): Workload {
  const gap = 30 * 60_000;
  const expected: Outcome = { count: keys, sum: 2 * keys };
  const spec = WindowedStreamSpecBuilder.window<number, number>(
    EventTimeSessionWindows.withGap(gap),
  ).aggregate(COUNT);
  const time = (k: number, second: boolean): number => EPOCH + k * 7 + (second ? 60_000 : 0);

  const engine = (): Promise<Outcome> => {
    const { outcome, add } = tally();
    const host = new FakeWindowHost<number, number, number>();
    host.emit = (value) => {
      add(value);
    };
    host.attach(new WindowOperator(spec, host));
    for (let k = 0; k < keys; k++) host.process(k, 1, time(k, false));
    for (let k = 0; k < keys; k++) host.process(k, 1, time(k, true));
    host.advanceWatermark(Number.POSITIVE_INFINITY);
    return Promise.resolve(outcome);
  };
  // The same sessions by hand: an RxJS pipeline folding records into a Map of open sessions per key.
  const rxjs = (): Promise<Outcome> =>
    drain(
      from(Array.from({ length: 2 * keys }, (_, i) => i)).pipe(
        reduce((sessions, i) => {
          const k = i % keys;
          const t = time(k, i >= keys);
          const s = sessions.get(k);
          if (s !== undefined && t <= s.end && t + gap >= s.start) {
            s.start = Math.min(s.start, t);
            s.end = Math.max(s.end, t + gap);
            s.count++;
          } else sessions.set(k, { start: t, end: t + gap, count: 1 });
          return sessions;
        }, new Map<number, { start: number; end: number; count: number }>()),
        mergeMap((sessions) => from([...sessions.values()].map((s) => s.count))),
      ),
    );
  return {
    title: 'w2. window engine: session windows, 2 records per key (fake host)',
    records: 2 * keys,
    detail: `${formatCount(keys)} keys`,
    expected,
    engine,
    rxjs,
    heap(): Promise<HeapFigures> {
      return Promise.resolve({
        per: 'open session',
        engineBytes: bytesPerSession(keys, spec),
        rxjsBytes: bytesPerPlainSession(keys, gap),
      });
    },
  };
}

function bytesPerSession(keys: number, spec: Parameters<typeof sessionOperator>[0]): number {
  const before = settledHeap();
  const op = sessionOperator(spec);
  for (let k = 0; k < keys; k++) op.processElement(k, 1, EPOCH + k * 7);
  for (let k = 0; k < keys; k++) op.processElement(k, 1, EPOCH + k * 7 + 60_000);
  const after = settledHeap();
  if (op.keyCount !== keys)
    throw new Error(`expected ${String(keys)} open sessions, got ${String(op.keyCount)}`);
  return (after - before) / keys;
}

function sessionOperator(
  spec: ConstructorParameters<typeof WindowOperator<number, number, number>>[0],
): WindowOperator<number, number, number> {
  const host: WindowHost<number> = { timers: NO_TIMERS, emit: () => undefined, emitLate: () => undefined };
  return new WindowOperator(spec, host);
}

function bytesPerPlainSession(keys: number, gap: number): number {
  const before = settledHeap();
  const sessions = new Map<number, { start: number; end: number; count: number }>();
  for (let k = 0; k < keys; k++)
    sessions.set(k, { start: EPOCH + k * 7, end: EPOCH + k * 7 + gap, count: 1 });
  for (let k = 0; k < keys; k++) {
    const s = sessions.get(k);
    if (s !== undefined)
      sessions.set(k, { start: s.start, end: EPOCH + k * 7 + 60_000 + gap, count: s.count + 1 });
  }
  const after = settledHeap();
  if (sessions.size !== keys) throw new Error('the plain sessions map lost keys');
  return (after - before) / keys;
}
