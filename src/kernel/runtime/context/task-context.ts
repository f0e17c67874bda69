import type { Logger } from 'loglevel';
import type { SchedulerLike } from 'rxjs';
import { ServiceCalls } from '../service/service-calls.js';
import { ServiceCaller } from '../service/service-caller.js';
import type { ServiceLookup } from '../service/service-lookup.js';
import { KeyedState } from '../state/keyed-state.js';
import type { KeyedSnapshot } from '../state/keyed-snapshot.js';
import type { CallContext } from '../step.js';
import { RECORD_ID, type RecordIdSource } from './record-id.js';

/** What the runtime knows about one operator instance when it builds its context. */
export interface TaskContextInit {
  /** Operator base name; the instance name is `<name>_<parallelIndex>`. */
  readonly operator: string;
  readonly parallelIndex: number;
  readonly parallelism: number;
  readonly envName: string;
  readonly config?: Readonly<Record<string, unknown>>;
  readonly jobId: string;
  /** The instance's logger, or how to create it on first use (most instances never log). */
  readonly logger: Logger | (() => Logger);
  readonly scheduler: SchedulerLike;
  /** The operator's running call: its key scopes `getKey()` and `state`. */
  readonly call: CallContext;
  /** True when the operator's input is hash-keyed (keyed state allowed). */
  readonly keyed?: boolean;
  /** Number of key groups of the job. */
  readonly maxParallelism?: number;
  /** Keyed state to start from (restoring a snapshot): the key groups this instance owns. */
  readonly restoredState?: KeyedSnapshot | undefined;
  /** The job's services (none when absent). */
  readonly services?: ServiceLookup | undefined;
  /** Id of the checkpoint pending when the instance starts (1, or the next one after a restore). */
  readonly checkpointId?: number;
}

/**
 * The context the runtime injects into every function object (`this.ctx`): who and where this instance is,
 * its logger, and the key of the record being processed.
 *
 * @example
 * ```ts
 * class Count extends MapFunction<string, string> {
 *   execute(word: string) { return `${this.ctx.name} saw ${String(this.ctx.getKey())}`; }
 * }
 * ```
 */
export class TaskContext extends ServiceCalls {
  /** Instance name, `<operator>_<parallelIndex>`. */
  readonly name: string;
  /** Operator base name shared by all instances. */
  readonly operator: string;
  /** Index of this instance among the operator's instances, from 0. */
  readonly parallelIndex: number;
  /** Number of instances of the operator. */
  readonly parallelism: number;
  /** Name of the environment (and job) this instance belongs to. */
  readonly envName: string;
  /**
   * The environment's configuration (a copy; unknown keys are kept for user code).
   *
   * @example
   * ```ts
   * const threshold = this.ctx.config.threshold as number;
   * ```
   */
  readonly config: Readonly<Record<string, unknown>>;
  /** Uuid of the running job. */
  readonly jobId: string;
  /** The instance's logger (loglevel), at the environment's level; created on first use. */
  get logger(): Logger {
    let logger = this.createdLogger;
    if (logger === undefined) {
      const init = this.loggerInit;
      logger = this.createdLogger = typeof init === 'function' ? init() : init;
    }
    return logger;
  }

  private readonly loggerInit: Logger | (() => Logger);
  private createdLogger: Logger | undefined = undefined;
  /** The scheduler the job runs on (virtual under `TestScheduler.run`). */
  readonly scheduler: SchedulerLike;
  /**
   * Id of the pending checkpoint: the one the records this instance handles now belong to (its barrier has
   * not passed this instance yet). With `notifyCheckpointComplete(id)` a sink can hold its output per pending
   * checkpoint and commit it once that checkpoint completes (exactly-once output). Keep what it holds in a
   * field whose name starts with `_`: such fields are not function state, so a restarted instance starts
   * with nothing held (what the restored checkpoint covers was committed before the failure; what came
   * after its cut is replayed). A plain field would be restored holding the checkpoint's records and commit
   * them a second time.
   *
   * @example
   * ```ts
   * class TwoPhaseSink extends SinkFunction<string> {
   *   private _pending = new Map<number, string[]>();
   *   execute(line: string) {
   *     const id = this.ctx.checkpointId;
   *     this._pending.set(id, [...(this._pending.get(id) ?? []), line]);
   *   }
   *   notifyCheckpointComplete(done: number) {
   *     for (const [id, lines] of this._pending) if (id <= done) { commit(lines); this._pending.delete(id); }
   *   }
   * }
   * ```
   */
  checkpointId: number;
  private readonly call: CallContext;
  private readonly keyed: boolean;
  private readonly maxParallelism: number;
  private readonly restoredState: KeyedSnapshot | undefined;
  private keyedState: KeyedState | undefined;

