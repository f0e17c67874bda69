import type { Subscription } from 'rxjs';
import { TaskContext } from '../context/task-context.js';
import type { ErrorPolicy } from '../error-policy.js';
import { isPromiseLike } from '../is-promise-like.js';
import type { JobGate } from '../job-gate.js';
import type { JobOutcome } from '../job-outcome.js';
import { ErrorReporter, errorSummaryInterval } from '../log/error-reporter.js';
import type { InstanceProbe } from '../metrics/instance-probe.js';
import { OperatorMetrics } from '../metrics/operator-metrics.js';
import type { InstanceControl, OperatorRuntime } from '../operator-runtime.js';
import { captureFields, restoreFields } from '../state/field-state.js';
import type { InstanceSnapshot } from '../state/job-snapshot.js';
import type { KeyedSnapshot } from '../state/keyed-snapshot.js';
import type { TaskEnvironment } from './task-environment.js';
import { errorMessage } from '../../../errors/error-message.js';

/**
 * The instance-side owner of an async hold (the task that must not start a new record meanwhile), and of the
 * instance's event-time clock and side outputs.
 */
export interface HoldOwner extends InstanceControl {
  hold(): void;
  release(): void;
  /** Runs `fn` between two records, in order with the input queue. */
  runBetweenRecords(fn: () => void): void;
  /** Sends a watermark through the chain from operator position `from` on, then to the outputs. */
  advanceWatermark(from: number, watermark: number): void;
  /** Tells the outputs that the instance went idle or active again. */
  sendIdleness(idle: boolean): void;
  /** Sends one record on side output `tag`. */
  emitSide(tag: string, value: unknown, key: unknown, timestamp: number | undefined): void;
}

/** Where an operator sits in the plan. */
export interface SlotPlace {
  readonly operator: string;
  readonly policy: ErrorPolicy | undefined;
  readonly parallelIndex: number;
  readonly parallelism: number;
  /** True when the operator's input is hash-keyed (keyed state allowed). */
  readonly keyed: boolean;
  /** Number of key groups of the vertex. */
  readonly maxParallelism: number;
  /** The plan vertex the operator is fused into, when known. */
  readonly vertex?: number;
  /** The instance's gauges (queue length, time pressed) that its metrics read on demand. */
  readonly probe?: InstanceProbe;
}

interface FunctionHooks {
  notifyCheckpointComplete?: (id: number) => unknown;
  snapshotState?: () => unknown;
  /** What the final snapshot of a finished job keeps instead of `snapshotState()` (built-in sources). */
  finalState?: () => unknown;
  restoreState?: (state: unknown) => void;
  close?: () => unknown;
}

/**
 * The runtime handed to one operator of one instance: its context, counters, error policy, the key of the
 * call it is running, and the instance's hold/release.
 *
 * @example
 * ```ts
 * const slot = new OperatorSlot(env, task, { operator: 'count', policy: undefined, parallelIndex: 0, parallelism: 1, keyed: true, maxParallelism: 128 });
 * const step = spec.create(slot, downstream);
 * ```
 */
export class OperatorSlot implements OperatorRuntime {
  key: unknown = undefined;
  input = 0;
  timestamp: number | undefined = undefined;
  /** Position of the operator in its instance's chain (the source, when there is one, is 0). */
  position = 0;
  /** The last watermark that reached this operator (`-Infinity` before the first). */
  watermark = -Infinity;
  watermarkHandler: ((watermark: number) => boolean) | undefined = undefined;
  generatesWatermarks = false;
  readonly ctx: TaskContext;
  readonly metrics: OperatorMetrics;
  readonly subscription: Subscription;
  readonly gate: JobGate;
  readonly restored: InstanceSnapshot | undefined;
  private readonly policy: ErrorPolicy;
  private fn: FunctionHooks | undefined;
  /** The function's state once the job ended (the function object itself is then let go). */
  private finalFields: unknown;
  /** The number of key groups the keyed state is split into (the operator's maxParallelism), for snapshots. */
  private readonly keyGroups: number;
  /** The function's `finalState()` once it was closed, when it has one (else `finalFields` serve). */
  private finalOnly: { readonly state: unknown } | undefined;
  private closed = false;
  private reporter: ErrorReporter | undefined;
  /** What runs when the instance starts (`onStart`), until it did. */
  private starters: (() => void)[] | undefined = undefined;

