/**
 * What a `pipe(map(f))` step costs per record against the built-in `map(f)` step (the target is at most 2×),
 * measured two ways in one process and the same interleaved rounds: the whole pipelines (source → step → sink,
 * the ratio of the row), and each step alone, as its pipeline's time minus the same pipeline without the step
 * (source → sink), so that the source and the sink, which both pipelines share, do not dilute the comparison.
 */
import { map } from 'rxjs';
import type { DataStream } from '../../src/index.js';
import type { CostRow } from './cost-row.js';
import { interleaved, median, pairedRatio } from './interleaved.js';
import { checkOutcome } from './measure.js';
import { benchEnvironment, tally, type Outcome } from './workload.js';

const double = (x: number): number => x * 2;

/** The three pipelines of one row: without a step, with the built-in `map`, with `pipe(map)`. */
type Variant = 'none' | 'map' | 'pipe';

/**
 * What a keyed row keys its records by: `x % count` as a number (a whole number, which the step finds in an
 * array slot), or as a string (`'key-7'`, which goes through the step's `Map`). The strings are made once, before
 * the timed runs, so that no side pays for building them.
 */
export interface PipeCostKeys {
  readonly count: number;
  readonly type: 'number' | 'string';
}

/** The key function of a keyed row. */
function keyFunction(keys: PipeCostKeys): (x: number) => number | string {
  const { count } = keys;
  if (keys.type === 'number') return (x) => x % count;
  const names = Array.from({ length: count }, (_, i) => `key-${String(i)}`);
  return (x) => names[x % count] as string;
}

/**
 * One timed run: builds the job, submits it with `autostop` and returns the CPU time the process spent
 * meanwhile in ms (all its threads: the JIT and the collector count too), and the run's outcome. CPU time
 * rather than wall time: on a shared machine the other processes' load stretches wall time far more.
 */
async function timedRun(
  numbers: readonly number[],
  keyOf: ((x: number) => number | string) | undefined,
  variant: Variant,
): Promise<{ ms: number; outcome: Outcome }> {
  const env = benchEnvironment(`bench-pipe-step-${variant}`);
  const { outcome, add } = tally();
  const source = env.fromBatch(numbers);
  const input: DataStream<number> = keyOf === undefined ? source : source.keyBy(keyOf);
  const stepped =
    variant === 'map' ? input.map(double) : variant === 'pipe' ? input.pipe(map(double)) : input;
  stepped.sink(add);
  const start = process.cpuUsage();
  await env.submit({ autostop: true });
  const { user, system } = process.cpuUsage(start);
  return { ms: (user + system) / 1000, outcome };
}

/**
 * One cost row: `records` numbers through source → `pipe(map(f))` → sink against source → `map(f)` → sink
 * (with `keys`, after `keyBy(x % count)`, as numbers or as strings: one chain per key), and source → sink for
 * the steps' own cost, `rounds` interleaved rounds after one checked, untimed run of each.
 *
 * @example
 * ```ts
 * const row = await pipeStepCostRow(1_000_000, 15, { count: 1_000, type: 'number' });
 * row.note; // "… the steps alone: pipe(map(f)) 18 ns/record, built-in map(f) 1.2 ns/record …"
 * ```
 */
export async function pipeStepCostRow(
  records: number,
  rounds: number,
  keys?: PipeCostKeys,
): Promise<CostRow> {
  const numbers = Array.from({ length: records }, (_, i) => i);
  const sum = numbers.reduce((s, x) => s + x, 0);
  const expected: Record<Variant, Outcome> = {
    none: { count: records, sum },
    map: { count: records, sum: 2 * sum },
    pipe: { count: records, sum: 2 * sum },
  };
  const variants: Variant[] = ['none', 'map', 'pipe'];
  const keyOf = keys === undefined ? undefined : keyFunction(keys);
  for (const v of variants) {
    checkOutcome(`pipe step cost (${v})`, 'engine', (await timedRun(numbers, keyOf, v)).outcome, expected[v]);
  }
  const times = await interleaved(
    variants.map((v) => ({ id: v, run: async () => (await timedRun(numbers, keyOf, v)).ms })),
    rounds,
  );
  const perRecord = (id: Variant): number[] => (times.get(id) ?? []).map((ms) => (ms * 1e6) / records);
  const none = perRecord('none');
  // Each step alone, per round: its pipeline minus the pipeline without it, taken in the same round.
  const stepNs = (id: Variant): number => median(perRecord(id).map((ns, i) => ns - (none[i] ?? Number.NaN)));
  const pipeNs = stepNs('pipe');
  const mapNs = stepNs('map');
  const count = keys?.count.toLocaleString('en-US') ?? '';
  const keyed =
    keys === undefined
      ? ''
      : keys.type === 'number'
        ? `keyBy(x % ${count}) → `
        : `keyBy('key-' + x % ${count}) → `;
  return {
    title: `pipe step: source → ${keyed}pipe(map(f)) → sink (whole pipelines)`,
    unit: 'record',
    units: records,
    ms: median(times.get('pipe') ?? []),
    baseline: `source → ${keyed}map(f) → sink`,
    baselineUnits: records,
    baselineMs: median(times.get('map') ?? []),
    ratio: pairedRatio(times, { id: 'pipe', units: records }, { id: 'map', units: records }),
    note:
      `CPU time; the ratio compares whole pipelines (source and sink included). The steps alone (each pipeline minus ` +
      `source → ${keyed}sink in the same round, median): pipe(map(f)) ${formatStep(pipeNs)}/record, built-in ` +
      `map(f) ${formatStep(mapNs)}/record (the built-in step is compiled into the fused chain and costs a few ` +
      `ns at most, within the noise, so the steps alone are compared in ns rather than as a ratio)` +
      `${keys === undefined ? '' : `; each key runs its own RxJS chain${keys.type === 'string' ? ' (string keys: the step finds it in a Map)' : ''}`}.`,
  };
}

function formatStep(ns: number): string {
  return `${ns.toFixed(1)} ns`;
}
