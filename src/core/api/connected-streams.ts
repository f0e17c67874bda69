import type { Observer, OperatorFunction } from 'rxjs';
import { CoMapArityError } from '../../errors/co-map-arity-error.js';
import { InvalidFunctionError } from '../../errors/invalid-function-error.js';
import { JoinArityError } from '../../errors/join-arity-error.js';
import { UnkeyedJoinError } from '../../errors/unkeyed-join-error.js';
import { CoMapTransformation, type CoMapLike } from '../transformation/co-map-transformation.js';
import type { ExecuteLike } from '../transformation/function-factory.js';
import { JoinTransformation, type JoinLike } from '../transformation/join-transformation.js';
import { KeyByTransformation } from '../transformation/key-by-transformation.js';
import type { Transformation } from '../transformation/transformation.js';
import type { BaseEnvironment } from './base-environment.js';
import type { CoMapHandlersOf, CoMapOutput, HandlersOutput } from './co-map-types.js';
import { buildMap, buildSink, printer, type RawOptions } from './chain-builder.js';
import type { ChainOptions, ClassOptionsArg, Constructor } from './chain-options.js';
import { DataStream, type KeyByOptions } from './data-stream.js';
import { buildPipe, type PipeOptions } from './pipe-builder.js';
import { BaseCoMapFunction } from './function/co-map-function.js';
import type { JoinCombiner } from './function/join/inner-hash-join.js';
import type { JoinClass, PairJoinClass } from './function/join/pair-join-class.js';
import { BaseJoinFunction } from './function/join-function.js';
import { KeyByFunction } from './function/key-by-function.js';
import type { MapFunction, MapResult } from './function/map-function.js';
import type { SinkFunction } from './function/sink-function.js';
import { isClass, toFactory } from './function/to-factory.js';

/** One coMap handler per input, typed by that input's record type. */
export type CoMapHandlers<T extends readonly unknown[], R> = { [I in keyof T]: (data: T[I]) => MapResult<R> };

/** One key selector per input, typed by that input's record type. */
export type KeySelectors<T extends readonly unknown[]> = { [I in keyof T]: (data: T[I]) => unknown };

/**
 * Several streams connected side by side; the input index of a record is the position of its stream in the
 * connect chain. `map`, `sink` and `print` see the union of all inputs; `coMap` handles each input with its
 * own handler; `keyBy` keys the inputs so that equal keys from different inputs meet on one instance;
 * `join` joins exactly two keyed inputs. End of stream waits for every instance of every input.
 *
 * @example
 * ```ts
 * const users = env.fromBatch(userList).keyBy((u) => u.id);
 * const orders = env.fromBatch(orderList).keyBy((o) => o.userId);
 * users.connect(orders).join(InnerHashJoin).sink((pair) => console.log(pair));
 * ```
 */
export class ConnectedStreams<T extends readonly unknown[]> {
  constructor(
    readonly environment: BaseEnvironment,
    /** The connected streams, in input order. */
    readonly streams: readonly DataStream<unknown>[],
  ) {}

  /**
   * Appends another input.
   *
   * @example
   * ```ts
   * a.connect(b).connect(c); // three inputs: 0, 1, 2
   * ```
   */
  connect<U>(other: DataStream<U>): ConnectedStreams<[...T, U]> {
    if (!(other instanceof DataStream)) {
      throw new InvalidFunctionError('connect', 'a DataStream', other);
    }
    return new ConnectedStreams<[...T, U]>(this.environment, [...this.streams, other]);
  }

  /**
   * Maps the union of all inputs with one function.
   *
   * @example
   * ```ts
   * a.connect(b).map((x) => x * 10);
   * ```
   */
  map<R>(fn: (data: T[number]) => MapResult<R>, options?: ChainOptions): DataStream<R>;
  map<R, A extends unknown[]>(
    fn: Constructor<MapFunction<T[number], R>, A>,
    ...options: ClassOptionsArg<A>
  ): DataStream<R>;
  map<R>(fn: unknown, options?: RawOptions): DataStream<R> {
    return new DataStream<R>(this.environment, buildMap(this.environment, this.inputs(), fn, options));
  }

