import type { Observable } from 'rxjs';
import { InvalidFunctionError } from '../../errors/invalid-function-error.js';
import { InvalidParallelismError } from '../../errors/invalid-parallelism-error.js';
import { describeValue } from '../../errors/describe-value.js';
import { PipelineBuildError } from '../../errors/pipeline-build-error.js';
import type { JobConfig } from '../../kernel/jobmanager/job-config.js';
import { checkLogOptions } from '../../kernel/runtime/log/check-log-options.js';
import type { JobManager } from '../../kernel/jobmanager/job-manager.js';
import { checkErrorPolicy } from '../../kernel/runtime/error-policy.js';
import { MAX_MAX_PARALLELISM } from '../../kernel/runtime/key/key-group.js';
import { checkCheckpointing } from '../../kernel/runtime/checkpoint/check-checkpointing.js';
import { checkRestartStrategy, type RestartStrategy } from '../../kernel/runtime/restart/restart-strategy.js';
import type { ServiceDefinition } from '../../kernel/runtime/service/service-definition.js';
import type { ServiceOptions } from '../../kernel/runtime/service/service-options.js';
import { DEFAULT_PUSH_BUFFER, type OverflowPolicy } from '../../kernel/runtime/source/overflow-policy.js';
import { BatchTransformation, type BatchInput } from '../transformation/batch-transformation.js';
import type { PollLike } from '../transformation/function-factory.js';
import { FutureTransformation } from '../transformation/future-transformation.js';
import { ObservableTransformation } from '../transformation/observable-transformation.js';
import { SourceTransformation } from '../transformation/source-transformation.js';
import type { Transformation, TransformationInit } from '../transformation/transformation.js';
import type { ChainOptions, ClassOptionsArg, Constructor } from './chain-options.js';
import { DataStream } from './data-stream.js';
import { PipelineServiceFactory, type PipelineServiceBuilder } from './factory/pipeline-service-factory.js';
import { ServiceFactory } from './factory/service-factory.js';
import { BatchFunction } from './function/batch-function.js';
import { SourceFunction, type SourceResult } from './function/source-function.js';
import { isClass, toFactory } from './function/to-factory.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';

/** Options of `fromSource`. */
export interface SourceOptions extends ChainOptions {
  /** Milliseconds between polls that found nothing (default 10). */
  delay?: number;
}

/** Options of `fromObservable`. */
export interface ObservableSourceOptions extends Omit<ChainOptions, 'parallelism'> {
  /** Records held while downstream is busy or the job is paused (default 10,000). */
  bufferSize?: number;
  /** What happens when the buffer is full (default `'error'`: the job fails, nothing is lost silently). */
  overflow?: OverflowPolicy;
}

/**
 * What every environment shares: the name, the configuration, the logical plan (`pipeline`) and the source
 * methods that start a stream. Subclasses decide where `submit` sends the job.
 *
 * @example
 * ```ts
 * const env = new LocalEnvironment('demo', { errorPolicy: 'fail' });
 * env.fromBatch([1, 2, 3]).print();
 * ```
 */
export abstract class BaseEnvironment {
  /** The transformations declared so far, in order: the logical plan. */
  readonly pipeline: Transformation[] = [];
  /** A copy of the configuration passed in (unknown keys kept). */
  readonly config: Readonly<JobConfig>;
  private readonly names = new Set<string>();
  private readonly serviceDefinitions = new Map<string, ServiceDefinition>();