  constructor(
    private readonly env: TaskEnvironment,
    readonly instance: HoldOwner,
    place: SlotPlace,
  ) {
    this.policy = place.policy ?? env.errorPolicy;
    this.keyGroups = place.maxParallelism;
    this.gate = env.gate;
    this.metrics = new OperatorMetrics(place.operator, place.parallelIndex, place.vertex);
    this.metrics.probe = place.probe;
    this.subscription = env.subscription;
    this.restored = env.restoredFor(
      place.operator,
      place.parallelIndex,
      place.parallelism,
      place.maxParallelism,
    );
    this.ctx = new TaskContext({
      operator: place.operator,
      parallelIndex: place.parallelIndex,
      parallelism: place.parallelism,
      envName: env.envName,
      config: env.config,
      jobId: env.jobId,
      logger: () => env.loggerFor(place.operator, place.parallelIndex),
      scheduler: env.scheduler,
      call: this,
      keyed: place.keyed,
      maxParallelism: place.maxParallelism,
      restoredState: this.restored?.keyed,
      services: env.services,
      checkpointId: env.firstCheckpointId,
    });
  }

  /**
   * Registers the instance's function object: its fields (or `snapshotState()`) go into snapshots, its
   * `close()` runs once when the instance ends, and a restored job hands it its saved state now
   * (`restoreState(state)` when it has one, else its plain-data fields are written back).
   */
  registerFunction(fn: object): void {
    const hooks = fn as FunctionHooks;
    this.fn = hooks;
    const saved = this.restored?.fields;
    if (saved === undefined) return;
    if (typeof hooks.restoreState === 'function') hooks.restoreState(saved);
    else restoreFields(fn, saved);
  }

  /** The operator name this slot belongs to. */
  get operatorName(): string {
    return this.ctx.operator;
  }

  /**
   * Runs the function's `close()` once (later calls do nothing) and lets the function go, keeping its state.
   * Returns the Promise `close()` returned, if any; errors are counted and logged, never thrown.
   */
  closeFunction(): PromiseLike<unknown> | undefined {
    if (this.closed) return undefined;
    this.closed = true;
    const fn = this.fn;
    if (fn === undefined) return undefined;
    this.finalFields = this.functionState(fn);
    if (typeof fn.finalState === 'function') this.finalOnly = { state: fn.finalState() };
    this.fn = undefined;
    if (typeof fn.close !== 'function') return undefined;
    let result: unknown;
    try {
      result = fn.close();
    } catch (e) {
      this.note(e);
      this.report(e, 'close()');
      return undefined;
    }
    if (!isPromiseLike(result)) return undefined;
    return result.then(undefined, (e: unknown) => {
      this.note(e);
      this.report(e, 'close()');
    });
  }

  /** Checkpoint `id` completed: calls the function's `notifyCheckpointComplete(id)` when it has one. */
  notifyCheckpointComplete(id: number): void {
    const fn = this.fn;
    if (typeof fn?.notifyCheckpointComplete !== 'function') return;
    try {
      const result = fn.notifyCheckpointComplete(id);
      if (isPromiseLike(result)) {
        result.then(undefined, (e: unknown) => {
          this.report(e, 'notifyCheckpointComplete()');
        });
      }
    } catch (e) {
      this.report(e, 'notifyCheckpointComplete()');
    }
  }

  /**
   * The same as `snapshot()` for a checkpoint's cut: the function state is taken now, a large keyed state is
   * copied in chunks afterwards (copy-on-write, as it is now), so the job is not stalled.
   */
  snapshotForCut(): InstanceSnapshot | Promise<InstanceSnapshot> {
    const fields = this.functionSnapshot();
    const keyed = this.ctx.stateSnapshotAsync();
    const build = (k: KeyedSnapshot | undefined): InstanceSnapshot => this.instanceSnapshot(fields, k);
    return keyed instanceof Promise ? keyed.then(build) : build(keyed);
  }

