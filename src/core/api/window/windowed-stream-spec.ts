import { AllowedLatenessError } from '../../../errors/allowed-lateness-error.js';
import { WindowMergeError } from '../../../errors/window-merge-error.js';
import type { AggregateFunction } from '../../../kernel/runtime/state/aggregate-function.js';
import { CountEvictor } from './count-evictor.js';
import { CountTrigger } from './count-trigger.js';
import type { Evictor } from './evictor.js';
import type { GlobalWindow } from './global-window.js';
import { GlobalWindows } from './global-windows.js';
import type { ProcessWindowFunction } from './process-window-function.js';
import { PurgingTrigger } from './purging-trigger.js';
import type { Trigger } from './trigger.js';
import type { Window } from './window.js';
import type { WindowAssigner } from './window-assigner.js';
import { positiveSize } from './window-arguments.js';
import type { ProcessWindowFn, ReduceFunction, WindowFunction } from './window-function.js';

/** A `ProcessWindowFunction` class; the runtime builds one object per parallel instance. */
export type ProcessWindowFunctionClass<IN, OUT, K, W extends Window> = new (
  ...args: never[]
) => ProcessWindowFunction<IN, OUT, K, W>;

/**
 * What a windowed stream computes when a window fires: `reduce` and `aggregate` fold records into an
 * accumulator as they arrive (then the optional `windowFn` sees the one result); `process` sees every record.
 *
 * @example
 * ```ts
 * const fn: WindowFunctionSpec<number, number, string, TimeWindow> = { kind: 'reduce', reduce: (a, b) => a + b };
 * ```
 */
export type WindowFunctionSpec<IN, OUT, K, W extends Window> =
  | {
      readonly kind: 'reduce';
      readonly reduce: ReduceFunction<IN>;
      readonly windowFn?: WindowFunction<IN, OUT, K, W> | undefined;
    }
  | {
      readonly kind: 'aggregate';
      readonly aggregate: AggregateFunction<IN, unknown, unknown>;
      readonly windowFn?: WindowFunction<unknown, OUT, K, W> | undefined;
    }
  | {
      readonly kind: 'process';
      readonly process:
        | ProcessWindowFunction<IN, OUT, K, W>
        | ProcessWindowFunctionClass<IN, OUT, K, W>
        | ProcessWindowFn<IN, OUT, K, W>;
    };

/**
 * The complete description of a windowed step (what `.window(…)…reduce(…)` asked for): plain data and user
 * functions, no runtime. The runtime turns it into a `WindowOperator` per parallel instance.
 *
 * @example
 * ```ts
 * const spec = WindowedStreamSpecBuilder.window<number, string>(TumblingEventTimeWindows.of(1_000))
 *   .allowedLateness(500)
 *   .reduce((a, b) => a + b);
 * spec.trigger; // the assigner's default: an EventTimeTrigger
 * ```
 */
export interface WindowedStreamSpec<IN, OUT, K, W extends Window> {
  readonly assigner: WindowAssigner<W>;
  readonly trigger: Trigger<IN, W>;
  readonly evictor: Evictor<IN, W> | undefined;
  /** Milliseconds of lateness accepted after a window's end (event time only; 0 by default). */
  readonly allowedLateness: number;
  /** The side output late records go to (the `OutputTag` of `sideOutputLateData`), if any. */
  readonly lateTag: unknown;
  readonly fn: WindowFunctionSpec<IN, OUT, K, W>;
}

/**
 * Builds a `WindowedStreamSpec` step by step, checking every argument at the call, as `WindowedStream` does:
 * `window(assigner)` or `countWindow(size, slide?)`, then optionally `trigger`, `evictor`, `allowedLateness`,
 * `sideOutputLateData`, and last the window function (`reduce`, `aggregate` or `process`).
 *
 * @example
 * ```ts
 * const spec = WindowedStreamSpecBuilder.window<Click, string>(EventTimeSessionWindows.withGap(60_000))
 *   .sideOutputLateData(lateTag)
 *   .aggregate({ createAccumulator: () => 0, add: (_c, n) => n + 1, getResult: (n) => n, merge: (a, b) => a + b });
 * ```
 */
export class WindowedStreamSpecBuilder<IN, K = unknown, W extends Window = Window> {
  private triggerOf: Trigger<IN, W>;
  private evictorOf: Evictor<IN, W> | undefined;
  private lateness = 0;
  private tag: unknown;

  private constructor(readonly assigner: WindowAssigner<W>) {
    this.triggerOf = assigner.defaultTrigger();
  }

  /** Windows placed by `assigner`, with its default trigger. */
  static window<IN, K = unknown, W extends Window = Window>(
    assigner: WindowAssigner<W>,
  ): WindowedStreamSpecBuilder<IN, K, W> {
    return new WindowedStreamSpecBuilder<IN, K, W>(assigner);
  }

  /**
   * Count windows (Flink's `countWindow`): without `slide`, a result every `size` records of a key, each from the
   * next `size` records; with `slide`, a result every `slide` records over the last `size` records.
   */
  static countWindow<IN, K = unknown>(
    size: number,
    slide?: number,
  ): WindowedStreamSpecBuilder<IN, K, GlobalWindow> {
    positiveSize('countWindow', 'size', size, 'records');
    const builder = new WindowedStreamSpecBuilder<IN, K, GlobalWindow>(GlobalWindows.create());
    if (slide === undefined) return builder.trigger(PurgingTrigger.of(CountTrigger.of(size)));
    positiveSize('countWindow', 'slide', slide, 'records');
    return builder.trigger(CountTrigger.of(slide)).evictor(CountEvictor.of(size));
  }

