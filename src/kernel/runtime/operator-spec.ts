import type { ErrorPolicy } from './error-policy.js';
import type { ArrayCursor } from './source/array-loop.js';
import type { OperatorRuntime } from './operator-runtime.js';
import type { Step } from './step.js';

/**
 * A lowered operator as the runtime runs it: builds, for one instance, the step that handles that operator's
 * records and passes its outputs to `downstream`.
 *
 * @example
 * ```ts
 * const spec: OperatorSpec = {
 *   name: 'double', kind: 'map',
 *   create: (rt, out) => ({ next: (x, key) => out.next((x as number) * 2, key), complete: () => out.complete() }),
 * };
 * ```
 */
export interface OperatorSpec {
  /** Operator base name (instances are `<name>_<i>`). */
  readonly name: string;
  /** Transformation kind, for plans and status (`map`, `filter`, `sink`, …). */
  readonly kind: string;
  /** Per-operator error policy; the job's policy applies when absent. */
  readonly errorPolicy?: ErrorPolicy | undefined;
  /** True when the operator's input is hash-keyed, so its functions may use keyed state. */
  readonly keyed?: boolean;
  create(rt: OperatorRuntime, downstream: Step<unknown>): Step<unknown>;
}

/** The control a source driver gets from its instance. */
export interface SourceControl {
  /** True when the instance can take a record now (idle, not paused, no downstream pressure, not stopped). */
  ready(): boolean;
  /** Pushes one record (unkeyed) into the instance's chain. Call only when `ready()`. */
  emit(value: unknown): void;
  /**
   * Pushes the cursor's items from `cursor.index` up to `end` (excluded) one after the other, as `emit` would,
   * while the instance stays ready, and advances `cursor.index` past each one pushed. Call only when `ready()`.
   * Optional: without it a source emits its items one by one.
   */
  emitArray?(cursor: ArrayCursor, end: number): void;
  /** The source is exhausted: the instance completes once its chain is idle. */
  end(): void;
}

/** A running source inside one instance. */
export interface SourceDriver {
  /** Starts producing; called synchronously while the job is wired. */
  start(): void;
  /** The instance became ready again (after async work, pressure, or a pause): produce more. */
  resume(): void;
}

/**
 * A lowered source: builds, for one instance, the driver that produces records.
 *
 * @example
 * ```ts
 * const spec: SourceSpec = { name: 'nums', kind: 'source', create: (rt, control) => arrayDriver(control, [1, 2]) };
 * ```
 */
export interface SourceSpec {
  readonly name: string;
  readonly kind: string;
  readonly errorPolicy?: ErrorPolicy | undefined;
  readonly keyed?: boolean;
  create(rt: OperatorRuntime, control: SourceControl): SourceDriver;
}