  /**
   * This instance's state: the function's fields (or `snapshotState()`) and the managed keyed state. `final`:
   * for the final snapshot of a finished job (a built-in source then keeps no read position, see
   * `finalState`).
   */
  snapshot(final = false): InstanceSnapshot {
    const fields = final ? this.finalFunctionState() : this.functionSnapshot();
    return this.instanceSnapshot(fields, this.ctx.stateSnapshot());
  }

  /** @internal The function's state alone (its fields or `snapshotState()`), without the keyed state. */
  functionSnapshot(): unknown {
    return this.fn !== undefined ? this.functionState(this.fn) : this.finalFields;
  }

  hold(): void {
    this.metrics.inFlight++;
    this.instance.hold();
  }

  runBetweenRecords(fn: () => void): void {
    this.instance.runBetweenRecords(fn);
  }

  emitWatermark(watermark: number): void {
    this.instance.runBetweenRecords(() => {
      this.instance.advanceWatermark(this.position + 1, watermark);
    });
  }

  emitIdleness(idle: boolean): void {
    this.instance.runBetweenRecords(() => {
      this.instance.sendIdleness(idle);
    });
  }

  emitSide(tag: string, value: unknown, key: unknown, timestamp: number | undefined): void {
    this.instance.emitSide(tag, value, key, timestamp);
  }

  release(): void {
    this.metrics.inFlight--;
    this.instance.release();
  }

  onStart(listener: () => void): void {
    (this.starters ??= []).push(listener);
  }

  /** The instance started: runs the `onStart` listeners once. */
  started(): void {
    const starters = this.starters;
    this.starters = undefined;
    if (starters !== undefined) for (const listener of starters) listener();
  }

  onJobEnd(listener: (outcome: JobOutcome) => void): void {
    this.env.onEnd(listener);
  }

  failJob(error: unknown): void {
    this.note(error);
    this.env.fail(this.operatorName, error);
  }

  error(error: unknown): void {
    this.note(error);
    if (this.policy === 'fail') {
      this.env.fail(this.operatorName, error);
      return;
    }
    this.report(error, 'a record');
  }

  errorAfterDrain(error: unknown): void {
    if (this.policy !== 'fail' || this.env.failAfterDrain === undefined) {
      this.error(error);
      return;
    }
    this.note(error);
    this.env.failAfterDrain(this.operatorName, error);
  }

  private note(error: unknown): void {
    this.metrics.noteError(this.env.scheduler.now(), errorMessage(error));
  }

  /** Logs the first error of this instance with its stack, later ones as periodic summaries (they are counted). */
  private report(error: unknown, what: string): void {
    if (this.reporter === undefined) {
      const reporter = new ErrorReporter(
        this.ctx.logger,
        this.env.scheduler,
        errorSummaryInterval(this.env.config),
        this.policy,
      );
      this.env.onEnd(() => {
        reporter.flush();
      });
      this.reporter = reporter;
    }
    this.reporter.report(error, what);
  }

  /** One instance's snapshot of `fields` and `keyed` (with the number of key groups it is split into). */
  private instanceSnapshot(fields: unknown, keyed: KeyedSnapshot | undefined): InstanceSnapshot {
    return {
      ...(fields !== undefined ? { fields } : {}),
      ...(keyed !== undefined ? { keyed, keyGroups: this.keyGroups } : {}),
    };
  }

  /** The function state a finished job's final snapshot holds: `finalState()` when it has one. */
  private finalFunctionState(): unknown {
    const fn = this.fn;
    if (fn === undefined) return this.finalOnly !== undefined ? this.finalOnly.state : this.finalFields;
    return typeof fn.finalState === 'function' ? fn.finalState() : this.functionState(fn);
  }

  private functionState(fn: FunctionHooks): unknown {
    try {
      return typeof fn.snapshotState === 'function' ? fn.snapshotState() : captureFields(fn);
    } catch (e) {
      this.note(e);
      this.report(e, 'snapshotState()');
      return undefined;
    }
  }
}