  /** Replaces the assigner's default trigger: a `Trigger` object, or a `Trigger` class without arguments. */
  trigger<S>(trigger: Trigger<IN, W, S> | (new () => Trigger<IN, W, S>)): this {
    const t: Trigger<IN, W, S> = typeof trigger === 'function' ? new trigger() : trigger;
    if (this.assigner.isMerging() && !t.canMerge()) {
      throw new WindowMergeError(
        `${t.constructor.name} cannot merge windows, which session windows need: use a trigger whose canMerge() ` +
          'is true (EventTimeTrigger, ProcessingTimeTrigger, CountTrigger) or implement canMerge() and onMerge()',
      );
    }
    this.triggerOf = t;
    return this;
  }

  /** Removes records from a window when it fires (the window then keeps its records, not an accumulator). */
  evictor(evictor: Evictor<IN, W>): this {
    this.evictorOf = evictor;
    return this;
  }

  /**
   * Keeps event-time windows for `ms` after the watermark passed their end: a record arriving then fires the
   * window again with it; later records are late (dropped, or sent to `sideOutputLateData`).
   */
  allowedLateness(ms: number): this {
    if (!(Number.isFinite(ms) && ms >= 0)) {
      throw new AllowedLatenessError(
        `allowedLateness needs a number of milliseconds ≥ 0, got ${String(ms)}: pass how long after a window's end records are still accepted`,
      );
    }
    if (ms > 0 && !this.assigner.isEventTime()) {
      throw new AllowedLatenessError(
        `allowedLateness applies to event-time windows only, and ${this.assigner.constructor.name} does not ` +
          'follow the watermark: use an event-time assigner (e.g. TumblingEventTimeWindows) or drop allowedLateness',
      );
    }
    this.lateness = ms;
    return this;
  }

  /** Sends late records (those no window accepts any more) to the side output `tag` instead of dropping them. */
  sideOutputLateData(tag: unknown): this {
    this.tag = tag;
    return this;
  }

  /** Folds each window's records with `fn` as they arrive; `windowFn` (optional) turns the result into the output. */
  reduce(fn: ReduceFunction<IN>): WindowedStreamSpec<IN, IN, K, W>;
  reduce<OUT>(
    fn: ReduceFunction<IN>,
    windowFn: WindowFunction<IN, OUT, K, W>,
  ): WindowedStreamSpec<IN, OUT, K, W>;
  reduce<OUT>(
    fn: ReduceFunction<IN>,
    windowFn?: WindowFunction<IN, OUT, K, W>,
  ): WindowedStreamSpec<IN, OUT, K, W> | WindowedStreamSpec<IN, IN, K, W> {
    return this.build<OUT>({ kind: 'reduce', reduce: fn, windowFn });
  }

  /**
   * Folds each window's records into an accumulator as they arrive (`add(value, acc)` returns the new
   * accumulator); `getResult` (then the optional `windowFn`) gives the output. Session windows need `merge`.
   */
  aggregate<ACC, R>(aggregate: AggregateFunction<IN, ACC, R>): WindowedStreamSpec<IN, R, K, W>;
  aggregate<ACC, R, OUT>(
    aggregate: AggregateFunction<IN, ACC, R>,
    windowFn: WindowFunction<R, OUT, K, W>,
  ): WindowedStreamSpec<IN, OUT, K, W>;
  aggregate<ACC, R, OUT>(
    aggregate: AggregateFunction<IN, ACC, R>,
    windowFn?: WindowFunction<R, OUT, K, W>,
  ): WindowedStreamSpec<IN, OUT, K, W> | WindowedStreamSpec<IN, R, K, W> {
    if (this.assigner.isMerging() && aggregate.merge === undefined) {
      throw new WindowMergeError(
        'session windows merge their accumulators: give the aggregate a merge(a, b) function that combines two accumulators',
      );
    }
    return this.build<OUT>({
      kind: 'aggregate',
      aggregate: aggregate,
      windowFn: windowFn as WindowFunction<unknown, OUT, K, W> | undefined,
    });
  }

  /** Gives every record of a window to `fn` when it fires: a `ProcessWindowFunction` class or object, or a function. */
  process<OUT>(
    fn:
      | ProcessWindowFunction<IN, OUT, K, W>
      | ProcessWindowFunctionClass<IN, OUT, K, W>
      | ProcessWindowFn<IN, OUT, K, W>,
  ): WindowedStreamSpec<IN, OUT, K, W> {
    return this.build<OUT>({ kind: 'process', process: fn });
  }

  private build<OUT>(fn: WindowFunctionSpec<IN, OUT, K, W>): WindowedStreamSpec<IN, OUT, K, W> {
    return Object.freeze({
      assigner: this.assigner,
      trigger: this.triggerOf,
      evictor: this.evictorOf,
      allowedLateness: this.lateness,
      lateTag: this.tag,
      fn,
    });
  }
}
