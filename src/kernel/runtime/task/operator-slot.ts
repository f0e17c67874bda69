import { Subscription } from 'rxjs';
import { TaskContext } from '../context/task-context.js';
import type { ErrorPolicy } from '../error-policy.js';
import type { JobGate } from '../job-gate.js';
import type { JobOutcome } from '../job-outcome.js';
import { OperatorMetrics } from '../metrics/operator-metrics.js';
import type { OperatorRuntime } from '../operator-runtime.js';
import type { InstanceSnapshot } from '../state/job-snapshot.js';
import type { KeyHolder } from '../step.js';
import type { TaskEnvironment } from './task-environment.js';

/** The instance-side owner of an async hold: the task that must not start a new record meanwhile. */
export interface HoldOwner extends KeyHolder {
  hold(): void;
  release(): void;
}

/**
 * The runtime handed to one operator of one instance: its context, counters and error policy, and the
 * instance's hold/release and key.
 *
 * @example
 * ```ts
 * const slot = new OperatorSlot(env, task, spec.name, spec.errorPolicy, index, parallelism);
 * const step = spec.create(slot, downstream);
 * ```
 */
export class OperatorSlot implements OperatorRuntime {
  readonly ctx: TaskContext;
  readonly metrics: OperatorMetrics;
  readonly subscription: Subscription;
  readonly gate: JobGate;
  readonly restored: InstanceSnapshot | undefined;
  private readonly policy: ErrorPolicy;
  private fn: { getState?: () => unknown } | undefined;

  constructor(
    private readonly env: TaskEnvironment,
    readonly holder: HoldOwner,
    private readonly operator: string,
    policy: ErrorPolicy | undefined,
    parallelIndex: number,
    parallelism: number,
  ) {
    this.policy = policy ?? env.errorPolicy;
    this.gate = env.gate;
    this.metrics = new OperatorMetrics(operator);
    this.subscription = env.subscription;
    this.restored = env.restoredFor(operator, parallelIndex);
    this.ctx = new TaskContext({
      operator,
      parallelIndex,
      parallelism,
      envName: env.envName,
      config: env.config,
      jobId: env.jobId,
      logger: env.loggerFor(operator),
      scheduler: env.scheduler,
      holder,
      restoredState: this.restored?.keyed,
      services: env.services,
    });
  }

  registerFunction(fn: object): void {
    this.fn = fn;
  }

  /**
   * Keeps the function's current state and forgets the function object itself (the job has ended; a source
   * driver must not keep the data it read alive).
   */
  detachFunction(): void {
    const fn = this.fn;
    if (fn === undefined) return;
    const state = typeof fn.getState === 'function' ? fn.getState() : undefined;
    this.fn = { getState: () => state };
  }

  /** This instance's state: the function's fields and the managed keyed state. */
  snapshot(): InstanceSnapshot {
    const fields = typeof this.fn?.getState === 'function' ? this.fn.getState() : undefined;
    const keyed = this.ctx.stateSnapshot();
    return { ...(fields !== undefined ? { fields } : {}), ...(keyed !== undefined ? { keyed } : {}) };
  }

  /** The operator name this slot belongs to. */
  get operatorName(): string {
    return this.operator;
  }

  hold(): void {
    this.holder.hold();
  }

  release(): void {
    this.holder.release();
  }

  onJobEnd(listener: (outcome: JobOutcome) => void): void {
    this.env.onEnd(listener);
  }

  failJob(error: unknown): void {
    this.metrics.errors++;
    this.env.fail(this.operator, error);
  }

  error(error: unknown): void {
    this.metrics.errors++;
    this.metrics.dropped++;
    if (this.policy === 'fail') {
      this.env.fail(this.operator, error);
      return;
    }
    this.ctx.logger.warn(
      `[${this.ctx.name}] dropped a record after an error (errorPolicy 'skip'):`,
      error instanceof Error ? error.message : error,
    );
  }
}
