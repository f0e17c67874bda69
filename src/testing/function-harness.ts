import { asyncScheduler, defer, type Observable, type SchedulerLike } from 'rxjs';
import type { DataStream } from '../core/api/data-stream.js';
import type { BaseFunction } from '../core/api/function/base-function.js';
import type { FilterFunction } from '../core/api/function/filter-function.js';
import type { FlatMapFunction } from '../core/api/function/flat-map-function.js';
import type { KeyByFunction } from '../core/api/function/key-by-function.js';
import type { MapFunction } from '../core/api/function/map-function.js';
import type { SinkFunction } from '../core/api/function/sink-function.js';
import type { LocalEnvironmentConfig } from '../core/api/local-environment.js';
import type { KeyStrategy } from '../core/transformation/key-by-transformation.js';
import { JobStateError } from '../errors/job-state-error.js';
import type { JobStatus } from '../kernel/jobmanager/job-status.js';
import type { ErrorPolicy } from '../kernel/runtime/error-policy.js';
import type { OperatorStats } from '../kernel/runtime/metrics/operator-stats.js';
import { instanceForKey } from '../kernel/runtime/key/key-group.js';
import { TestEnvironment } from './test-environment.js';

/** What a keyBy harness emits for each record: the record, the key it was given, and the instance it reached. */
export interface KeyedRecord<T, K> {
  readonly value: T;
  readonly key: K;
  /** Parallel index of the downstream instance the record was routed to. */
  readonly instance: number;
}

/** Options of every harness. */
export interface HarnessOptions<I, A extends unknown[]> {
  /** Arguments of the function class's constructor (each instance gets a fresh object). */
  readonly args?: A;
  /** Keys the input (`'hash'`) before the function, so `ctx.getKey()` and keyed state see this key. */
  readonly key?: (record: I) => unknown;
  /** Instances of the function (default 1); keyed records reach the instance their key hashes to. */
  readonly parallelism?: number;
  /** What a throw does (default `'skip'`, as in production). */
  readonly errorPolicy?: ErrorPolicy;
  /** The scheduler the job runs on (default `asyncScheduler`, virtual under `TestScheduler.run`). */
  readonly scheduler?: SchedulerLike;
  /** Any other environment configuration (`highWaterMark`, custom keys read by the function, …). */
  readonly config?: LocalEnvironmentConfig;
}

/** Options of a keyBy harness. */
export interface KeyByHarnessOptions<I, A extends unknown[]> extends Omit<HarnessOptions<I, A>, 'key'> {
  /** Routing of the keyed records to the `parallelism` downstream instances (default `'hash'`). */
  readonly strategy?: KeyStrategy;
}

type FunctionClass<F, A extends unknown[]> = new (...args: A) => F;
type AnyStream = DataStream<unknown>;
type Apply = (
  input: AnyStream,
  fn: FunctionClass<BaseFunction, unknown[]>,
  options: ApplyOptions,
) => AnyStream;
interface ApplyOptions {
  readonly args: unknown[];
  readonly parallelism: number;
  readonly name: string;
  readonly strategy: KeyStrategy;
}

/** The record type a function class's `execute` takes. */
export type InputOf<F> = F extends { execute(data: infer D): unknown } ? D : never;
type Settled<R> = R extends Observable<infer V> ? V : R extends PromiseLike<infer V> ? V : R;
/** The records a map function class emits (its result, awaited or flattened, without `undefined`). */
export type MapOutputOf<F> = F extends { execute(data: never): infer R }
  ? Exclude<Settled<R>, undefined | void>
  : never;
/** The records a flatMap function class emits. */
export type FlatMapOutputOf<F> = F extends { takeCollected(): readonly (infer O)[] | undefined } ? O : never;
/** The key a keyBy function class returns. */
export type KeyOf<F> = F extends { execute(data: never): infer K } ? K : never;

/**
 * Runs one function class (map, filter, flatMap, keyBy or sink) against an input Observable — a marble
 * diagram under `TestScheduler.run` — on the real engine: a one-operator job `fromObservable → [keyBy] →
 * function → toObservable`, so `ctx`, the key, keyed routing, error policies and async results behave exactly
 * as in production. `run()` returns the function's output; `instances` are the function objects of the
 * latest run, for inspecting their state. Like Flink's operator test harnesses, without a cluster.
 *
 * @example
 * ```ts
 * class RunningSum extends MapFunction<number, number> {
 *   readonly sums = new Map<unknown, number>();
 *   execute(x: number) {
 *     const sum = (this.sums.get(this.ctx.getKey()) ?? 0) + x;
 *     this.sums.set(this.ctx.getKey(), sum);
 *     return sum;
 *   }
 * }
 * await runMarbles(({ cold, expectObservable }) => {
 *   const harness = FunctionHarness.map(RunningSum, { key: (x) => x % 2 });
 *   expectObservable(harness.run(cold('-a-b-c|', { a: 1, b: 2, c: 3 }))).toBe('-a-b-c|', { a: 1, b: 2, c: 4 });
 * });
 * ```
 */