  constructor(init: TaskContextInit) {
    super(new ServiceCaller(init.services));
    this.operator = init.operator;
    this.name = `${init.operator}_${init.parallelIndex}`;
    this.parallelIndex = init.parallelIndex;
    this.parallelism = init.parallelism;
    this.envName = init.envName;
    this.config = init.config ?? {};
    this.jobId = init.jobId;
    this.loggerInit = init.logger;
    this.scheduler = init.scheduler;
    this.call = init.call;
    this.keyed = init.keyed ?? false;
    this.maxParallelism = init.maxParallelism ?? 128;
    this.restoredState = init.restoredState;
    this.checkpointId = init.checkpointId ?? 1;
  }

  /**
   * Managed keyed state of this instance, scoped to the current record's key (see {@link KeyedState}).
   *
   * @example
   * ```ts
   * const count = this.ctx.state.value('count', 0);
   * count.set(count.get() + 1);
   * ```
   */
  get state(): KeyedState {
    return (this.keyedState ??= new KeyedState(
      { call: this.call, keyed: this.keyed, operator: this.name, maxParallelism: this.maxParallelism },
      this.restoredState,
    ));
  }

  /** A copy of the keyed state by key group, or undefined when this instance holds none. */
  stateSnapshot(): KeyedSnapshot | undefined {
    return this.keyedState !== undefined ? this.keyedState.snapshot() : this.restoredState;
  }

  /** The same copy, taken in chunks on the job's scheduler when the state is large (copy-on-write). */
  stateSnapshotAsync(): KeyedSnapshot | undefined | Promise<KeyedSnapshot | undefined> {
    return this.keyedState !== undefined ? this.keyedState.snapshotAsync(this.scheduler) : this.restoredState;
  }

  /**
   * The key of the record being processed: set by the last `keyBy` upstream, `undefined` on an unkeyed stream.
   *
   * @example
   * ```ts
   * execute(x: number) { return [this.ctx.getKey(), x]; }
   * ```
   */
  getKey(): unknown {
    return this.call.key;
  }

  /**
   * The event time of the record being processed (ms), `undefined` when it has none (no
   * `assignTimestampsAndWatermarks` upstream). In `onTimer` it is the timer's time.
   *
   * @example
   * ```ts
   * processElement(click: Click) { return { page: click.page, at: this.ctx.timestamp() }; }
   * ```
   */
  timestamp(): number | undefined {
    return this.call.timestamp;
  }

  /**
   * A deterministic idempotency key for the record being processed, for sinks that are at-least-once across
   * failover (HTTP calls, databases): under the Redis backend it is derived from the task, the input stream
   * position of the record's entry and its index within that entry (for a stage that starts with a source: the
   * record's ordinal in the replayed source), so a record processed again by the next owner of the task has
   * the same id. It names the task's input record: the outputs of one input (after a `flatMap`) share it, and
   * in `onTimer` it is the last record received. `undefined` in-process and under the threads backend (use
   * `checkpointId` with `notifyCheckpointComplete` there). Computed when read: nothing is built per record.
   *
   * @example
   * ```ts
   * class Upsert extends SinkFunction<Order> {
   *   async execute(order: Order) { await db.put(this.ctx.recordId ?? order.id, order); }
   * }
   * ```
   */
  get recordId(): string | undefined {
    const source = this.config[RECORD_ID];
    return typeof source === 'function' ? (source as RecordIdSource)() : undefined;
  }

  /** Index of the input the current record came from (its position in the `connect` chain). */
  getInputIndex(): number {
    return this.call.input;
  }
}
