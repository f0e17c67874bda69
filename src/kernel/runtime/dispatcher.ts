import type { Logger } from 'loglevel';
import { Subscription, type SchedulerLike } from 'rxjs';
import { JobFailedError } from '../../errors/job-failed-error.js';
import { PipelineBuildError } from '../../errors/pipeline-build-error.js';
import type { ErrorPolicy } from './error-policy.js';
import type { JobRunner } from './job-runner.js';
import type { ServiceLookup } from './service/service-lookup.js';
import { findLoops } from './loop/find-loops.js';
import { LoopTracker } from './loop/loop-tracker.js';
import { DEFAULT_MAX_PARALLELISM, instanceOfKeyGroup } from './key/key-group.js';
import type { InstanceSnapshot, JobSnapshot } from './state/job-snapshot.js';
import type { KeyedSnapshotEntry } from './state/keyed-snapshot.js';
import { JobGate } from './job-gate.js';
import type { JobOutcome } from './job-outcome.js';
import type { OperatorMetrics } from './metrics/operator-metrics.js';
import type { PhysicalPlan, PlanVertex } from './physical-plan.js';
import { createRouter, type Router } from './routing/router.js';
import type { Receiver } from './routing/receiver.js';
import { Task } from './task/task.js';
import type { TaskEnvironment } from './task/task-environment.js';

/** What a Dispatcher needs besides the plan. */
export interface DispatcherOptions {
  readonly jobId: string;
  readonly envName: string;
  /** The environment's configuration, readable by user functions as `ctx.config` (default empty). */
  readonly config?: Readonly<Record<string, unknown>>;
  readonly scheduler: SchedulerLike;
  readonly errorPolicy: ErrorPolicy;
  /** Queue length at which an instance presses its sources (default 1024). */
  readonly highWaterMark?: number;
  /** The job's number of key groups (default 128). */
  readonly maxParallelism?: number;
  /** Operator state to start from (a snapshot of an earlier job with the same operators). */
  readonly restore?: JobSnapshot | undefined;
  /** The job's services, callable from every operator instance. */
  readonly services?: ServiceLookup | undefined;
  loggerFor(operator: string): Logger;
}

/** Run state of a dispatcher. */
export type DispatcherState = 'created' | 'running' | 'paused' | 'completed' | 'stopped' | 'failed';

/**
 * Runs one physical plan: creates every instance, wires the routers, starts the sources synchronously, and
 * owns every subscription of the job (sources, scheduled work, in-flight async calls) so that pause, continue
 * and stop act on all of them at once.
 *
 * @example
 * ```ts
 * const d = new Dispatcher(plan, { jobId, envName: 'demo', scheduler: asyncScheduler, errorPolicy: 'skip', loggerFor });
 * d.onEnd((outcome) => console.log(outcome.status));
 * d.start();
 * ```
 */
export class Dispatcher implements JobRunner {
  private readonly gate = new JobGate();
  private readonly subscription = new Subscription();
  private readonly tasks: Task[] = [];
  private readonly listeners: ((outcome: JobOutcome) => void)[] = [];
  private remaining = 0;
  private current: DispatcherState = 'created';
  private outcome: JobOutcome | undefined;

  /** The plan, until the job starts (the tasks then hold what they need). */
  private plan: PhysicalPlan | undefined;

  constructor(
    plan: PhysicalPlan,
    private readonly options: DispatcherOptions,
  ) {
    this.plan = plan;
  }

  get state(): DispatcherState {
    return this.current;
  }

  /** The error of a failed job. */
  get error(): Error | undefined {
    return this.outcome?.status === 'failed' ? this.outcome.error : undefined;
  }

  /** Calls `listener` once when the job ends (at once if it already has). */
  onEnd(listener: (outcome: JobOutcome) => void): void {
    if (this.outcome !== undefined) listener(this.outcome);
    else this.listeners.push(listener);
  }

