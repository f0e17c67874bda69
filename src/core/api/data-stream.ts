import { Observable, type Observer, type OperatorFunction } from 'rxjs';
import { FutureError } from '../../errors/future-error.js';
import { FutureTransformation } from '../transformation/future-transformation.js';
import { FilterTransformation } from '../transformation/filter-transformation.js';
import { FlatMapTransformation } from '../transformation/flat-map-transformation.js';
import type { ExecuteLike, FlatMapLike } from '../transformation/function-factory.js';
import { KeyByTransformation, type KeyStrategy } from '../transformation/key-by-transformation.js';
import { SinkTransformation } from '../transformation/sink-transformation.js';
import type { Transformation } from '../transformation/transformation.js';
import type { BaseEnvironment } from './base-environment.js';
import type { ChainOptions, ClassOptionsArg, Constructor } from './chain-options.js';
import { FilterFunction } from './function/filter-function.js';
import { FlatMapFunction, type FlatMapResult } from './function/flat-map-function.js';
import { KeyByFunction } from './function/key-by-function.js';
import type { MapFunction, MapResult } from './function/map-function.js';
import { InvalidFunctionError } from '../../errors/invalid-function-error.js';
import { StateAccessError } from '../../errors/state-access-error.js';
import type { SinkFunction } from './function/sink-function.js';
import { toFactory } from './function/to-factory.js';
import { buildMap, buildSink, printer } from './chain-builder.js';
import { ConnectedStreams } from './connected-streams.js';
import { buildPipe, type PipeOptions } from './pipe-builder.js';
import { buildTimestamps } from './time/build-timestamps.js';
import type { OutputTag } from './time/output-tag.js';
import { buildProcess, buildSideOutput } from './process-builder.js';
import type { KeyedProcessFunction } from './function/keyed-process-function.js';
import type { ProcessFunction, ProcessResult } from './function/process-function.js';
import type { WatermarkStrategy } from './time/watermark-strategy.js';
import { UnkeyedWindowError } from '../../errors/unkeyed-window-error.js';
import type { GlobalWindow } from './window/global-window.js';
import type { Window } from './window/window.js';
import type { WindowAssigner } from './window/window-assigner.js';
import { WindowedStream } from './window/windowed-stream.js';
import { JoinedStreams } from './window/joined-streams.js';
import { IntervalJoin } from './window/interval-join.js';
import { WindowedStreamSpecBuilder } from './window/windowed-stream-spec.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';

/** Options of `keyBy`. */
export interface KeyByOptions extends ChainOptions {
  /** Routing at the next hop: `'hash'` (default), `'broadcast'` or `'round-robin'`. */
  strategy?: KeyStrategy;
}

/**
 * A stream of records of type `T`, as declared: each chain method adds one transformation to the
 * environment's pipeline and returns the stream it produces. Nothing runs until `env.submit()`. Calling
 * several chain methods on one stream fans out: every consumer receives every record.
 *
 * @example
 * ```ts
 * env.fromBatch([1, 2, 3, 4, 5])
 *   .map((x) => x * 2)
 *   .filter((x) => x !== 4)
 *   .sink((x) => console.log(x));
 * await env.submit({ autostop: true });
 * ```
 */
export class DataStream<T> {
  constructor(
    /** The environment the stream belongs to. */
    readonly environment: BaseEnvironment,
    /** The transformation producing this stream. */
    readonly transformation: Transformation,
  ) {}

  /**
   * 1 → 1: the function's result goes on; `undefined` drops the record; a Promise is awaited; an Observable is
   * flattened.
   *
   * @example
   * ```ts
   * stream.map((x) => x * 2);
   * stream.map(Enrich, { parallelism: 4, args: [lookupTable] });
   * ```
   */
  map<R>(fn: (data: T) => MapResult<R>, options?: ChainOptions): DataStream<R>;
  map<R, A extends unknown[]>(
    fn: Constructor<MapFunction<T, R>, A>,
    ...options: ClassOptionsArg<A>
  ): DataStream<R>;
  map<R>(fn: unknown, options?: ChainOptions & { args?: unknown[] }): DataStream<R> {
    return new DataStream<R>(
      this.environment,
      buildMap(this.environment, [this.transformation], fn, options),
    );
  }