export class FunctionHarness<I, O, F extends BaseFunction> {
  private created: F[] = [];
  private env: TestEnvironment | undefined;

  private constructor(
    private readonly fn: FunctionClass<F, unknown[]>,
    private readonly options: HarnessOptions<I, unknown[]> & { readonly strategy?: KeyStrategy },
    private readonly apply: Apply,
  ) {}

  /**
   * A harness for a `MapFunction` class: emits each result (awaited or flattened; `undefined` drops).
   *
   * @example
   * ```ts
   * const harness = FunctionHarness.map(Scale, { args: [10] });
   * ```
   */
  static map<F extends MapFunction<never, unknown>, A extends unknown[]>(
    fn: FunctionClass<F, A>,
    options: HarnessOptions<InputOf<F>, A> = {},
  ): FunctionHarness<InputOf<F>, MapOutputOf<F>, F> {
    return FunctionHarness.create(fn, options, (input, cls, o) =>
      input.map(cls as FunctionClass<MapFunction<unknown, unknown>, unknown[]>, {
        args: o.args,
        name: o.name,
        parallelism: o.parallelism,
      }),
    );
  }

  /**
   * A harness for a `FilterFunction` class: emits the records it keeps.
   *
   * @example
   * ```ts
   * const harness = FunctionHarness.filter(Even);
   * ```
   */
  static filter<F extends FilterFunction<never>, A extends unknown[]>(
    fn: FunctionClass<F, A>,
    options: HarnessOptions<InputOf<F>, A> = {},
  ): FunctionHarness<InputOf<F>, InputOf<F>, F> {
    return FunctionHarness.create(fn, options, (input, cls, o) =>
      input.filter(cls as FunctionClass<FilterFunction<unknown>, unknown[]>, {
        args: o.args,
        name: o.name,
        parallelism: o.parallelism,
      }),
    );
  }

  /**
   * A harness for a `FlatMapFunction` class: emits the returned items, then the collected ones, per record.
   *
   * @example
   * ```ts
   * const harness = FunctionHarness.flatMap(Words);
   * ```
   */
  static flatMap<F extends FlatMapFunction<never, unknown>, A extends unknown[]>(
    fn: FunctionClass<F, A>,
    options: HarnessOptions<InputOf<F>, A> = {},
  ): FunctionHarness<InputOf<F>, FlatMapOutputOf<F>, F> {
    return FunctionHarness.create(fn, options, (input, cls, o) =>
      input.flatMap(cls as FunctionClass<FlatMapFunction<unknown, unknown>, unknown[]>, {
        args: o.args,
        name: o.name,
        parallelism: o.parallelism,
      }),
    );
  }

  /**
   * A harness for a `KeyByFunction` class: emits `{ value, key, instance }` per record and per instance it is
   * routed to, over `parallelism` downstream instances with the given `strategy`.
   *
   * @example
   * ```ts
   * const harness = FunctionHarness.keyBy(ByUser, { parallelism: 2, strategy: 'broadcast' });
   * ```
   */
  static keyBy<F extends KeyByFunction<never, unknown>, A extends unknown[]>(
    fn: FunctionClass<F, A>,
    options: KeyByHarnessOptions<InputOf<F>, A> = {},
  ): FunctionHarness<InputOf<F>, KeyedRecord<InputOf<F>, KeyOf<F>>, F> {
    return FunctionHarness.create(fn, options, (input, cls, o) =>
      input
        .keyBy(cls as FunctionClass<KeyByFunction<unknown, unknown>, unknown[]>, {
          args: o.args,
          name: o.name,
          strategy: o.strategy,
        })
        .map(tagWithKey, { name: 'keyed', parallelism: o.parallelism }),
    );
  }