  /**
   * Runs RxJS operators as one step over the union of all inputs: once per parallel instance when the inputs
   * are not all hash-keyed, once **per key** when they are (after `keyBy`), so the chain of a key sees that key's
   * records from every input, in arrival order, and its outputs keep the key and its hash partitioning. The
   * chains' inputs complete once every input ended. A trailing plain object holds the options (`parallelism`
   * defaults to the largest of the inputs'). To tell the inputs apart, tag them first (`coMap`) and pipe the
   * tagged stream.
   *
   * @example
   * ```ts
   * clicks.connect(views).pipe(bufferCount(100)); // batches of both, mixed
   * a.connect(b).keyBy([(x) => x.user, (y) => y.user]).pipe(scan((n) => n + 1, 0)); // events per user, both inputs
   * ```
   */
  pipe<A>(op1: OperatorFunction<T[number], A>): DataStream<A>;
  pipe<A, B>(op1: OperatorFunction<T[number], A>, op2: OperatorFunction<A, B>): DataStream<B>;
  pipe<A, B, C>(
    op1: OperatorFunction<T[number], A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
  ): DataStream<C>;
  pipe<A, B, C, D>(
    op1: OperatorFunction<T[number], A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
  ): DataStream<D>;
  pipe<A, B, C, D, E>(
    op1: OperatorFunction<T[number], A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
  ): DataStream<E>;
  pipe<A, B, C, D, E, F>(
    op1: OperatorFunction<T[number], A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
    op6: OperatorFunction<E, F>,
  ): DataStream<F>;
  pipe<A, B, C, D, E, F, G>(
    op1: OperatorFunction<T[number], A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
    op6: OperatorFunction<E, F>,
    op7: OperatorFunction<F, G>,
  ): DataStream<G>;
  pipe<A, B, C, D, E, F, G, H>(
    op1: OperatorFunction<T[number], A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
    op6: OperatorFunction<E, F>,
    op7: OperatorFunction<F, G>,
    op8: OperatorFunction<G, H>,
  ): DataStream<H>;
  pipe<A, B, C, D, E, F, G, H, I>(
    op1: OperatorFunction<T[number], A>,
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
  pipe<A>(op1: OperatorFunction<T[number], A>, options: PipeOptions | undefined): DataStream<A>;
  pipe<A, B>(
    op1: OperatorFunction<T[number], A>,
    op2: OperatorFunction<A, B>,
    options: PipeOptions | undefined,
  ): DataStream<B>;
  pipe<A, B, C>(
    op1: OperatorFunction<T[number], A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    options: PipeOptions | undefined,
  ): DataStream<C>;
  pipe<A, B, C, D>(
    op1: OperatorFunction<T[number], A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    options: PipeOptions | undefined,
  ): DataStream<D>;
  pipe<A, B, C, D, E>(
    op1: OperatorFunction<T[number], A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
    options: PipeOptions | undefined,
  ): DataStream<E>;
  pipe<A, B, C, D, E, F>(
    op1: OperatorFunction<T[number], A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
    op6: OperatorFunction<E, F>,
    options: PipeOptions | undefined,
  ): DataStream<F>;
  pipe<A, B, C, D, E, F, G>(
    op1: OperatorFunction<T[number], A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
    op6: OperatorFunction<E, F>,
    op7: OperatorFunction<F, G>,
    options: PipeOptions | undefined,
  ): DataStream<G>;
  pipe<A, B, C, D, E, F, G, H>(
    op1: OperatorFunction<T[number], A>,
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
    op1: OperatorFunction<T[number], A>,
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
    return new DataStream(this.environment, buildPipe(this.environment, this.inputs(), args));
  }

  /**
   * Writes the union of all inputs to a sink function, class or Observer.
   *
   * @example
   * ```ts
   * a.connect(b).sink((x) => { out.push(x); });
   * ```
   */
  sink(fn: ((data: T[number]) => unknown) | Partial<Observer<T[number]>>, options?: ChainOptions): this;
  sink<A extends unknown[]>(
    fn: Constructor<SinkFunction<T[number]>, A>,
    ...options: ClassOptionsArg<A>
  ): this;
  sink(fn: unknown, options?: RawOptions): this {
    buildSink(this.environment, this.inputs(), fn, options);
    return this;
  }

  /**
   * Prints the union of all inputs.
   *
   * @example
   * ```ts
   * a.connect(b).print('both: ');
   * ```
   */
  print(prefix = '', options?: ChainOptions): this {
    buildSink(this.environment, this.inputs(), printer(prefix), options);
    return this;
  }

  /**
   * Handles each input with its own handler: a `BaseCoMapFunction` class with `map0` … `map{n-1}`, or an
   * array of n functions. A missing handler makes this call throw CoMapArityError (and fails type-checking).
   * The output type is the union of what the handlers return (Promises awaited, Observables flattened,
   * `undefined` dropped): `map0(x: A): X` and `map1(y: B): Y` give a `DataStream<X | Y>`.
   *
   * @example
   * ```ts
   * temp.connect(humidity).coMap([(t) => `t=${t}`, (h) => `h=${h}`]);
   * temp.connect(humidity).coMap(Tag, { parallelism: 2 });
   * ```
   */
  coMap<H extends CoMapHandlers<T, unknown>>(
    handlers: H,
    options?: ChainOptions,
  ): DataStream<HandlersOutput<H>>;
  coMap<C extends BaseCoMapFunction & CoMapHandlersOf<T>, A extends unknown[] = []>(
    fn: Constructor<C, A>,
    ...options: ClassOptionsArg<A>
  ): DataStream<CoMapOutput<C, T>>;
  coMap<R>(fn: unknown, options?: RawOptions): DataStream<R> {
    const n = this.streams.length;
    let factory;
    if (Array.isArray(fn)) {
      if (fn.length !== n || !fn.every((f) => typeof f === 'function')) {
        throw new CoMapArityError(n, `got ${String(fn.length)} handlers (all must be functions)`);
      }
      const handlers = fn as ((data: unknown) => unknown)[];
      factory = {
        label: 'coMap',
        create: (): CoMapLike => {
          const object: Record<string, unknown> = {};
          handlers.forEach((h, i) => {
            object[`map${String(i)}`] = h;
          });
          return object as CoMapLike;
        },
      };
    } else {
      if (!isClass(fn) || !((fn.prototype as unknown) instanceof BaseCoMapFunction)) {
        throw new InvalidFunctionError('coMap', 'a BaseCoMapFunction class or an array of functions', fn);
      }
      const proto = fn.prototype as Record<string, unknown>;
      const missing: string[] = [];
      for (let i = 0; i < n; i++)
        if (typeof proto[`map${String(i)}`] !== 'function') missing.push(`map${String(i)}`);
      if (missing.length > 0) throw new CoMapArityError(n, `${fn.name} lacks ${missing.join(', ')}`);
      factory = toFactory<CoMapLike>('coMap', fn, BaseCoMapFunction, options?.args);
    }
    const init = this.environment.operatorInit('coMap', fn, options, this.inputs());
    const t = new CoMapTransformation(init, factory);
    this.environment.addTransformation(t);
    return new DataStream<R>(this.environment, t);
  }

  /**
   * Keys every input, with one selector for all or one per input; equal keys from different inputs meet on
   * one instance downstream, where `ctx.getKey()` returns the key.
   *
   * @example
   * ```ts
   * users.connect(orders).keyBy([(u) => u.id, (o) => o.userId]).join(InnerHashJoin);
   * ```
   */
  keyBy(fn: ((data: T[number]) => unknown) | KeySelectors<T>, options?: KeyByOptions): ConnectedStreams<T>;
  keyBy<A extends unknown[]>(
    fn: Constructor<KeyByFunction<T[number], unknown>, A>,
    ...options: ClassOptionsArg<A> | [options?: KeyByOptions & { args?: A }]
  ): ConnectedStreams<T>;
  keyBy(fn: unknown, options?: KeyByOptions & { args?: unknown[] }): ConnectedStreams<T> {
    const n = this.streams.length;
    if (Array.isArray(fn) && fn.length !== n) {
      throw new InvalidFunctionError('keyBy', `one key selector per input (${String(n)})`, fn);
    }
    const strategy = options?.strategy ?? 'hash';
    const keyed = this.streams.map((stream, i) => {
      const selector: unknown = Array.isArray(fn) ? (fn[i] as unknown) : fn;
      const env = this.environment;
      const opts = { parallelism: stream.transformation.parallelism, ...options };
      delete opts.name;
      const init = env.operatorInit('keyBy', selector, opts, [stream.transformation]);
      const factory = toFactory<ExecuteLike>('keyBy', selector, KeyByFunction, options?.args);
      const t = new KeyByTransformation(init, factory, strategy);
      env.addTransformation(t);
      return new DataStream<unknown>(env, t);
    });
    return new ConnectedStreams<T>(this.environment, keyed);
  }

  /**
   * Joins exactly two hash-keyed inputs: `execute(payload, key, tag)` (or the function) gets each record with its
   * key and input index, and returns an item, a list of items, or `undefined`. Ready-made joins:
   * `InnerHashJoin` and `WindowedJoin`. The output type follows the join: `[L, R]` pairs of the two inputs for
   * a ready-made join without a combiner, the combiner's result with one (its parameters are typed by the
   * inputs), the `O` of a `BaseJoinFunction<I, O>` class, or what a join function returns.
   *
   * @example
   * ```ts
   * const both = users.keyBy((u) => u.id).connect(orders.keyBy((o) => o.userId));
   * both.join(InnerHashJoin, { parallelism: 2 }); // DataStream<[User, Order]>
   * both.join(InnerHashJoin, { args: [(u, o) => `${u.name}: ${o.item}`] }); // DataStream<string>
   * both.join(WindowedJoin, { args: [60_000] }); // DataStream<[User, Order]>
   * ```
   */
  join<R>(
    fn: (payload: T[number], key: unknown, tag: number) => R | R[] | undefined,
    options?: ChainOptions,
  ): DataStream<R>;
  join<F extends JoinClass, O, P extends unknown[] = []>(
    fn: F & NoInfer<PairJoinClass<T[0], T[1], O, P>>,
    options: ChainOptions & { args: [...P, JoinCombiner<T[0], T[1], O>] },
  ): DataStream<O>;
  join<F extends JoinClass, P extends unknown[] = []>(
    fn: F & NoInfer<PairJoinClass<T[0], T[1], [T[0], T[1]], P>>,
    options?: ChainOptions & { args?: [...P] },
  ): DataStream<[T[0], T[1]]>;
  join<R, A extends unknown[]>(
    fn: Constructor<BaseJoinFunction<T[number], R>, A>,
    ...options: ClassOptionsArg<A>
  ): DataStream<R>;
  join<R>(fn: unknown, options?: RawOptions): DataStream<R> {
    if (this.streams.length !== 2) throw new JoinArityError(this.streams.length);
    this.streams.forEach((s, i) => {
      if (s.transformation.partitioning !== 'hash') throw new UnkeyedJoinError(i);
    });
    const factory = toFactory<JoinLike>('join', fn, BaseJoinFunction, options?.args);
    const init = this.environment.operatorInit('join', fn, options, this.inputs());
    const t = new JoinTransformation(init, factory);
    this.environment.addTransformation(t);
    return new DataStream<R>(this.environment, t);
  }

  private inputs(): Transformation[] {
    return this.streams.map((s) => s.transformation);
  }
}