  constructor(
    readonly name = 'sage',
    config: JobConfig = {},
  ) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new InvalidArgumentError('An environment name must be a non-empty string');
    }
    const given: unknown = config;
    if (typeof given !== 'object' || given === null || Array.isArray(given)) {
      throw new InvalidArgumentError(
        `environment ${name}: config must be an object such as { errorPolicy: 'fail' }, got ${describeValue(given)}`,
      );
    }
    checkErrorPolicy(config.errorPolicy, `environment ${name}`);
    checkMaxParallelism(config.maxParallelism, `environment ${name}`);
    checkCheckpointing(config.checkpointing);
    if (config.restartStrategy !== undefined) checkRestartStrategy(config.restartStrategy);
    checkLogOptions(config, `environment ${name}`);
    this.config = { ...config };
  }

  /** The JobManager jobs of this environment go to. */
  abstract get jobManager(): JobManager;

  /**
   * Takes a consistent checkpoint of every job of this environment every `intervalMs` of the job's scheduler
   * (aligned barriers, Flink's model): keyed state, function state, source positions and the records on
   * feedback edges at the cut. `storage` is a directory (one file per checkpoint, written atomically, the last
   * `retained` kept, default 1) or, by default, the JobManager's memory. With checkpointing, a failure restarts
   * the job from its latest checkpoint (exponential-delay, 1 s doubling to 60 s, unless
   * `setRestartStrategy` says otherwise).
   *
   * @example
   * ```ts
   * env.enableCheckpointing(1_000, { storage: './checkpoints', retained: 3 });
   * ```
   */
  enableCheckpointing(intervalMs: number, options: { storage?: string; retained?: number } = {}): this {
    const checkpointing = checkCheckpointing({ intervalMs, ...options });
    (this.config as JobConfig).checkpointing = checkpointing;
    return this;
  }

  /**
   * What a failure does to this environment's jobs: `{ kind: 'none' }` (fail), `'fixed-delay'`,
   * `'exponential-delay'` or `'failure-rate'` (restart from the latest checkpoint with fresh function objects).
   *
   * @example
   * ```ts
   * env.setRestartStrategy({ kind: 'fixed-delay', attempts: 3, delayMs: 500 });
   * ```
   */
  setRestartStrategy(strategy: RestartStrategy): this {
    (this.config as JobConfig).restartStrategy = checkRestartStrategy(strategy);
    return this;
  }

  /**
   * A bounded source: an array, any Iterable, an AsyncIterable, or a `BatchFunction` class (`options.args` go
   * to its constructor). Anything else is a TypeError.
   *
   * @example
   * ```ts
   * env.fromBatch([1, 2, 3]);
   * env.fromBatch(readLines('data.txt'));       // AsyncIterable
   * env.fromBatch(Lines, { args: [['a', 'b']] }); // BatchFunction class
   * ```
   */
  fromBatch<T>(source: Iterable<T> | AsyncIterable<T>, options?: ChainOptions): DataStream<T>;
  fromBatch<T, A extends unknown[]>(
    source: Constructor<BatchFunction<T>, A>,
    ...options: ClassOptionsArg<A>
  ): DataStream<T>;
  fromBatch<T>(source: unknown, options?: ChainOptions & { args?: unknown[] }): DataStream<T> {
    let input: BatchInput;
    if (isClass(source)) {
      input = {
        kind: 'function',
        factory: toFactory<PollLike>('fromBatch', source, BatchFunction, options?.args),
      };
    } else if (isIterable(source)) {
      input = { kind: 'iterable', items: source };
    } else if (isAsyncIterable(source)) {
      input = { kind: 'async-iterable', items: source };
    } else {
      throw new InvalidArgumentError(
        `fromBatch: expected an array, an Iterable, an AsyncIterable or a BatchFunction class, got ${describeValue(source)}`,
      );
    }
    const init = this.operatorInit('fromBatch', source, options, []);
    if (input.kind !== 'function' && init.parallelism !== 1) {
      throw new InvalidParallelismError(`${init.name} (fromBatch over a collection)`, init.parallelism);
    }
    return this.addSource<T>(new BatchTransformation(init, input));
  }

  /**
   * A bounded source over a `BatchFunction` class: polled until it returns `undefined` or a `StopSignal`.
   *
   * @example
   * ```ts
   * env.fromCollection(Lines, { args: [['a', 'b']] });
   * ```
   */
  fromCollection<T, A extends unknown[]>(
    source: Constructor<BatchFunction<T>, A>,
    ...options: ClassOptionsArg<A>
  ): DataStream<T> {
    const opts = options[0] as (ChainOptions & { args?: unknown[] }) | undefined;
    const given: unknown = source;
    if (!isClass(given) && (isIterable(given) || isAsyncIterable(given))) {
      throw new InvalidFunctionError(
        'fromCollection',
        'a BatchFunction class; for an array or another (async) iterable use env.fromBatch(items)',
        given,
      );
    }
    const factory = toFactory<PollLike>('fromCollection', source, BatchFunction, opts?.args);
    const init = this.operatorInit('fromCollection', source, opts, []);
    return this.addSource<T>(new BatchTransformation(init, { kind: 'function', factory }));
  }

  /**
   * An unbounded source polled whenever downstream has room: a record is emitted, `undefined` means "nothing
   * now" (polled again after `options.delay` ms), a `StopSignal` ends the stream.
   *
   * @example
   * ```ts
   * env.fromSource(() => queue.shift(), { delay: 5 });
   * env.fromSource(Ticks);
   * ```
   */
  fromSource<T>(source: () => SourceResult<T>, options?: SourceOptions): DataStream<T>;
  fromSource<T, A extends unknown[]>(
    source: Constructor<SourceFunction<T>, A>,
    ...options: [] extends A
      ? [options?: SourceOptions & { args?: A }]
      : [options: SourceOptions & { args: A }]
  ): DataStream<T>;
  fromSource<T>(source: unknown, options?: SourceOptions & { args?: unknown[] }): DataStream<T> {
    const delay: unknown = options?.delay ?? 10;
    if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) {
      throw new InvalidArgumentError(
        `fromSource: delay must be a number of milliseconds ≥ 0, got ${describeValue(delay)}`,
      );
    }
    const factory = toFactory<PollLike>('fromSource', source, SourceFunction, options?.args);
    const init = this.operatorInit('fromSource', source, options, []);
    return this.addSource<T>(new SourceTransformation(init, factory, delay));
  }

  /**
   * Any RxJS Observable as a source; its completion is the end of the stream. Values that arrive while
   * downstream is busy wait in a bounded buffer (`bufferSize`, `overflow`).
   *
   * @example
   * ```ts
   * env.fromObservable(interval(100).pipe(take(10)));
   * ```
   */
  fromObservable<T>(source: Observable<T>, options?: ObservableSourceOptions): DataStream<T> {
    const candidate: unknown = source;
    if (!isObservableLike(candidate)) {
      throw new InvalidArgumentError(
        `fromObservable: expected an RxJS Observable, got ${describeValue(source)}`,
      );
    }
    const bufferSize: unknown = options?.bufferSize ?? DEFAULT_PUSH_BUFFER;
    if (typeof bufferSize !== 'number' || !Number.isInteger(bufferSize) || bufferSize < 1) {
      throw new InvalidArgumentError(
        `fromObservable: bufferSize must be a positive integer, got ${describeValue(bufferSize)}`,
      );
    }
    const overflow: unknown = options?.overflow ?? 'error';
    if (overflow !== 'error' && overflow !== 'drop-oldest' && overflow !== 'drop-newest') {
      throw new InvalidArgumentError(
        `fromObservable: overflow must be 'error', 'drop-oldest' or 'drop-newest', got ${JSON.stringify(overflow)}`,
      );
    }
    const init = this.operatorInit('fromObservable', source, options, []);
    return this.addSource<T>(new ObservableTransformation(init, source, bufferSize, overflow));
  }

  /**
   * A placeholder stream for a feedback loop: use it like any stream, then close the loop with
   * `stream.fillFuture(future)`. The loop ends when its outside inputs have ended and no record is left in it.
   * Submitting with an unfilled future fails with a FutureError naming it.
   *
   * @example
   * ```ts
   * const loop = env.fromFuture<number>('loop');
   * const all = env.fromBatch([0]).connect(loop).map((d) => d);
   * all.sink((d) => { out.push(d); });
   * all.filter((d) => d < 5).map((d) => d + 1).fillFuture(loop);   // out = [0, 1, 2, 3, 4, 5]
   * ```
   */
  fromFuture<T>(name: string, options?: ChainOptions): DataStream<T> {
    if (typeof name !== 'string' || name.length === 0) {
      throw new InvalidArgumentError(
        `fromFuture: a future needs a non-empty name, got ${describeValue(name)}`,
      );
    }
    const init = this.operatorInit('fromFuture', undefined, { ...options, name }, []);
    const t = new FutureTransformation(init);
    this.pipeline.push(t);
    return new DataStream<T>(this, t);
  }

  /** The registered services, in registration order; each submitted job builds its own instances. */
  get services(): readonly ServiceDefinition[] {
    return [...this.serviceDefinitions.values()];
  }

  /**
   * Registers a service: `new ServiceClass(...ctorArgs)` is built for each submitted job, and every function
   * of the job can call it with `this.callService(name, ...)`. Registering a name again replaces it. Returns
   * the factory describing it (options such as `concurrency` go through `registerServiceFactory`).
   *
   * @example
   * ```ts
   * class Calc { constructor(private k: number) {} process(x: number) { return x * this.k; } add(a: number, b: number) { return a + b; } }
   * env.registerService('calc', Calc, 3);
   * env.fromBatch([1, 2]).map(async function (x) { return this.callService('calc', x); }); // 3, 6
   * ```
   */
  registerService<S extends object, A extends unknown[]>(
    name: string,
    serviceClass: new (...args: A) => S,
    ...ctorArgs: A
  ): ServiceFactory<S, A> {
    return this.registerServiceFactory(new ServiceFactory<S, A>(name, serviceClass, ctorArgs));
  }

  /**
   * Registers a prebuilt service factory (any `ServiceDefinition`), e.g. one with options; a name registered
   * again is replaced.
   *
   * @example
   * ```ts
   * env.registerServiceFactory(new ServiceFactory('llm', Llm, ['model-a'], { concurrency: 4, timeout: 30_000 }));
   * ```
   */
  registerServiceFactory<F extends ServiceDefinition>(factory: F): F {
    const candidate: unknown = factory;
    const name: unknown = (candidate as { name?: unknown } | null)?.name;
    if (
      typeof name !== 'string' ||
      name.length === 0 ||
      typeof (candidate as { create?: unknown }).create !== 'function'
    ) {
      throw new InvalidArgumentError(
        `registerServiceFactory: expected a ServiceFactory (a name and create(ctx)), got ${describeValue(candidate)}`,
      );
    }
    this.serviceDefinitions.delete(name);
    this.serviceDefinitions.set(name, factory);
    return factory;
  }

  /**
   * Registers a pipeline as a service: `build` receives the request stream (`{ id, payload }`) and returns the
   * reply stream (`{ id, payload }`, with the id of the request answered). Each submitted job runs the pipeline
   * as a job of its own; `callService(name, payload)` sends a request in at its source and resolves with the
   * reply that leaves at its sink. The pipeline's functions can call this environment's services.
   *
   * @example
   * ```ts
   * env.registerPipelineService<string, string>('upper', (requests) =>
   *   requests.map(({ id, payload }) => ({ id, payload: payload.toUpperCase() })));
   * env.fromBatch(['a', 'b']).map(async function (s) { return this.callService('upper', s); }); // 'A', 'B'
   * ```
   */
  registerPipelineService<Req, Res>(
    name: string,
    build: PipelineServiceBuilder<Req, Res>,
    options?: ServiceOptions,
  ): PipelineServiceFactory<Req, Res> {
    return this.registerServiceFactory(new PipelineServiceFactory<Req, Res>(name, this, build, options));
  }

  /**
   * The physical plan this environment's pipeline compiles to, as text: vertices with their fused operators,
   * parallelism and partitioned inputs. Nothing runs.
   *
   * @example
   * ```ts
   * env.fromBatch([1, 2]).map((x) => x * 2).sink(console.log);
   * console.log(env.explain()); // #0 [fromBatch:batch → map:map → sink:sink] ×1
   * ```
   */
  explain(): string {
    return this.jobManager.explain(this);
  }

  /** Adds a transformation to the pipeline (used by streams). */
  addTransformation(t: Transformation): void {
    this.pipeline.push(t);
  }

  /**
   * Validates chain options and returns the transformation's name, parallelism and policy. Throws
   * InvalidParallelismError or PipelineBuildError with a message saying what to change.
   */
  operatorInit(
    operator: string,
    fn: unknown,
    options: ChainOptions | undefined,
    inputs: readonly Transformation[],
  ): TransformationInit {
    const given: unknown = options;
    if (given !== undefined && (given === null || typeof given !== 'object')) {
      throw new InvalidArgumentError(`${operator}: options must be an object, got ${describeValue(options)}`);
    }
    const parallelism = options?.parallelism ?? 1;
    if (typeof parallelism !== 'number' || !Number.isInteger(parallelism) || parallelism < 1) {
      throw new InvalidParallelismError(options?.name ?? operator, parallelism);
    }
    for (const input of inputs) {
      if (!this.pipeline.includes(input)) {
        throw new PipelineBuildError(
          `${operator}: the stream ${input.name} belongs to another environment; build each pipeline in one environment`,
        );
      }
    }
    const errorPolicy = checkErrorPolicy(options?.errorPolicy, operator);
    const maxParallelism = checkMaxParallelism(options?.maxParallelism, options?.name ?? operator);
    const label = typeof fn === 'function' && fn.name !== '' ? fn.name : operator;
    let name: string;
    if (options?.name !== undefined) {
      if (typeof options.name !== 'string' || options.name.length === 0 || this.names.has(options.name)) {
        throw new PipelineBuildError(
          `${operator}: the name ${JSON.stringify(options.name)} is empty or already used in environment ` +
            `${this.name}; operator names must be unique`,
        );
      }
      name = options.name;
      this.names.add(name);
    } else {
      name = this.uniqueName(label);
    }
    return { name, parallelism, inputs, errorPolicy, maxParallelism };
  }

  /** `base`, or `base-2`, `base-3`, … : a name not yet used in this environment. */
  uniqueName(base: string): string {
    let name = base;
    for (let n = 2; this.names.has(name); n++) name = `${base}-${n}`;
    this.names.add(name);
    return name;
  }

  private addSource<T>(t: Transformation): DataStream<T> {
    this.pipeline.push(t);
    return new DataStream<T>(this, t);
  }
}

/** Validates a `maxParallelism` setting (an integer from 1 to 32,768). */
function checkMaxParallelism(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_MAX_PARALLELISM) {
    throw new InvalidParallelismError(
      where,
      value,
      `${where}: maxParallelism must be an integer from 1 to ${String(MAX_MAX_PARALLELISM)}, got ${describeValue(value)}`,
    );
  }
  return value;
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return (
    value !== null &&
    value !== undefined &&
    typeof value !== 'string' &&
    typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function'
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  );
}

function isObservableLike(value: unknown): value is Observable<unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { subscribe?: unknown }).subscribe === 'function'
  );
}