  /**
   * Keeps the records for which the function returns a truthy value (or a Promise of one).
   *
   * @example
   * ```ts
   * stream.filter((x) => x % 2 === 0);
   * ```
   */
  filter(fn: (data: T) => unknown, options?: ChainOptions): DataStream<T>;
  filter<A extends unknown[]>(
    fn: Constructor<FilterFunction<T>, A>,
    ...options: ClassOptionsArg<A>
  ): DataStream<T>;
  filter(fn: unknown, options?: ChainOptions & { args?: unknown[] }): DataStream<T> {
    const init = this.environment.operatorInit('filter', fn, options, [this.transformation]);
    const factory = toFactory<ExecuteLike>('filter', fn, FilterFunction, options?.args);
    return this.add<T>(new FilterTransformation(init, factory));
  }

  /**
   * 1 → N: the items of the returned iterable first, then those passed to `this.collect(item)`.
   *
   * @example
   * ```ts
   * lines.flatMap((line) => line.split(' '));
   * ```
   */
  flatMap<R>(fn: (data: T) => FlatMapResult<R>, options?: ChainOptions): DataStream<R>;
  flatMap<R, A extends unknown[]>(
    fn: Constructor<FlatMapFunction<T, R>, A>,
    ...options: ClassOptionsArg<A>
  ): DataStream<R>;
  flatMap<R>(fn: unknown, options?: ChainOptions & { args?: unknown[] }): DataStream<R> {
    const init = this.environment.operatorInit('flatMap', fn, options, [this.transformation]);
    const factory = toFactory<FlatMapLike>('flatMap', fn, FlatMapFunction, options?.args);
    return this.add<R>(new FlatMapTransformation(init, factory));
  }