  /**
   * Builds and wires every instance, then starts the sources, all synchronously. When building fails (a
   * function's constructor throws, a restore does not fit) the job ends `failed` at once and the
   * JobFailedError is thrown.
   */
  start(): void {
    const plan = this.plan;
    if (this.current !== 'created' || plan === undefined)
      throw new Error('Dispatcher.start: a dispatcher runs once');
    this.plan = undefined;
    this.current = 'running';
    try {
      this.build(plan);
    } catch (e) {
      this.fail('submit', e);
      throw this.error ?? e;
    }
  }

  private build(plan: PhysicalPlan): void {
    // Every callback that outlives this method (task, loop and router callbacks) is built by a method of its
    // own, so none shares a scope with the plan or these maps: a finished job keeps no plan or source data.
    const env = this.taskEnvironment();
    const onTaskDone = this.taskDoneCallback();
    const byVertex = new Map<PlanVertex, Task[]>();
    for (const vertex of plan.vertices) {
      const instances: Task[] = [];
      for (let i = 0; i < vertex.parallelism; i++) {
        const task = new Task(vertex, i, env, onTaskDone);
        instances.push(task);
        this.tasks.push(task);
      }
      byVertex.set(vertex, instances);
    }
    this.remaining = this.tasks.length;
    const loopOf = new Map<PlanVertex, LoopTracker>();
    const trackers: LoopTracker[] = [];
    for (const component of findLoops(plan.vertices)) {
      const members = new Set(component);
      const heads = component.filter((v) => v.inputs.some((e) => e.feedback));
      if (heads.length === 0) {
        throw new PipelineBuildError(
          'The plan has a cycle without a feedback edge: close loops with fillFuture',
        );
      }
      let outside = 0;
      for (const v of component) {
        for (const e of v.inputs) if (!members.has(e.from)) outside += e.from.parallelism * v.parallelism;
      }
      const headTasks = heads.flatMap((v) => byVertex.get(v) as Task[]);
      const tracker = new LoopTracker(outside, releaseLoop(headTasks));
      trackers.push(tracker);
      for (const v of component) {
        loopOf.set(v, tracker);
        for (const t of byVertex.get(v) as Task[]) t.joinLoop(tracker, heads.includes(v));
      }
    }
    for (const vertex of plan.vertices) {
      const instances = byVertex.get(vertex) as Task[];
      let openInputs = 0;
      const pressureTargets: Task[] = [];
      for (const edge of vertex.inputs) {
        if (edge.feedback) continue;
        const producers = byVertex.get(edge.from) as Task[];
        openInputs += producers.length;
        pressureTargets.push(...producers);
      }
      for (const task of instances) {
        const routers: Router[] = vertex.outputs.map((edge) => {
          const targets = byVertex.get(edge.to) as readonly Receiver[];
          const loop = loopOf.get(edge.to);
          const entersLoop = loop !== undefined && loopOf.get(vertex) !== loop;
          return createRouter(
            edge.partitioning,
            targets,
            edge.inputIndex,
            entersLoop ? outsideEnded(loop, targets.length) : undefined,
            edge.to.maxParallelism,
          );
        });
        task.wire(routers, openInputs, pressureTargets);
      }
    }
    for (const task of this.tasks) if (!task.isSource) task.start();
    for (const task of this.tasks) {
      if (this.outcome !== undefined) return;
      if (task.isSource) task.start();
    }
    for (const tracker of trackers) tracker.check();
  }

  private taskEnvironment(): TaskEnvironment {
    const options = this.options;
    return {
      envName: options.envName,
      config: options.config ?? {},
      jobId: options.jobId,
      scheduler: options.scheduler,
      gate: this.gate,
      subscription: this.subscription,
      errorPolicy: options.errorPolicy,
      highWaterMark: options.highWaterMark ?? 1024,
      services: options.services,
      loggerFor: (operator) => options.loggerFor(operator),
      fail: (operator, error) => {
        this.fail(operator, error);
      },
      onEnd: (listener) => {
        this.onEnd(listener);
      },
      restoredFor: (operator, index, parallelism, maxParallelism) =>
        restoredInstance(options.restore, operator, index, parallelism, maxParallelism),
    };
  }

  private taskDoneCallback(): () => void {
    return () => {
      this.taskDone();
    };
  }

