import { from, groupBy, map, mergeMap } from 'rxjs';
import type { DataStream } from '../../src/index.js';
import { benchEnvironment, drain, tally, type Outcome, type Workload } from './workload.js';

const double = (x: number): number => x * 2;

/** What the right-hand column of a `pipe(map)` row runs: the engine's built-in `map`, or plain RxJS. */
export type PipeMapBaseline = 'built-in map' | 'RxJS';

/**
 * Workloads (j): `n` numbers through an RxJS `map` run as a `pipe` step → sink, unkeyed or (with `keys`) after
 * `keyBy(x % keys)`, so that the step runs one chain per key. The right-hand column is either the same pipeline
 * with the built-in `map` step (what the issue's "at most 2× a built-in map" compares), or plain RxJS doing the
 * same work (`from(xs).pipe(map(f))`, keyed: `groupBy` + `mergeMap` of a `map` per group). Each row times its
 * two sides in the same process, so the bench shows pipe ÷ built-in and pipe ÷ RxJS in one run. These rows time
 * whole pipelines (source and sink included); the cost rows of `pipe-step-cost.ts` give the steps alone.
 *
 * @example
 * ```ts
 * const w = pipeMapWorkload(100_000, 'built-in map', 1_000);
 * await w.engine();
 * ```
 */
export function pipeMapWorkload(n: number, baseline: PipeMapBaseline, keys?: number): Workload {
  const numbers = Array.from({ length: n }, (_, i) => i);
  const expected: Outcome = { count: n, sum: numbers.reduce((s, x) => s + double(x), 0) };
  const keyOf = (x: number): number => x % (keys ?? 1);
  const keyed = keys === undefined ? '' : 'keyBy → ';
  const run = async (name: string, step: (s: DataStream<number>) => DataStream<number>): Promise<Outcome> => {
    const env = benchEnvironment(name);
    const { outcome, add } = tally();
    const source = env.fromBatch(numbers);
    step(keys === undefined ? source : source.keyBy(keyOf)).sink(add);
    await env.submit({ autostop: true });
    return outcome;
  };
  return {
    title: `j. ${keyed}pipe(map(f)) → sink, vs ${baseline === 'RxJS' ? 'plain RxJS' : 'built-in map(f) → sink'} (whole pipelines)`,
    records: n,
    detail: `${keys === undefined ? '' : `${keys.toLocaleString('en-US')} keys, `}right column: ${baseline}`,
    expected,
    engine: () => run('bench-pipe-map', (s) => s.pipe(map(double))),
    rxjs:
      baseline === 'built-in map'
        ? () => run('bench-builtin-map', (s) => s.map(double))
        : () =>
            drain(
              keys === undefined
                ? from(numbers).pipe(map(double))
                : from(numbers).pipe(
                    groupBy(keyOf),
                    mergeMap((group) => group.pipe(map(double))),
                  ),
            ),
  };
}
