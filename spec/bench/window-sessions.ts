import { from, mergeMap, reduce } from 'rxjs';
import { EventTimeSessionWindows, WatermarkStrategy, type AggregateFunction } from '../../src/index.js';
import { formatCount } from './format-table.js';
import { settledHeap } from './heap-probe.js';
import { benchEnvironment, drain, tally, type HeapFigures, type Outcome, type Workload } from './workload.js';

/** One record: a key and its event time. */
interface Visit {
  readonly key: number;
  readonly ts: number;
}

/** Where the timestamps start: realistic epoch milliseconds (not small integers, which V8 stores for free). */
const EPOCH = 1_764_000_000_000;
/** The session gap: 30 min. */
const GAP = 30 * 60_000;

/**
 * A count per session (the accumulator is a small integer, which holds no heap of its own); with `onLast`, calls
 * it from inside the window step as the last record is added, while every session is still open.
 */
function countSessions(records: number, onLast?: () => void): AggregateFunction<Visit, number, number> {
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

/**
 * Workload w2: session windows (gap 30 min) over `keys` keys in a job, as a user writes it: two records per key
 * (the second grows the first's session), `keyBy` → `EventTimeSessionWindows` → `aggregate` (a count) → sink;
 * the end of input fires every session. Against a hand-written RxJS `reduce` into a `Map` of sessions. Its heap
 * figure is the issue's: the bytes one open session holds in the job (window, timers, key entry; the count
 * accumulator is a small integer, so this is what a session costs above its accumulator), read from inside the
 * window step as the last record goes in, against a plain `Map<key, { start, end, count }>` of the same sessions.
 *
 * @example
 * ```ts
 * const w = sessionJobWorkload(100_000);
 * ```
 */
export function sessionJobWorkload(keys: number): Workload {
  const expected: Outcome = { count: keys, sum: 2 * keys };
  const time = (k: number, second: boolean): number => EPOCH + k * 7 + (second ? 60_000 : 0);
  const input: Visit[] = [];
  for (let k = 0; k < keys; k++) input.push({ key: k, ts: time(k, false) });
  for (let k = 0; k < keys; k++) input.push({ key: k, ts: time(k, true) });

  const engine = async (onLast?: () => void): Promise<Outcome> => {
    const env = benchEnvironment('bench-sessions');
    const { outcome, add } = tally();
    env
      .fromBatch(input)
      .assignTimestampsAndWatermarks(
        WatermarkStrategy.forBoundedOutOfOrderness<Visit>(60_000).withTimestampAssigner((v) => v.ts),
      )
      .keyBy((v) => v.key)
      .window(EventTimeSessionWindows.withGap(GAP))
      .aggregate(countSessions(input.length, onLast))
      .sink(add);
    await env.submit({ autostop: true });
    return outcome;
  };
  // The same sessions by hand: an RxJS pipeline folding records into a Map of open sessions per key.
  const rxjs = (): Promise<Outcome> =>
    drain(
      from(input).pipe(
        reduce((sessions, { key, ts }) => {
          const s = sessions.get(key);
          if (s !== undefined && ts <= s.end && ts + GAP >= s.start) {
            s.start = Math.min(s.start, ts);
            s.end = Math.max(s.end, ts + GAP);
            s.count++;
          } else sessions.set(key, { start: ts, end: ts + GAP, count: 1 });
          return sessions;
        }, new Map<number, { start: number; end: number; count: number }>()),
        mergeMap((sessions) => from([...sessions.values()].map((s) => s.count))),
      ),
    );
  return {
    title: 'w2. keyBy → session windows → count → sink (a job), 2 records per key',
    records: input.length,
    detail: `${formatCount(keys)} keys`,
    expected,
    engine: () => engine(),
    rxjs,
    async heap(): Promise<HeapFigures> {
      const before = settledHeap();
      let open = Number.NaN;
      await engine(() => {
        open = settledHeap();
      });
      return {
        per: 'open session',
        engineBytes: (open - before) / keys,
        rxjsBytes: bytesPerPlainSession(keys),
      };
    },
  };
}

function bytesPerPlainSession(keys: number): number {
  const before = settledHeap();
  const sessions = new Map<number, { start: number; end: number; count: number }>();
  for (let k = 0; k < keys; k++)
    sessions.set(k, { start: EPOCH + k * 7, end: EPOCH + k * 7 + GAP, count: 1 });
  for (let k = 0; k < keys; k++) {
    const s = sessions.get(k);
    if (s !== undefined)
      sessions.set(k, { start: s.start, end: EPOCH + k * 7 + 60_000 + GAP, count: s.count + 1 });
  }
  const after = settledHeap();
  if (sessions.size !== keys) throw new Error('the plain sessions map lost keys');
  return (after - before) / keys;
}
