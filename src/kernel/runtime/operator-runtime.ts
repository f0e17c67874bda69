import type { Subscription } from 'rxjs';
import type { TaskContext } from './context/task-context.js';
import type { JobGate } from './job-gate.js';
import type { JobOutcome } from './job-outcome.js';
import type { OperatorMetrics } from './metrics/operator-metrics.js';
import type { InstanceSnapshot } from './state/job-snapshot.js';
import type { CallContext } from './step.js';

/** The instance an operator belongs to, as its steps see it. */
export interface InstanceControl {
  /** Input index of the record the instance is processing (read by the first step of the chain). */
  readonly input: number;
}

/**
 * What one operator instance may ask of the runtime while it handles records. Lowered operators receive it
 * when they are built; user functions never see it. It is also the operator's {@link CallContext}: a step
 * sets `key` and `input` when it starts a record, and the function's `ctx` reads them.
 *
 * @example
 * ```ts
 * rt.hold();                      // an async call started: the record is not finished yet
 * promise.then((v) => rt.gate.whenRunning(() => { out.next(v, rt.key); rt.release(); }));
 * ```
 */
export interface OperatorRuntime extends CallContext {
  /** The context injected into the user's function object. */
  readonly ctx: TaskContext;
  /** Counters of this operator instance. */
  readonly metrics: OperatorMetrics;
  /** The instance this operator runs in. */
  readonly instance: InstanceControl;
  /** Owns this instance's async work (inner subscriptions, scheduled actions): stopping the job ends it. */
  readonly subscription: Subscription;
  /** Pause/stop state of the job. */
  readonly gate: JobGate;
  /** Marks one async operation as started: the instance starts no new record until it is released. */
  hold(): void;
  /** Marks one async operation as finished. */
  release(): void;
  /** Applies the error policy to an error thrown by user code: counted and dropped, or the job fails. */
  error(error: unknown): void;
  /**
   * As {@link error}, but under `'fail'` the job fails only once the records already inside it have been processed
   * (for a source whose error comes after records it emitted). Runtimes without it use {@link error}.
   */
  errorAfterDrain?(error: unknown): void;
  /** Fails the job whatever the error policy (for faults that are not a bad record, such as an overflow). */
  failJob(error: unknown): void;
  /** Registers the user's function object of this instance, so snapshots capture its fields and `close()` runs. */
  registerFunction(fn: object): void;
  /**
   * Runs the registered function's `close()` once (later calls do nothing); returns its Promise, if any.
   * Errors are counted and logged, never thrown.
   */
  closeFunction(): PromiseLike<unknown> | undefined;
  /** State restored for this instance from a snapshot, if any. */
  readonly restored: InstanceSnapshot | undefined;
  /**
   * Calls `listener` once when the instance starts: wired to its outputs, before any source is subscribed or any
   * record arrives (what an RxJS operator sets up when it is subscribed starts then).
   */
  onStart(listener: () => void): void;
  /** Calls `listener` once when the job completes, stops or fails (sinks use it to tell their observers). */
  onJobEnd(listener: (outcome: JobOutcome) => void): void;
  /** The event-time clock of this operator: the last watermark that reached it (`-Infinity` before the first). */
  readonly watermark: number;
  /**
   * Set by an operator that reacts to event time: called (between records) when the watermark reaching it
   * rises; it returns false to stop the watermark there (a watermark generator, which sends its own).
   */
  watermarkHandler: ((watermark: number) => boolean) | undefined;
  /** True for an operator that makes its own watermarks (its instance's idleness is its to tell). */
  generatesWatermarks: boolean;
  /** Runs `fn` between two records of the instance, in order with its input queue (timers fire this way). */
  runBetweenRecords(fn: () => void): void;
  /** A watermark generator's watermark: sent (between records) to the operators after it and the outputs. */
  emitWatermark(watermark: number): void;
  /** A watermark generator's idleness: tells the outputs the instance went idle (or active again). */
  emitIdleness(idle: boolean): void;
  /** Sends one record on side output `tag` (to the consumers of `getSideOutput(tag)`). */
  emitSide(tag: string, value: unknown, key: unknown, timestamp: number | undefined): void;
}