  /**
   * The state of every operator instance (function fields and keyed state) as frozen JSON-compatible data.
   * Take it while the job is paused (or ended) for a consistent cut.
   */
  snapshot(): JobSnapshot {
    const operators: Record<string, InstanceSnapshot[]> = {};
    for (const task of this.tasks) {
      for (const slot of task.slots) {
        (operators[slot.operatorName] ??= [])[task.index] = slot.snapshot();
      }
    }
    return {
      job: this.options.envName,
      takenAt: new Date().toISOString(),
      maxParallelism: this.options.maxParallelism ?? DEFAULT_MAX_PARALLELISM,
      operators,
    };
  }

  /** Stops the flow: from now on no instance starts a new record; records and state are kept. */
  pause(): void {
    if (this.current !== 'running') return;
    this.current = 'paused';
    this.gate.pause();
  }

  /** Resumes a paused job with the same instances and function objects. */
  resume(): void {
    if (this.current !== 'paused') return;
    this.current = 'running';
    this.gate.resume();
    for (const task of this.tasks) {
      if (this.gate.paused || this.outcome !== undefined) return;
      if (!task.done) task.wake();
    }
  }

  /** Ends the job now: cancels every subscription; unfinished records are dropped. */
  stop(): void {
    if (this.outcome !== undefined) return;
    this.end({ status: 'stopped' }, 'stopped');
  }

  /** Fails the job with `error`, thrown by `operator`. */
  fail(operator: string, error: unknown): void {
    if (this.outcome !== undefined) return;
    this.end(
      { status: 'failed', error: new JobFailedError(this.options.envName, operator, error) },
      'failed',
    );
  }

  /** Every operator instance's counters. */
  metrics(): OperatorMetrics[] {
    return this.tasks.flatMap((t) => t.slots.map((s) => s.metrics));
  }

  /** Records waiting in input queues, over all instances. */
  queued(): number {
    let n = 0;
    for (const t of this.tasks) n += t.queued;
    return n;
  }

  private taskDone(): void {
    if (--this.remaining === 0 && this.outcome === undefined) {
      this.end({ status: 'completed' }, 'completed');
    }
  }

  private end(outcome: JobOutcome, state: DispatcherState): void {
    this.outcome = outcome;
    this.current = state;
    this.gate.stop();
    this.subscription.unsubscribe();
    for (const task of this.tasks) task.closeFunctions();
    const listeners = this.listeners.splice(0);
    for (const listener of listeners) {
      try {
        listener(outcome);
      } catch (e) {
        this.options.loggerFor('dispatcher').error('a job-end listener threw:', e);
      }
    }
  }
}

/**
 * What one instance restores from a snapshot: the function state of the instance with the same index, and the
 * keyed state of every key group it owns at this parallelism, gathered from whichever instances saved them.
 */
function restoredInstance(
  snapshot: JobSnapshot | undefined,
  operator: string,
  index: number,
  parallelism: number,
  maxParallelism: number,
): InstanceSnapshot | undefined {
  const saved = snapshot?.operators[operator];
  if (saved === undefined) return undefined;
  const fields = saved[index]?.fields;
  const keyed: Record<string, KeyedSnapshotEntry[]> = {};
  let any = false;
  for (const instance of saved) {
    for (const [group, entries] of Object.entries(instance.keyed ?? {})) {
      if (instanceOfKeyGroup(Number(group), parallelism, maxParallelism) !== index) continue;
      (keyed[group] ??= []).push(...entries);
      any = true;
    }
  }
  return { ...(fields !== undefined ? { fields } : {}), ...(any ? { keyed } : {}) };
}

/** The callback that completes the heads of a loop once its tracker released it. */
function releaseLoop(heads: readonly Task[]): () => void {
  return () => {
    for (const t of heads) t.releaseLoop();
  };
}

/** The callback a router runs when an outside producer ended towards `count` instances of a loop. */
function outsideEnded(loop: LoopTracker, count: number): () => void {
  return () => {
    loop.outsideEnded(count);
  };
}
