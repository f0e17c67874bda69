import { InvalidParallelismError } from '../../../errors/invalid-parallelism-error.js';
import type { AggregateFunction } from '../../../kernel/runtime/state/aggregate-function.js';
import type { Transformation } from '../../transformation/transformation.js';
import { WindowTransformation } from '../../transformation/window-transformation.js';
import type { BaseEnvironment } from '../base-environment.js';
import type { ChainOptions } from '../chain-options.js';
import { DataStream } from '../data-stream.js';
import type { OutputTag } from '../time/output-tag.js';
import type { Evictor } from './evictor.js';
import type { ProcessWindowFunction } from './process-window-function.js';
import type { Trigger } from './trigger.js';
import type { Window } from './window.js';
import type { ProcessWindowFn, ReduceFunction, WindowFunction } from './window-function.js';
import {
  WindowedStreamSpecBuilder,
  type ProcessWindowFunctionClass,
  type WindowedStreamSpec,
} from './windowed-stream-spec.js';

/**
 * A keyed stream cut into windows (Flink's `WindowedStream`), made by `keyed.window(assigner)`,
 * `keyed.countWindow(size, slide?)` or `stream.windowAll(assigner)`. Configure it with `trigger`, `evictor`,
 * `allowedLateness` and `sideOutputLateData`, then give the window function (`reduce`, `aggregate` or
 * `process`), which returns the stream of results; each result carries its window's `end - 1` as timestamp.
 * Late records sent to `sideOutputLateData(tag)` are read with `result.getSideOutput(tag)`.
 *
 * @example
 * ```ts
 * const late = new OutputTag<Click>('late');
 * const counts = clicks
 *   .keyBy((c) => c.page)
 *   .window(TumblingEventTimeWindows.of(60_000))
 *   .allowedLateness(10_000)
 *   .sideOutputLateData(late)
 *   .aggregate(countClicks, (page, window, n) => ({ page, start: window.start, n: n[0] }));
 * counts.getSideOutput(late).print('late: ');
 * ```
 */
export class WindowedStream<T, K = unknown, W extends Window = Window> {
  /** Held with its types erased, so a `DataStream<T>` stays assignable to a `DataStream<unknown>`. */
  private readonly builder: ErasedBuilder;

  /** @internal */
  constructor(
    private readonly environment: BaseEnvironment,
    private readonly input: Transformation,
    builder: WindowedStreamSpecBuilder<T, K, W>,
    /** True for `windowAll`: the step runs at parallelism 1. */
    private readonly all: boolean,
  ) {
    this.builder = builder;
  }

  /**
   * Replaces the assigner's default trigger (`EventTimeTrigger`, `ProcessingTimeTrigger`, `CountTrigger.of(n)`,
   * `PurgingTrigger.of(t)`, `DeltaTrigger.of(…)`, or your own `Trigger` object or class).
   *
   * @example
   * ```ts
   * keyed.window(GlobalWindows.create()).trigger(CountTrigger.of(100)).reduce((a, b) => a + b);
   * ```
   */
  trigger<S>(trigger: Trigger<T, W, S> | (new () => Trigger<T, W, S>)): this {
    typed<T, K, W>(this.builder).trigger(trigger);
    return this;
  }

  /**
   * Removes records from a window when it fires (`CountEvictor.of(n)`, `TimeEvictor.of(ms)`,
   * `DeltaEvictor.of(t, fn)`); the window then keeps its records rather than an accumulator.
   *
   * @example
   * ```ts
   * keyed.window(GlobalWindows.create()).trigger(CountTrigger.of(10)).evictor(CountEvictor.of(3)).process(fn);
   * ```
   */
  evictor(evictor: Evictor<T, W>): this {
    typed<T, K, W>(this.builder).evictor(evictor);
    return this;
  }

  /**
   * Keeps event-time windows for `ms` after the watermark passed their end: a record arriving then fires its
   * window again; later records are late (dropped, or sent to `sideOutputLateData`).
   *
   * @example
   * ```ts
   * keyed.window(TumblingEventTimeWindows.of(60_000)).allowedLateness(10_000).reduce(sum);
   * ```
   */
  allowedLateness(ms: number): this {
    typed<T, K, W>(this.builder).allowedLateness(ms);
    return this;
  }

  /**
   * Sends late records to the side output `tag` instead of dropping them; read them with
   * `result.getSideOutput(tag)`.
   *
   * @example
   * ```ts
   * const late = new OutputTag<Sale>('late');
   * const sums = keyed.window(TumblingEventTimeWindows.of(3_600_000)).sideOutputLateData(late).reduce(add);
   * sums.getSideOutput(late).sink((s) => console.log('late', s));
   * ```
   */
  sideOutputLateData(tag: OutputTag<T>): this {
    typed<T, K, W>(this.builder).sideOutputLateData(tag);
    return this;
  }