  /**
   * A harness for a `SinkFunction` class: emits each record as it reaches the sink and completes when the job
   * completes (after the sink's `close()`); inspect what the sink did through `instances`.
   *
   * @example
   * ```ts
   * const harness = FunctionHarness.sink(Store);
   * ```
   */
  static sink<F extends SinkFunction<never>, A extends unknown[]>(
    fn: FunctionClass<F, A>,
    options: HarnessOptions<InputOf<F>, A> = {},
  ): FunctionHarness<InputOf<F>, InputOf<F>, F> {
    return FunctionHarness.create(fn, options, (input, cls, o) =>
      input.sink(cls as FunctionClass<SinkFunction<unknown>, unknown[]>, {
        args: o.args,
        name: o.name,
        parallelism: o.parallelism,
      }),
    );
  }

  private static create<I, O, F extends BaseFunction, A extends unknown[]>(
    fn: FunctionClass<F, A>,
    options: HarnessOptions<I, A> & { readonly strategy?: KeyStrategy },
    apply: Apply,
  ): FunctionHarness<I, O, F> {
    return new FunctionHarness<I, O, F>(fn as unknown as FunctionClass<F, unknown[]>, options, apply);
  }

  /** The function objects of the latest run, one per parallel instance, in instance order. */
  get instances(): readonly F[] {
    return this.created;
  }

  /**
   * Runs the function over `input`: each subscription submits a fresh job (wired synchronously inside the
   * subscription) and emits the function's output; it completes when the job completes and errors when it
   * fails (error policy `'fail'`).
   *
   * @example
   * ```ts
   * expectObservable(harness.run(cold('-a-b|', { a: 1, b: 2 }))).toBe('-x-y|', { x: 10, y: 20 });
   * ```
   */
  run(input: Observable<I>): Observable<O> {
    return defer(() => {
      const options = this.options;
      const env = new TestEnvironment(options.scheduler ?? asyncScheduler, 'harness', {
        ...options.config,
        ...(options.errorPolicy !== undefined ? { errorPolicy: options.errorPolicy } : {}),
      });
      const created: F[] = [];
      this.created = created;
      this.env = env;
      let stream: AnyStream = env.fromObservable(input);
      const key = options.key as ((record: unknown) => unknown) | undefined;
      if (key !== undefined) stream = stream.keyBy(key, { name: 'key' });
      const output = this.apply(stream, capturing(this.fn, created), {
        args: options.args ?? [],
        parallelism: options.parallelism ?? 1,
        name: this.fn.name === '' ? 'function' : this.fn.name,
        strategy: options.strategy ?? 'hash',
      });
      return output.toObservable() as Observable<O>;
    });
  }

  /**
   * The function object that handled records of `key` in the latest run (keyed input routes each key to one
   * instance). This is the seam for keyed state: read the key's state through this instance.
   *
   * @example
   * ```ts
   * expect(harness.instanceFor('u1').sums.get('u1')).to.equal(7);
   * ```
   */
  instanceFor(key: unknown): F {
    const all = this.created;
    const instance = all.length === 1 ? all[0] : all[instanceForKey(key, all.length)];
    if (instance === undefined) {
      throw new JobStateError(
        'FunctionHarness.instanceFor: no run has started yet; subscribe to run(input) first',
      );
    }
    return instance;
  }

  /**
   * The job status of the latest run (status, error message, per-operator counts).
   *
   * @example
   * ```ts
   * expect(harness.status().status).to.equal('completed');
   * ```
   */
  status(): JobStatus {
    if (this.env === undefined) {
      throw new JobStateError(
        'FunctionHarness.status: no run has started yet; subscribe to run(input) first',
      );
    }
    return this.env.lastJob();
  }

  /**
   * The counters of the function under test in the latest run (records in and out, dropped, errors).
   *
   * @example
   * ```ts
   * expect(harness.stats().errors).to.equal(1);
   * ```
   */
  stats(): OperatorStats {
    const name = this.fn.name === '' ? 'function' : this.fn.name;
    const stats = this.status().operators.find((o) => o.operator === name);
    if (stats === undefined)
      throw new JobStateError(`FunctionHarness.stats: operator ${name} is not in the job`);
    return stats;
  }
}

/** A subclass of `fn` that records every object the runtime builds from it (a class, as the API expects). */
function capturing<F extends BaseFunction>(
  fn: FunctionClass<F, unknown[]>,
  into: F[],
): FunctionClass<BaseFunction, unknown[]> {
  const Base = fn as unknown as new (...args: unknown[]) => BaseFunction;
  return class Captured extends Base {
    constructor(...args: unknown[]) {
      super(...args);
      into.push(this as unknown as F);
    }
  };
}

function tagWithKey(
  this: MapFunction<unknown, KeyedRecord<unknown, unknown>>,
  value: unknown,
): KeyedRecord<unknown, unknown> {
  return { value, key: this.ctx.getKey(), instance: this.ctx.parallelIndex };
}