  /**
   * Runs RxJS operators as one step: once per parallel instance on an unkeyed stream, once **per key** on a
   * hash-keyed stream (outputs keep the key and its hash partitioning). At the end of input each chain's input
   * completes and what it emits while completing flows on. A chain its operators complete earlier (`take(n)`,
   * `first()`) ends its key, or unkeyed its instance: later records there are dropped, as in RxJS. A trailing
   * plain object holds the options (`parallelism` defaults to the input's). The operators' state is not
   * checkpointed.
   *
   * @example
   * ```ts
   * readings.keyBy((r) => r.sensor).pipe(debounceTime(100), map((r) => r.value));
   * stream.pipe(bufferCount(10), { name: 'batches' });
   * ```
   */
  pipe<A>(op1: OperatorFunction<T, A>): DataStream<A>;
  pipe<A, B>(op1: OperatorFunction<T, A>, op2: OperatorFunction<A, B>): DataStream<B>;
  pipe<A, B, C>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
  ): DataStream<C>;
  pipe<A, B, C, D>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
  ): DataStream<D>;
  pipe<A, B, C, D, E>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
  ): DataStream<E>;
  pipe<A, B, C, D, E, F>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
    op6: OperatorFunction<E, F>,
  ): DataStream<F>;
  pipe<A, B, C, D, E, F, G>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
    op6: OperatorFunction<E, F>,
    op7: OperatorFunction<F, G>,
  ): DataStream<G>;
  pipe<A, B, C, D, E, F, G, H>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
    op6: OperatorFunction<E, F>,
    op7: OperatorFunction<F, G>,
    op8: OperatorFunction<G, H>,
  ): DataStream<H>;
  pipe<A, B, C, D, E, F, G, H, I>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
    op6: OperatorFunction<E, F>,
    op7: OperatorFunction<F, G>,
    op8: OperatorFunction<G, H>,
    op9: OperatorFunction<H, I>,
  ): DataStream<I>;
  // Options come in overloads of their own, after all the ones without: TypeScript types each operator
  // argument once, with the first overload whose arity fits, so `pipe(distinctUntilChanged(), pairwise())`
  // must meet the two-operator overload before one whose second parameter is the options.
  /* eslint-disable @typescript-eslint/unified-signatures -- merged, they would lose that inference */
  pipe<A>(op1: OperatorFunction<T, A>, options: PipeOptions | undefined): DataStream<A>;
  pipe<A, B>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    options: PipeOptions | undefined,
  ): DataStream<B>;
  pipe<A, B, C>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    options: PipeOptions | undefined,
  ): DataStream<C>;
  pipe<A, B, C, D>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    options: PipeOptions | undefined,
  ): DataStream<D>;
  pipe<A, B, C, D, E>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
    options: PipeOptions | undefined,
  ): DataStream<E>;
  pipe<A, B, C, D, E, F>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
    op6: OperatorFunction<E, F>,
    options: PipeOptions | undefined,
  ): DataStream<F>;
  pipe<A, B, C, D, E, F, G>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
    op6: OperatorFunction<E, F>,
    op7: OperatorFunction<F, G>,
    options: PipeOptions | undefined,
  ): DataStream<G>;
  pipe<A, B, C, D, E, F, G, H>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
    op6: OperatorFunction<E, F>,
    op7: OperatorFunction<F, G>,
    op8: OperatorFunction<G, H>,
    options: PipeOptions | undefined,
  ): DataStream<H>;
  pipe<A, B, C, D, E, F, G, H, I>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
    op6: OperatorFunction<E, F>,
    op7: OperatorFunction<F, G>,
    op8: OperatorFunction<G, H>,
    op9: OperatorFunction<H, I>,
    options: PipeOptions | undefined,
  ): DataStream<I>;
  /* eslint-enable @typescript-eslint/unified-signatures */
  pipe(...args: unknown[]): DataStream<unknown> {
    return new DataStream(this.environment, buildPipe(this.environment, [this.transformation], args));
  }

  /**
   * Gives each record its event time and emits watermarks as `strategy` says (Flink's
   * `assignTimestampsAndWatermarks`): timestamps then travel with the records through every later step, and
   * watermarks flow in-band; each instance's watermark is the minimum over its active inputs. Watermarks from
   * upstream stop here (except `+Infinity`, the end of a bounded input). Parallelism defaults to the input's.
   *
   * @example
   * ```ts
   * clicks.assignTimestampsAndWatermarks(
   *   WatermarkStrategy.forBoundedOutOfOrderness<Click>(5_000).withTimestampAssigner((c) => c.ts),
   * );
   * ```
   */
  assignTimestampsAndWatermarks(strategy: WatermarkStrategy<T>, options?: ChainOptions): DataStream<T> {
    return new DataStream<T>(
      this.environment,
      buildTimestamps(this.environment, this.transformation, strategy, options),
    );
  }

  /**
   * The lowest-level step (Flink's `process`): a `ProcessFunction` (any stream) or a `KeyedProcessFunction`
   * (hash-keyed streams: keyed state and timers) class, or a plain `function (value)` run as a ProcessFunction.
   * `processElement` returns or collects outputs, which inherit the record's key and timestamp;
   * `this.ctx.output(tag, x)` feeds `getSideOutput(tag)`; `finish()` may emit at the end of input. A
   * KeyedProcessFunction on a stream that is not hash-keyed throws UnkeyedTimerError. Parallelism defaults to
   * the input's.
   *
   * @example
   * ```ts
   * readings.keyBy((r) => r.sensor).process(SilenceAlert, { args: [5_000] });
   * ```
   */
  process<R>(
    fn: (this: ProcessFunction<T, R>, value: T) => ProcessResult<R>,
    options?: ChainOptions,
  ): DataStream<R>;
  process<R, A extends unknown[]>(
    fn: Constructor<ProcessFunction<T, R> | KeyedProcessFunction<unknown, T, R>, A>,
    ...options: ClassOptionsArg<A>
  ): DataStream<R>;
  process<R>(fn: unknown, options?: ChainOptions & { args?: unknown[] }): DataStream<R> {
    return new DataStream<R>(
      this.environment,
      buildProcess(this.environment, this.transformation, fn, options),
    );
  }

  /**
   * The values a process function sent to side output `tag` with `this.ctx.output(tag, value)`, as a stream of
   * its own (with their keys and timestamps). Only a stream made by `process(...)` has side outputs.
   *
   * @example
   * ```ts
   * const late = new OutputTag<Click>('late');
   * clicks.keyBy((c) => c.page).process(Dedupe).getSideOutput(late).print('late: ');
   * ```
   */
  getSideOutput<X>(tag: OutputTag<X>): DataStream<X> {
    return new DataStream<X>(this.environment, buildSideOutput(this.environment, this.transformation, tag));
  }

  /**
   * Cuts a hash-keyed stream into windows per key (Flink's `window`): `TumblingEventTimeWindows.of(size)`,
   * `SlidingEventTimeWindows.of(size, slide)`, `EventTimeSessionWindows.withGap(ms)`, their processing-time
   * counterparts, or `GlobalWindows.create()` with a trigger. Finish with `reduce`, `aggregate` or `process`.
   * Throws UnkeyedWindowError on a stream that is not hash-keyed (use `windowAll` there).
   *
   * @example
   * ```ts
   * clicks.keyBy((c) => c.page).window(TumblingEventTimeWindows.of(60_000)).reduce((a, b) => a + b);
   * ```
   */
  window<W extends Window, K = unknown>(assigner: WindowAssigner<W>): WindowedStream<T, K, W> {
    this.requireKeyed(`window(${describeAssigner(assigner)})`);
    return new WindowedStream<T, K, W>(
      this.environment,
      this.transformation,
      WindowedStreamSpecBuilder.window<T, K, W>(assigner),
      false,
    );
  }

  /**
   * Count windows per key of a hash-keyed stream: without `slide`, a result for every `size` records of a key;
   * with `slide`, a result every `slide` records over the key's last `size` records. Throws UnkeyedWindowError
   * on a stream that is not hash-keyed.
   *
   * @example
   * ```ts
   * readings.keyBy((r) => r.sensor).countWindow(10).aggregate(average);
   * ```
   */
  countWindow<K = unknown>(size: number, slide?: number): WindowedStream<T, K, GlobalWindow> {
    this.requireKeyed('countWindow');
    return new WindowedStream<T, K, GlobalWindow>(
      this.environment,
      this.transformation,
      WindowedStreamSpecBuilder.countWindow<T, K>(size, slide),
      false,
    );
  }

  /**
   * Windows over the whole stream (Flink's `windowAll`), keyed or not: every record goes to one instance
   * (parallelism 1), whose windows see them all.
   *
   * @example
   * ```ts
   * env.fromBatch(sales).assignTimestampsAndWatermarks(strategy)
   *   .windowAll(TumblingEventTimeWindows.of(3_600_000))
   *   .aggregate(total);
   * ```
   */
  windowAll<W extends Window>(assigner: WindowAssigner<W>): WindowedStream<T, unknown, W> {
    const keyed = this.keyBy(allRecordsKey);
    return new WindowedStream<T, unknown, W>(
      this.environment,
      keyed.transformation,
      WindowedStreamSpecBuilder.window<T, unknown, W>(assigner),
      true,
    );
  }

  /**
   * A window join with `other` (Flink's `join`): `.where(fa).equalTo(fb).window(assigner).apply((a, b) => r)`
   * pairs records of both streams with equal keys in the same window.
   *
   * @example
   * ```ts
   * orders.join(payments).where((o) => o.id).equalTo((p) => p.order)
   *   .window(TumblingEventTimeWindows.of(60_000)).apply((o, p) => ({ ...o, paid: p.amount }));
   * ```
   */
  join<U>(other: DataStream<U>): JoinedStreams<T, U> {
    if (!(other instanceof DataStream)) throw new InvalidFunctionError('join', 'a DataStream', other);
    return new JoinedStreams<T, U>(this, other);
  }

  /**
   * An interval join of two hash-keyed streams (Flink's `intervalJoin`): `.between(lowerMs, upperMs)
   * .process((a, b) => r)` pairs each record of this stream at time `t` with the records of `other` of the same
   * key whose time is in `[t + lowerMs, t + upperMs]`. Throws UnkeyedWindowError unless both are hash-keyed.
   *
   * @example
   * ```ts
   * views.keyBy((v) => v.ad).intervalJoin(clicks.keyBy((c) => c.ad)).between(0, 60_000).process((v, c) => c.ts - v.ts);
   * ```
   */
  intervalJoin<U>(other: DataStream<U>): IntervalJoin<T, U> {
    if (!(other instanceof DataStream)) throw new InvalidFunctionError('intervalJoin', 'a DataStream', other);
    this.requireKeyed('intervalJoin');
    other.requireKeyed('intervalJoin (its argument)');
    return new IntervalJoin<T, U>(this, other);
  }

  private requireKeyed(call: string): void {
    if (this.transformation.partitioning === 'hash') return;
    throw new UnkeyedWindowError(
      `${call}: windows and joins are kept per key, and this stream (${this.transformation.name}) is not hash-keyed: ` +
        'call keyBy(...) first, or use windowAll(...) for windows over the whole stream',
    );
  }

  /**
   * Tags each record with `fn(record)`; the next hop routes by it. `'hash'` (default) sends each key to one
   * instance, and stays in force through later map/filter/flatMap steps until the next keyBy; `'broadcast'`
   * and `'round-robin'` apply to the next hop only. Parallelism defaults to the upstream's.
   *
   * @example
   * ```ts
   * words.keyBy((w) => w).map(CountWords, { parallelism: 4 });
   * ```
   */
  keyBy<K>(fn: (data: T) => K, options?: KeyByOptions): DataStream<T>;
  keyBy<K, A extends unknown[]>(
    fn: Constructor<KeyByFunction<T, K>, A>,
    ...options: ClassOptionsArg<A> | [options?: KeyByOptions & { args?: A }]
  ): DataStream<T>;
  keyBy(fn: unknown, options?: KeyByOptions & { args?: unknown[] }): DataStream<T> {
    const strategy: unknown = options?.strategy ?? 'hash';
    if (strategy !== 'hash' && strategy !== 'broadcast' && strategy !== 'round-robin') {
      throw new InvalidArgumentError(
        `keyBy: strategy must be 'hash', 'broadcast' or 'round-robin', got ${JSON.stringify(strategy)}`,
      );
    }
    const defaults = { parallelism: this.transformation.parallelism, ...options };
    const init = this.environment.operatorInit('keyBy', fn, defaults, [this.transformation]);
    const factory = toFactory<ExecuteLike>('keyBy', fn, KeyByFunction, options?.args);
    return this.add<T>(new KeyByTransformation(init, factory, strategy));
  }

  /**
   * Terminal: writes every record to a function, a `SinkFunction` class, or an RxJS Observer / Subject
   * (`next` per record, `complete()` once after its last instance, `error` if the job fails). Returns this
   * same stream, so more consumers can follow.
   *
   * @example
   * ```ts
   * const out: number[] = [];
   * stream.sink((x) => { out.push(x); });
   * stream.sink(subject);
   * ```
   */
  sink(fn: ((data: T) => unknown) | Partial<Observer<T>>, options?: ChainOptions): this;
  sink<A extends unknown[]>(fn: Constructor<SinkFunction<T>, A>, ...options: ClassOptionsArg<A>): this;
  sink(fn: unknown, options?: ChainOptions & { args?: unknown[] }): this {
    buildSink(this.environment, [this.transformation], fn, options);
    return this;
  }

  /**
   * Prints every record to standard output, after an optional prefix.
   *
   * @example
   * ```ts
   * stream.print('result: ');
   * ```
   */
  print(prefix = '', options?: ChainOptions): this {
    buildSink(this.environment, [this.transformation], printer(prefix), options);
    return this;
  }

  /**
   * The union of this stream and `others` (Flink's `union`): one stream with every record of each, in the
   * order each input delivers them. It stays hash-keyed when every input is.
   *
   * @example
   * ```ts
   * const all = clicksEu.union(clicksUs, clicksAsia);
   * ```
   */
  union(...others: DataStream<T>[]): DataStream<T> {
    for (const other of others) {
      if (!(other instanceof DataStream)) throw new InvalidFunctionError('union', 'DataStreams', other);
    }
    const unionOf = (data: T): T => data;
    return new DataStream<T>(
      this.environment,
      buildMap(
        this.environment,
        [this.transformation, ...others.map((o) => o.transformation)],
        Object.defineProperty(unionOf, 'name', { value: 'union' }),
        { parallelism: this.transformation.parallelism },
      ),
    );
  }

  /**
   * A running reduce per key (Flink's `KeyedStream.reduce`): on a hash-keyed stream, each record is folded
   * into its key's value with `fn(current, record)` (kept in keyed state, so it is checkpointed and moves with
   * its key group) and the new value is emitted. On a stream that is not hash-keyed it throws StateAccessError.
   *
   * @example
   * ```ts
   * orders.keyBy((o) => o.customer).reduce((a, b) => ({ ...a, total: a.total + b.total }));
   * ```
   */
  reduce(fn: (current: T, record: T) => T, options?: ChainOptions): DataStream<T> {
    if (typeof fn !== 'function')
      throw new InvalidFunctionError('reduce', 'a function (current, record) => next', fn);
    if (this.transformation.partitioning !== 'hash') {
      throw new StateAccessError(
        `reduce: ${this.transformation.name} is not hash-keyed; call keyBy(...) first (reduce runs per key)`,
      );
    }
    return this.map(
      function (this: MapFunction<T, T>, record: T): T {
        const state = this.ctx.state.reducing<T>('reduce', fn);
        state.add(record);
        return state.get() as T;
      },
      { parallelism: this.transformation.parallelism, ...options },
    );
  }

  /**
   * Connects this stream with another: the result has both as inputs (input index = position).
   *
   * @example
   * ```ts
   * temperature.connect(humidity).coMap([(t) => ({ t }), (h) => ({ h })]);
   * ```
   */
  connect<U>(other: DataStream<U>): ConnectedStreams<[T, U]> {
    return new ConnectedStreams<[T]>(this.environment, [this]).connect(other);
  }

  /**
   * Closes a feedback loop: the records of this stream flow back into `future` (made by `env.fromFuture`).
   * Filling a stream that is not a future, or a future twice, throws FutureError.
   *
   * @example
   * ```ts
   * const loop = env.fromFuture<number>('loop');
   * const all = env.fromBatch([0]).connect(loop).map((d) => d);
   * all.filter((d) => d < 5).map((d) => d + 1).fillFuture(loop);
   * ```
   */
  fillFuture(future: DataStream<T>): void {
    const target = (future as Partial<DataStream<T>> | null)?.transformation;
    if (!(target instanceof FutureTransformation)) {
      throw new FutureError(
        'fillFuture: the argument is not a future stream; create one with env.fromFuture(name)',
      );
    }
    if (future.environment !== this.environment) {
      throw new FutureError(`fillFuture: future '${target.name}' belongs to another environment`);
    }
    if (target.filled) {
      throw new FutureError(
        `fillFuture: future '${target.name}' is already filled; a future takes one stream`,
      );
    }
    target.fill(this.transformation);
  }

  /**
   * A cold Observable of the records reaching this point: each subscription submits the environment's job
   * (wired and started synchronously inside the subscription), completes when the job completes, errors when
   * it fails; unsubscribing stops the job.
   *
   * @example
   * ```ts
   * const doubled = await lastValueFrom(env.fromBatch([1, 2]).map((x) => x * 2).toObservable().pipe(toArray()));
   * ```
   */
  toObservable(): Observable<T> {
    return new Observable<T>((subscriber) => {
      const env = this.environment;
      const tap = new SinkTransformation(
        { name: env.uniqueName('toObservable'), parallelism: 1, inputs: [this.transformation] },
        { kind: 'observer', observer: subscriber as Observer<unknown>, completeWith: 'job' },
      );
      // The subscription submits the environment's job: like `submit`, it becomes the environment's current job
      // (its `jobId`, the job `callService` and `stop` reach).
      const owner = env as BaseEnvironment & { registered?: (uuid: string) => void };
      const info = env.jobManager.startJob({
        name: env.name,
        config: env.config,
        pipeline: [...env.pipeline, tap],
        services: env.services,
        registered: (uuid) => {
          owner.registered?.(uuid);
          // Before the job starts: a subscriber that unsubscribes while the start still runs (`take(n)` on a
          // synchronous source) stops the job at that record, as it would stop a plain RxJS source.
          subscriber.add(() => {
            env.jobManager.getJob(uuid)?.dispatcher.stop();
          });
        },
      });
      return () => {
        info.dispatcher.stop();
      };
    });
  }

  /** Adds a transformation to the environment and returns the stream it produces. */
  protected add<R>(t: Transformation): DataStream<R> {
    this.environment.addTransformation(t);
    return new DataStream<R>(this.environment, t);
  }
}

/** The one key of `windowAll`: every record gets it. */
function allRecordsKey(): number {
  return 0;
}

function describeAssigner(assigner: unknown): string {
  return assigner !== null && typeof assigner === 'object' ? assigner.constructor.name : String(assigner);
}