  /**
   * Folds each window's records with `fn` as they arrive; the optional `windowFn(key, window, [result])` turns
   * the result into the output.
   *
   * @example
   * ```ts
   * keyed.window(TumblingEventTimeWindows.of(1_000)).reduce((a, b) => a + b);
   * ```
   */
  reduce(fn: ReduceFunction<T>, windowFn?: undefined, options?: ChainOptions): DataStream<T>;
  reduce<OUT>(
    fn: ReduceFunction<T>,
    windowFn: WindowFunction<T, OUT, K, W>,
    options?: ChainOptions,
  ): DataStream<OUT>;
  reduce<OUT>(
    fn: ReduceFunction<T>,
    windowFn?: WindowFunction<T, OUT, K, W>,
    options?: ChainOptions,
  ): DataStream<OUT> | DataStream<T> {
    const spec =
      windowFn === undefined
        ? typed<T, K, W>(this.builder).reduce(fn)
        : typed<T, K, W>(this.builder).reduce<OUT>(fn, windowFn);
    return this.finish<OUT>(spec, 'reduce', options);
  }

  /**
   * Folds each window's records into an accumulator as they arrive (`add(value, acc)` returns the new one);
   * `getResult` (then the optional `windowFn`) gives the output. Session windows need `merge`.
   *
   * @example
   * ```ts
   * keyed.window(EventTimeSessionWindows.withGap(30_000))
   *   .aggregate({ createAccumulator: () => 0, add: (_c, n) => n + 1, getResult: (n) => n, merge: (a, b) => a + b });
   * ```
   */
  aggregate<ACC, R>(
    aggregate: AggregateFunction<T, ACC, R>,
    windowFn?: undefined,
    options?: ChainOptions,
  ): DataStream<R>;
  aggregate<ACC, R, OUT>(
    aggregate: AggregateFunction<T, ACC, R>,
    windowFn: WindowFunction<R, OUT, K, W>,
    options?: ChainOptions,
  ): DataStream<OUT>;
  aggregate<ACC, R, OUT>(
    aggregate: AggregateFunction<T, ACC, R>,
    windowFn?: WindowFunction<R, OUT, K, W>,
    options?: ChainOptions,
  ): DataStream<OUT> | DataStream<R> {
    const spec =
      windowFn === undefined
        ? typed<T, K, W>(this.builder).aggregate(aggregate)
        : typed<T, K, W>(this.builder).aggregate(aggregate, windowFn);
    return this.finish<OUT>(spec, 'aggregate', options);
  }

  /**
   * Gives every record of a window to `fn` when it fires: a `ProcessWindowFunction` class or object, or a
   * function `(key, window, elements) => results`.
   *
   * @example
   * ```ts
   * keyed.window(EventTimeSessionWindows.withGap(60_000)).process((user, w, clicks) => [{ user, n: clicks.length }]);
   * ```
   */
  process<OUT>(
    fn:
      | ProcessWindowFunction<T, OUT, K, W>
      | ProcessWindowFunctionClass<T, OUT, K, W>
      | ProcessWindowFn<T, OUT, K, W>,
    options?: ChainOptions,
  ): DataStream<OUT> {
    return this.finish(typed<T, K, W>(this.builder).process<OUT>(fn), 'process', options);
  }

  private finish<OUT>(spec: object, what: string, options: ChainOptions | undefined): DataStream<OUT> {
    return buildWindow<OUT>(this.environment, this.input, this.all, spec, what, options);
  }
}

/** The builder as the class stores it (see `WindowedStream.builder`). */
type ErasedBuilder = object;

function typed<T, K, W extends Window>(builder: ErasedBuilder): WindowedStreamSpecBuilder<T, K, W> {
  return builder as WindowedStreamSpecBuilder<T, K, W>;
}

/** Adds the window step of `spec` after `input` and returns its stream. */
function buildWindow<OUT>(
  environment: BaseEnvironment,
  input: Transformation,
  all: boolean,
  spec: object,
  what: string,
  options: ChainOptions | undefined,
): DataStream<OUT> {
  const operator = all ? 'windowAll' : 'window';
  if (all && options?.parallelism !== undefined && options.parallelism !== 1) {
    throw new InvalidParallelismError(
      `${operator}(…).${what} (windowAll runs at parallelism 1)`,
      options.parallelism,
    );
  }
  const init = environment.operatorInit(
    operator,
    undefined,
    { parallelism: all ? 1 : input.parallelism, ...options },
    [input],
  );
  const t = new WindowTransformation(init, spec as WindowedStreamSpec<unknown, unknown, unknown, Window>);
  environment.addTransformation(t);
  return new DataStream<OUT>(environment, t);
}
