/**
 * The per-record cost of the metrics counters. The engine's counters are plain field increments or locals
 * inside the per-record code the runtime generates (`loopSource` and `stepSource` in
 * `src/core/operator/compiled-step.ts`); there is no switch to turn them off. So this measures that code
 * itself: the array source's loop fused with the map → filter → sink steps of workload (a), compiled from the
 * engine's own template exactly as the runtime compiles it and run in slices of 256 records as the runtime runs
 * it, against the same text with every counter statement removed, in the same process and rounds. The whole job
 * (workload a) is timed in the same rounds, for scale.
 */
import { loopSource } from '../../src/core/operator/compiled-step.js';
import { OperatorMetrics } from '../../src/kernel/runtime/metrics/operator-metrics.js';
import { SLICE_CHECK_EVERY } from '../../src/kernel/runtime/source/slice.js';
import { type CostRow } from './cost-row.js';
import { interleaved, median, pairedRatio } from './interleaved.js';
import { mapFilterWorkload } from './map-filter.js';

/**
 * A counter statement of the generated code: a field increment (`metrics_0.in++;`, the source's
 * `source.out++;`), a local counter's increment (`c_filtered_0++;`, `x_0++;` for a record that ends at step 0)
 * or the flush that derives and adds the counters when the loop returns (`passed = index - first;`,
 * `passed -= x_0 + c_filtered_0;`, `metrics_0.in += passed;`).
 */
const COUNTER =
  /(?:metrics(?:_\d+)?|source)\.[A-Za-z]+(?:\+\+| \+= \w+);|\bpassed (?:= index - first|-= [^;]*|= c_out_\d+);|\b(?:c|x)_\w+\+\+;/g;

/** The names each step of a compiled chain is given (as `CompiledStep` does), suffixed with its position. */
const STEP_NAMES = ['rt', 'gate', 'metrics', 'instance', 'fn', 'fallback', 'out'];

/** Removes every counter statement (an empty statement keeps `else metrics.filtered++;` valid). */
export function withoutCounters(source: string): string {
  return source.replace(COUNTER, ';');
}

type Pull = (cursor: { items: readonly number[]; index: number }, end: number) => void;

let serial = 1_000_000;

/** A step no record should reach in this harness (the fallback of a synchronous chain that never throws). */
const unreachable = (): never => {
  throw new Error('metrics-cost harness: a step took its slow path');
};

/** The loop of workload (a)'s chain, compiled from the engine's template with or without its counters. */
function compileLoop(
  counters: boolean,
  metrics: readonly OperatorMetrics[],
  execute: readonly ((value: number) => unknown)[],
): Pull {
  const kinds = ['map', 'filter', 'sink'] as const;
  const text = loopSource(kinds, ++serial);
  const source = counters ? text : withoutCounters(text);
  const gate = { stopped: false, halted: false, paused: false };
  const fallback = { busy: false, wait: unreachable, failed: unreachable, settle: unreachable };
  const names = kinds.flatMap((_, i) => STEP_NAMES.map((n) => `${n}_${String(i)}`));
  const values = kinds.flatMap((_, i) => [
    { key: undefined as unknown, input: 0, timestamp: undefined, error: unreachable },
    gate,
    metrics[i + 1],
    { input: 0 },
    { execute: execute[i] },
    fallback,
    { next: unreachable },
  ]);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function(...names, 'host', 'source', 'isAsync', 'normalizeKey', source) as (
    ...args: unknown[]
  ) => Pull;
  return factory(...values, { interrupted: false }, metrics[0], () => false, unreachable);
}

/** One compiled chain: the source loop and map → filter → sink, with or without counters. */
export interface CounterChain {
  /** Runs every number through the chain; resolves with the sink's count and sum. */
  run(): { count: number; sum: number };
  /** The counters of the source, map, filter and sink (all zero without counters). */
  readonly metrics: readonly OperatorMetrics[];
}

/**
 * Builds the chain of workload (a) (`x * 2`, keep `x % 3 !== 0`, add to a tally) over `numbers` from the
 * engine's step templates, with or without the counter statements.
 *
 * @example
 * ```ts
 * const chain = countersHarness([1, 2, 3], true);
 * chain.run(); // { count: 2, sum: 6 }
 * ```
 */
export function countersHarness(numbers: readonly number[], counters: boolean): CounterChain {
  const metrics = ['source', 'map', 'filter', 'sink'].map((name) => new OperatorMetrics(name));
  const tally = { count: 0, sum: 0 };
  const add = (x: number): void => {
    tally.count++;
    tally.sum += x;
  };
  const pull = compileLoop(counters, metrics, [(x) => x * 2, (x) => x % 3 !== 0, add]);
  return {
    metrics,
    run() {
      tally.count = 0;
      tally.sum = 0;
      const cursor = { items: numbers, index: 0 };
      while (cursor.index < numbers.length) {
        pull(cursor, Math.min(numbers.length, cursor.index + SLICE_CHECK_EVERY));
      }
      return { ...tally };
    },
  };
}

/**
 * The metrics row: `records` numbers through the counted chain against the uncounted one (and the whole job
 * of workload a for scale), `rounds` interleaved rounds after one untimed run of each. Checks first that both
 * chains give workload a's result and that the counted one counted every record.
 *
 * @example
 * ```ts
 * const row = await metricsCostRow(1_000_000, 15);
 * ```
 */
export async function metricsCostRow(records: number, rounds: number): Promise<CostRow> {
  const job = mapFilterWorkload(records);
  const numbers = Array.from({ length: records }, (_, i) => i);
  const counted = countersHarness(numbers, true);
  const bare = countersHarness(numbers, false);
  for (const chain of [counted, bare]) {
    const got = chain.run();
    if (got.count !== job.expected.count || got.sum !== job.expected.sum) {
      throw new Error(
        `metrics-cost harness: the sink saw ${JSON.stringify(got)}, expected ${JSON.stringify(job.expected)}`,
      );
    }
  }
  const [source, map, filter, sink] = counted.metrics as OperatorMetrics[];
  if (
    source?.out !== records ||
    map?.in !== records ||
    filter?.filtered !== records - job.expected.count ||
    sink?.out !== job.expected.count
  ) {
    throw new Error('metrics-cost harness: the counted chain did not count every record');
  }
  await job.engine();
  const timeRun = (chain: CounterChain) => (): number => {
    const start = performance.now();
    chain.run();
    return performance.now() - start;
  };
  const times = await interleaved(
    [
      { id: 'counted', run: timeRun(counted) },
      { id: 'bare', run: timeRun(bare) },
      {
        id: 'job',
        run: async () => {
          const start = performance.now();
          await job.engine();
          return performance.now() - start;
        },
      },
    ],
    rounds,
  );
  const ms = median(times.get('counted') ?? []);
  const baselineMs = median(times.get('bare') ?? []);
  const ratio = pairedRatio(times, { id: 'counted', units: records }, { id: 'bare', units: records });
  const jobNs = (median(times.get('job') ?? []) * 1e6) / records;
  const addedNs = ((ratio - 1) * baselineMs * 1e6) / records;
  return {
    title: 'metrics counters: source → map → filter → sink (the fused loop of an array source)',
    unit: 'record',
    units: records,
    ms,
    baseline: 'the same generated code without its counters',
    baselineUnits: records,
    baselineMs,
    ratio,
    note:
      `the engine's own fused loop (its template) with and without its counter statements; the whole ` +
      `job (workload a, submit to completion) took ${jobNs.toFixed(0)} ns/record in the same rounds, so the ` +
      `counters are ${((addedNs / jobNs) * 100).toFixed(1)}% of it.`,
  };
}
