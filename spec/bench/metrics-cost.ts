/**
 * The per-record cost of the metrics counters. The engine's counters are plain field increments inside the
 * per-record code the runtime generates for each step (`stepSource` in `src/core/operator/compiled-step.ts`)
 * and one in the source loop (`Task.emit`); there is no switch to turn them off. So this measures that code
 * itself: a source loop and the map → filter → sink steps of workload (a), compiled from the engine's own
 * templates exactly as the runtime compiles them, against the same text with every `metrics.…++;` statement
 * removed, in the same process and rounds. The whole job (workload a) is timed in the same rounds, for scale.
 */
import { stepSource, type CompiledKind } from '../../src/core/operator/compiled-step.js';
import { OperatorMetrics } from '../../src/kernel/runtime/metrics/operator-metrics.js';
import { type CostRow } from './cost-row.js';
import { interleaved, median, pairedRatio } from './interleaved.js';
import { mapFilterWorkload } from './map-filter.js';

/** A counter statement of the generated code. */
const COUNTER = /metrics(?:_\d+)?\.[A-Za-z]+\+\+;/g;

/**
 * The parameters the runtime passes to the factory of a compiled chain of one step, in order (as `CompiledStep`
 * does: the step's own names suffixed with its position, then the shared helpers). A template that starts
 * using another name fails the check in {@link countersHarness} (a ReferenceError).
 */
const STEP_PARAMETERS = [
  'rt_0',
  'gate_0',
  'metrics_0',
  'instance_0',
  'fn_0',
  'fallback_0',
  'out_0',
  'isAsync',
  'normalizeKey',
];

/** The source loop of `Task.emit`, reduced to what it does per record: count it out, run the chain. */
const SOURCE_LOOP = `'use strict';
return function run(numbers, head) {
  for (var i = 0; i < numbers.length; i++) { metrics.out++; head(numbers[i], undefined); }
};`;

/** Removes every counter statement (an empty statement keeps `else metrics.filtered++;` valid). */
export function withoutCounters(source: string): string {
  return source.replace(COUNTER, ';');
}

type Next = (value: unknown, key: unknown) => void;
type Loop = (numbers: readonly number[], head: Next) => void;

let serial = 1_000_000;

/** A step no record should reach in this harness (the fallback of a synchronous chain that never throws). */
const unreachable = (): never => {
  throw new Error('metrics-cost harness: a step took its slow path');
};

function compileStep(
  kind: CompiledKind,
  counters: boolean,
  metrics: OperatorMetrics,
  execute: (value: number) => unknown,
  out: Next,
): Next {
  const text = stepSource(kind, ++serial);
  const source = counters ? text : withoutCounters(text);
  const rt = { key: undefined as unknown, input: 0, error: unreachable };
  const fallback = {
    busy: false,
    wait: unreachable,
    failed: unreachable,
    settle: unreachable,
    deliver: unreachable,
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function(...STEP_PARAMETERS, source) as (...args: unknown[]) => Next;
  return factory(
    rt,
    { stopped: false },
    metrics,
    { input: 0 },
    { execute },
    fallback,
    { next: out },
    () => false,
    unreachable,
  );
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
  const [source, map, filter, sink] = metrics as [
    OperatorMetrics,
    OperatorMetrics,
    OperatorMetrics,
    OperatorMetrics,
  ];
  const tally = { count: 0, sum: 0 };
  const add = (x: number): void => {
    tally.count++;
    tally.sum += x;
  };
  const sinkStep = compileStep('sink', counters, sink, add, unreachable);
  const filterStep = compileStep('filter', counters, filter, (x) => x % 3 !== 0, sinkStep);
  const mapStep = compileStep('map', counters, map, (x) => x * 2, filterStep);
  const loopText = counters ? SOURCE_LOOP : withoutCounters(SOURCE_LOOP);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const loop = (new Function('metrics', loopText) as (m: OperatorMetrics) => Loop)(source);
  return {
    metrics,
    run() {
      tally.count = 0;
      tally.sum = 0;
      loop(numbers, mapStep);
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
    title: 'metrics counters: source → map → filter → sink (5 or 7 increments per record)',
    unit: 'record',
    units: records,
    ms,
    baseline: 'the same generated code without its counters',
    baselineUnits: records,
    baselineMs,
    ratio,
    note:
      `the engine's own step code (its templates) with and without the \`metrics.…++\` statements; the whole ` +
      `job (workload a, submit to completion) took ${jobNs.toFixed(0)} ns/record in the same rounds, so the ` +
      `counters are ${((addedNs / jobNs) * 100).toFixed(1)}% of it.`,
  };
}
