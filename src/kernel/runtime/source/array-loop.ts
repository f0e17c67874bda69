import type { OperatorMetrics } from '../metrics/operator-metrics.js';
import type { Step } from '../step.js';

/** An array a source reads: its items and the index of the next item to emit. */
export interface ArrayCursor {
  readonly items: readonly unknown[];
  index: number;
}

/**
 * The instance an array loop runs in, as the loop sees it: `interrupted` is set when something happened during
 * a record that must stop the loop after it (an async hold, downstream pressure, a queued input).
 */
export interface LoopHost {
  readonly interrupted: boolean;
  /**
   * True when something reads the source's `out` counter while a record runs (a Redis stage's `ctx.recordId`
   * numbers a replayed source's records by it): the loop then counts each record as it goes, else when it
   * returns.
   */
  readonly countsEachRecord?: boolean;
}

/**
 * Emits `cursor.items[cursor.index]`, `…[cursor.index + 1]`, … up to `end` (excluded) into a chain, one record
 * at a time, while the host is not interrupted and the job is neither halted nor paused; `cursor.index` ends
 * past the last record emitted (also when a record throws).
 */
export type ArrayLoop = (cursor: ArrayCursor, end: number) => void;

/**
 * A step that can fuse an array source's pull loop with its own per-record code: the loop and the chain are
 * one function, so a record costs no call between the source and the chain.
 *
 * @example
 * ```ts
 * if (isArrayLoopStep(head)) loop = head.arrayLoop(task, sourceMetrics);
 * ```
 */
export interface ArrayLoopStep extends Step<unknown> {
  /** Builds the loop for `host`; `sourceMetrics` counts each record emitted as the source's output. */
  arrayLoop(host: LoopHost, sourceMetrics: OperatorMetrics): ArrayLoop;
}

/**
 * Whether a step can fuse an array source's loop with its chain.
 *
 * @example
 * ```ts
 * isArrayLoopStep({ next() {}, complete() {} }); // false
 * ```
 */
export function isArrayLoopStep(step: Step<unknown>): step is ArrayLoopStep {
  return typeof (step as Partial<ArrayLoopStep>).arrayLoop === 'function';
}
