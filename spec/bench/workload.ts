import type { Observable } from 'rxjs';
import { JobManager, LocalEnvironment } from '../../src/index.js';

/** What a sink saw: how many records and the sum of one numeric field, compared between engine and RxJS. */
export interface Outcome {
  count: number;
  sum: number;
}

/** Heap held per unit of work (a key, a finished job), in bytes, read after a full collection. */
export interface HeapFigures {
  /** What one unit is: `key`, `finished job`. */
  readonly per: string;
  readonly engineBytes: number;
  /** The same for the plain-RxJS side, when it holds anything comparable. */
  readonly rxjsBytes?: number;
}

/**
 * One benchmark workload at one size: the same work done by the engine and by plain RxJS, each resolving
 * with what its sink saw, plus the outcome both must produce.
 *
 * @example
 * ```ts
 * const w = mapFilterWorkload(1000);
 * expect(await w.engine()).to.deep.equal(w.expected);
 * ```
 */
export interface Workload {
  /** Row label in the table, e.g. `a. map → filter → sink`. */
  readonly title: string;
  /** Records per run. */
  readonly records: number;
  /** Said after the record count in the table, e.g. `1,000 keys`. */
  readonly detail?: string;
  /** `latency` workloads report the median time of one run instead of a rate (default `throughput`). */
  readonly kind?: 'throughput' | 'latency';
  /** What the sink must see. */
  readonly expected: Outcome;
  /** One engine run: builds a fresh environment, submits with `autostop`, resolves with the sink's outcome. */
  engine(): Promise<Outcome>;
  /** The same work in plain RxJS, in the same process (or the baseline `baseline` names). */
  rxjs(): Promise<Outcome>;
  /**
   * What the baseline side runs when it is not plain RxJS (e.g. `Map in the function`: the same pipeline with
   * a `Map` held by the function instead of `ctx.state`); shown next to its figures.
   */
  readonly baseline?: string;
  /** Untimed set-up, once before the first run (e.g. filling a JobManager with finished jobs). */
  prepare?(): Promise<void>;
  /** Measures the heap the work holds, once after the timed runs (needs `--expose-gc` to be exact). */
  heap?(): Promise<HeapFigures>;
}

/**
 * A fresh, silent local environment with its own JobManager, so that benchmark jobs never accumulate.
 *
 * @example
 * ```ts
 * const env = benchEnvironment('bench-a');
 * ```
 */
export function benchEnvironment(name: string): LocalEnvironment {
  return new LocalEnvironment(name, { jobManager: new JobManager(), logLevel: 'silent' });
}

/**
 * A mutable outcome plus the sink function that fills it.
 *
 * @example
 * ```ts
 * const { outcome, add } = tally();
 * [1, 2].forEach(add); // outcome = { count: 2, sum: 3 }
 * ```
 */
export function tally(): { outcome: Outcome; add: (x: number) => void } {
  const outcome: Outcome = { count: 0, sum: 0 };
  return {
    outcome,
    add: (x: number) => {
      outcome.count++;
      outcome.sum += x;
    },
  };
}

/**
 * Subscribes to `source` and resolves, on completion, with the count and sum of the numbers it emitted.
 *
 * @example
 * ```ts
 * const outcome = await drain(from([1, 2, 3])); // { count: 3, sum: 6 }
 * ```
 */
export function drain(source: Observable<number>): Promise<Outcome> {
  const { outcome, add } = tally();
  return new Promise((resolve, reject) => {
    source.subscribe({
      next: add,
      error: reject,
      complete: () => {
        resolve(outcome);
      },
    });
  });
}
