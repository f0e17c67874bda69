import type { Logger } from 'loglevel';
import { jobSnapshotOf } from './state/job-snapshot-of.js';
import { Subscription, type SchedulerLike } from 'rxjs';
import { JobFailedError } from '../../errors/job-failed-error.js';
import { PipelineBuildError } from '../../errors/pipeline-build-error.js';
import type { ErrorPolicy } from './error-policy.js';
import type { JobRunner } from './job-runner.js';
import type { ServiceLookup } from './service/service-lookup.js';
import { findLoops } from './loop/find-loops.js';
import { LoopTracker } from './loop/loop-tracker.js';
import { JobStateError } from '../../errors/job-state-error.js';
import { SnapshotMismatchError } from '../../errors/snapshot-mismatch-error.js';
import { instanceOfKeyGroup } from './key/key-group.js';
import { checkKeyGroups } from './state/check-key-groups.js';
import type { JsonData } from './state/json-codec.js';
import type { InstanceSnapshot, JobSnapshot } from './state/job-snapshot.js';
import type { KeyGroupColumn } from './state/keyed-snapshot.js';
import { JobGate } from './job-gate.js';
import type { JobOutcome } from './job-outcome.js';
import type { OperatorMetrics } from './metrics/operator-metrics.js';
import type { PhysicalPlan, PlanVertex } from './physical-plan.js';
import { createRouter, type Router } from './routing/router.js';
import { serializingRouter } from './routing/serializing-router.js';
import { injectInflight } from './loop/inject-inflight.js';
import { Task } from './task/task.js';
import type { OperatorSlot } from './task/operator-slot.js';
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
  /** Restore even when the snapshot has state of operators this job does not have (that state is dropped). */
  readonly allowNonRestoredState?: boolean;
  /** Periodic checkpoints: every `intervalMs` of the job's scheduler a consistent cut is taken. */
  readonly checkpointIntervalMs?: number;
  /** Id of this run's first checkpoint (a restarted run goes on counting). */
  readonly firstCheckpointId?: number;
  /**
   * Registers a listener for the end of the whole job (across restarts); sinks tell their Observers there.
   * Defaults to this run's end.
   */
  jobEnd?(listener: (outcome: JobOutcome) => void): void;
  /**
   * Called with every periodic checkpoint once every instance took its cut (the JobManager stores it); the
   * store calls `stored()` in the same turn as the checkpoint becomes its latest (the functions then hear
   * `notifyCheckpointComplete`). `valid()` turns false when the run fails meanwhile: the store must then drop
   * the checkpoint. Without a Promise the checkpoint counts as stored at once.
   */
  onCheckpoint?(
    snapshot: JobSnapshot,
    durationMs: number,
    valid: () => boolean,
    stored: () => void,
  ): void | Promise<void>;
  /** The logger of a component of the job (an operator, with its instance when given). */
  loggerFor(operator: string, instance?: number): Logger;
}

/** Run state of a dispatcher. */
export type DispatcherState =
  'created' | 'running' | 'paused' | 'restarting' | 'completed' | 'stopped' | 'failed';

/** How long a failure that waits for the records in flight (see `failAfterDrain`) waits at most, in ms. */
export const DRAIN_BEFORE_FAILURE_MS = 10_000;

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
  /** The counters of an ended job whose instances were let go (`releaseState`). */
  private released: OperatorMetrics[] | undefined = undefined;
  private readonly listeners: ((outcome: JobOutcome) => void)[] = [];
  private remaining = 0;
  private current: DispatcherState = 'created';
  private outcome: JobOutcome | undefined;
  /** A failure waiting for the records in flight to be processed (see `failAfterDrain`). */
  private pendingFailure: { operator: string; error: unknown } | undefined;

  /** The plan, until the job starts (the tasks then hold what they need). */
  private plan: PhysicalPlan | undefined;
  /** The instances feeding each instance over non-feedback edges. */
  private producers = new Map<Task, readonly Task[]>();
  /** The checkpoint being taken, and the ones asked for meanwhile (taken next, together). */
  private pendingCut: PendingCut | undefined;
  private nextCut: PendingCut | undefined;
  private nextCheckpointId = 1;
  /** Checkpoints that could not complete. */
  checkpointsFailed = 0;

  constructor(
    plan: PhysicalPlan,
    private readonly options: DispatcherOptions,
  ) {
    this.plan = plan;
    this.nextCheckpointId = options.firstCheckpointId ?? 1;
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
      // A snapshot that does not fit is bad input to submit: it rejects with that error itself.
      throw e instanceof SnapshotMismatchError ? e : (this.error ?? e);
    }
  }

  private build(plan: PhysicalPlan): void {
    this.checkRestore(plan);
    // Every callback that outlives this method (task, loop and router callbacks) is built by a method of its
    // own, so none shares a scope with the plan or these maps: a finished job keeps no plan or source data.
    const env = this.taskEnvironment();
    const onTaskDone = this.taskDoneCallback();
    const checkSerializable = this.options.config?.checkSerializable === true;
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
      const pressureTargets: Task[] = [];
      for (const edge of vertex.inputs) {
        if (!edge.feedback) pressureTargets.push(...(byVertex.get(edge.from) as Task[]));
      }
      for (const task of byVertex.get(vertex) as Task[]) {
        const routers: Router[] = vertex.outputs.map((edge) => {
          const targets = byVertex.get(edge.to) as Task[];
          const loop = loopOf.get(edge.to);
          const entersLoop = loop !== undefined && loopOf.get(vertex) !== loop;
          return createRouter(
            edge.partitioning,
            targets,
            targets.map((t) => t.addChannel(edge.inputIndex, edge.feedback)),
            entersLoop ? outsideEnded(loop, targets.length) : undefined,
            edge.to.maxParallelism,
          );
        });
        task.wire(
          checkSerializable ? routers.map((r) => serializingRouter(r, lastSlot(task))) : routers,
          pressureTargets,
          vertex.outputs.map((edge) => edge.sideOutput),
        );
      }
    }
    this.producers = new Map(
      plan.vertices.flatMap((v) =>
        (byVertex.get(v) as Task[]).map((t): [Task, Task[]] => [
          t,
          v.inputs.filter((e) => !e.feedback).flatMap((e) => byVertex.get(e.from) as Task[]),
        ]),
      ),
    );
    injectInflight(this.tasks, this.options.restore?.inflight);
    this.scheduleCheckpoints();
    for (const task of this.tasks) if (!task.isSource) task.start();
    for (const task of this.tasks) {
      if (this.outcome !== undefined) return;
      if (task.isSource) task.start();
    }
    // Records a restored checkpoint saved on feedback edges wait in the loop heads' queues: run them.
    for (const task of this.tasks) if (task.queued > 0 && !task.done) task.wake();
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
      firstCheckpointId: options.firstCheckpointId ?? 1,
      services: options.services,
      loggerFor: (operator, instance) => options.loggerFor(operator, instance),
      fail: (operator, error) => {
        this.fail(operator, error);
      },
      failAfterDrain: (operator, error) => {
        this.failAfterDrain(operator, error);
      },
      onEnd: (listener) => {
        if (options.jobEnd !== undefined) options.jobEnd(listener);
        else this.onEnd(listener);
      },
      ackCheckpoint: (id, task, state, inflight) => {
        this.ackCheckpoint(id, task, state, inflight);
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
   * A consistent cut of the job (a savepoint): barriers enter at the sources and are aligned at every
   * instance, so the snapshot holds every record's effect exactly once. A running job goes on; a paused job
   * lets the records already inside it reach the cut (its sources stay paused) and is paused again; a finished
   * job answers its final state.
   */
  snapshot(): Promise<JobSnapshot> {
    if (this.released !== undefined) {
      return Promise.reject(
        new JobStateError(
          'The final state of this job was released: a JobManager keeps the state of its latest ' +
            'maxFinishedJobStates finished jobs only; take a savepoint before the job ends ' +
            '(stopJob(uuid, { savepoint: true })) or raise maxFinishedJobStates',
        ),
      );
    }
    if (this.outcome !== undefined || this.tasks.every((t) => t.done)) {
      return Promise.resolve(this.finalSnapshot());
    }
    if (this.current === 'created') {
      return Promise.reject(new JobStateError('The job has not started yet: snapshot it once it runs'));
    }
    const waiting = (this.nextCut ??= new PendingCut(0));
    if (this.pendingCut === undefined) this.startCut();
    return waiting.promise;
  }

  /** The state of every instance now, without a cut (for a job that has ended). */
  private finalSnapshot(): JobSnapshot {
    const operators: Record<string, InstanceSnapshot[]> = {};
    for (const task of this.tasks) {
      for (const [name, state] of task.captureState(true)) (operators[name] ??= [])[task.index] = state;
    }
    return jobSnapshotOf(this.options.envName, this.options.maxParallelism, operators, {}, 0);
  }

  /** Starts the next cut: every instance that no upstream will send a barrier to gets it directly. */
  private startCut(): void {
    const cut = this.nextCut ?? new PendingCut(0);
    this.nextCut = undefined;
    cut.id = this.nextCheckpointId++;
    cut.remaining = this.tasks.length;
    cut.started = this.options.scheduler.now();
    this.pendingCut = cut;
    if (this.gate.paused) {
      cut.draining = true;
      this.gate.drain();
    }
    for (const task of this.tasks) {
      if (this.pendingCut !== cut) return;
      const producers = this.producers.get(task) ?? [];
      if (task.done || task.isSource || producers.every((p) => p.done)) task.triggerCheckpoint(cut.id);
    }
    if (cut.draining) for (const task of this.tasks) if (!task.done) task.wake();
  }

  private ackCheckpoint(
    id: number,
    task: Task,
    state: ReadonlyMap<string, InstanceSnapshot>,
    inflight: readonly JsonData[] | undefined,
  ): void {
    const cut = this.pendingCut;
    if (cut?.id !== id || cut.acked.has(task)) return;
    cut.acked.add(task);
    for (const [name, instance] of state) (cut.operators[name] ??= [])[task.index] = instance;
    if (inflight !== undefined && inflight.length > 0) {
      (cut.inflight[task.headName] ??= {})[String(task.index)] = inflight;
    }
    if (--cut.remaining > 0) return;
    this.pendingCut = undefined;
    if (cut.draining) this.gate.endDrain();
    const snapshot = jobSnapshotOf(
      this.options.envName,
      this.options.maxParallelism,
      cut.operators,
      cut.inflight,
      cut.id,
    );
    const storing = cut.periodic
      ? this.options.onCheckpoint?.(
          snapshot,
          this.options.scheduler.now() - cut.started,
          () => this.runValid(),
          () => {
            this.notifyComplete(cut.id);
          },
        )
      : undefined;
    if (storing === undefined) this.notifyComplete(cut.id);
    else {
      storing.catch((e: unknown) => {
        if (this.runValid()) {
          this.options.loggerFor('checkpoint').warn(`checkpoint ${String(cut.id)} could not be stored:`, e);
        }
      });
    }
    cut.resolve(snapshot);
    if (this.nextCut !== undefined && this.outcome === undefined) this.startCut();
  }

  /** False once this run failed: a checkpoint still being stored then no longer counts. */
  private runValid(): boolean {
    return this.outcome?.status !== 'failed';
  }

  /** Checkpoint `id` completed (and is stored): functions may commit what it covers. */
  private notifyComplete(id: number): void {
    if (!this.runValid()) return;
    for (const t of this.tasks) t.notifyCheckpointComplete(id);
  }

  /** Periodic checkpoints on the job's scheduler, while the job runs. */
  private scheduleCheckpoints(): void {
    const interval = this.options.checkpointIntervalMs;
    if (interval === undefined || interval <= 0) return;
    const tick = (): void => {
      if (this.outcome !== undefined) return;
      if (this.pendingCut === undefined && this.nextCut === undefined && this.current === 'running') {
        const cut = new PendingCut(0);
        cut.periodic = true;
        this.nextCut = cut;
        cut.promise.catch(() => undefined);
        this.startCut();
      }
      this.subscription.add(this.options.scheduler.schedule(tick, interval));
    };
    this.subscription.add(this.options.scheduler.schedule(tick, interval));
  }

  /** Stops the flow: from now on no instance starts a new record; records and state are kept. */
  pause(): void {
    if (this.current !== 'running') return;
    this.current = 'paused';
    this.gate.pause();
  }

  /**
   * Checks a snapshot against the plan before anything is built: every operator it saved must be in the job
   * (unless `allowNonRestoredState`); state of instances above the new parallelism is logged as dropped.
   */
  private checkRestore(plan: PhysicalPlan): void {
    checkRestore(plan, this.options);
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
    return this.released ?? this.tasks.flatMap((t) => t.slots.map((s) => s.metrics));
  }

  /**
   * Lets go of an ended job's instances (their function objects and keyed state), keeping their counters; a
   * later `snapshot()` rejects. Nothing happens while the job runs.
   *
   * @example
   * ```ts
   * dispatcher.onEnd(() => dispatcher.releaseState());
   * ```
   */
  releaseState(): void {
    if (this.outcome === undefined || this.released !== undefined) return;
    const metrics = this.metrics();
    // A counter's probe is its instance: it would keep every instance (and its state) alive.
    for (const m of metrics) m.probe = undefined;
    this.released = metrics;
    this.tasks.length = 0;
    this.producers = new Map();
  }

  /** Records waiting in input queues, over all instances. */
  queued(): number {
    let n = 0;
    for (const t of this.tasks) n += t.queued;
    return n;
  }

  private taskDone(): void {
    if (--this.remaining === 0 && this.outcome === undefined) {
      const pending = this.pendingFailure;
      if (pending !== undefined) this.fail(pending.operator, pending.error);
      else this.end({ status: 'completed' }, 'completed');
    }
  }

  /**
   * Fails the job once the records inside it have been processed: a consistent cut (barriers behind every
   * record in flight) is taken, then the job fails, or, when every source has ended by then, it fails when it
   * runs out of work (the end of input's windows and timers fired) instead of completing. A job that fails
   * otherwise in the meantime keeps that failure. A record stuck in a call that never settles cannot hold the
   * failure back for more than {@link DRAIN_BEFORE_FAILURE_MS} of the job's scheduler.
   */
  private failAfterDrain(operator: string, error: unknown): void {
    if (this.outcome !== undefined || this.pendingFailure !== undefined) return;
    this.pendingFailure = { operator, error };
    const fail = (): void => {
      this.fail(operator, error);
    };
    this.subscription.add(this.options.scheduler.schedule(fail, DRAIN_BEFORE_FAILURE_MS));
    const afterCut = (): void => {
      // Every source has ended: what is left (the final watermark's windows and timers) ends the job soon, and
      // the job then fails instead of completing. Otherwise the sources still running would keep it going.
      if (this.tasks.every((t) => !t.sourceRunning)) return;
      fail();
    };
    this.snapshot().then(afterCut, fail);
  }

  private end(outcome: JobOutcome, state: DispatcherState): void {
    this.outcome = outcome;
    this.current = state;
    for (const cut of [this.pendingCut, this.nextCut]) {
      if (cut === undefined) continue;
      if (outcome.status === 'completed') cut.resolve(this.finalSnapshot());
      else {
        cut.reject(new JobStateError(`The job ${outcome.status} before the snapshot was complete`));
        if (cut.periodic) this.checkpointsFailed++;
      }
    }
    this.pendingCut = undefined;
    this.nextCut = undefined;
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
 * Checks a snapshot against the plan before anything is built: every operator it saved must be in the job
 * (unless `allowNonRestoredState`: its state is then logged as dropped), and its keyed state must be split
 * into the key groups of the operator's `maxParallelism`; function state of instances above the new
 * parallelism is logged as dropped. Throws SnapshotMismatchError.
 *
 * @example
 * ```ts
 * checkRestore(plan, { restore: snapshot, loggerFor });
 * ```
 */
export function checkRestore(
  plan: PhysicalPlan,
  options: Pick<DispatcherOptions, 'restore' | 'allowNonRestoredState' | 'loggerFor'>,
): void {
  const restore = options.restore;
  if (restore === undefined) return;
  const parallelism = new Map<string, number>();
  const maxParallelism = new Map<string, number>();
  for (const v of plan.vertices) {
    if (v.source !== undefined) parallelism.set(v.source.name, v.parallelism);
    for (const op of v.operators) {
      parallelism.set(op.name, v.parallelism);
      maxParallelism.set(op.name, v.maxParallelism);
    }
  }
  const logger = options.loggerFor('restore');
  for (const [name, instances] of Object.entries(restore.operators)) {
    const p = parallelism.get(name);
    if (p === undefined && instances.some(hasState)) {
      if (options.allowNonRestoredState === true) {
        logger.warn(`restore: operator '${name}' is not in this job; its state is dropped`);
        continue;
      }
      throw new SnapshotMismatchError(
        `The snapshot has state of operator '${name}', which this job does not have (operators are matched by name): ` +
          'name the operator the same way, or pass allowNonRestoredState: true to drop that state',
      );
    }
    if (p === undefined) continue;
    const max = maxParallelism.get(name);
    if (max !== undefined) checkKeyGroups(name, instances, max, restore.maxParallelism);
    for (let i = p; i < instances.length; i++) {
      if (instances[i]?.fields !== undefined) {
        logger.warn(
          `restore: function state of ${name}_${String(i)} is dropped (parallelism is now ${String(p)})`,
        );
      }
    }
  }
}

/**
 * What one instance restores from a snapshot: the function state of the instance with the same index, and the
 * keyed state of every key group it owns at this parallelism, gathered from whichever instances saved them.
 *
 * @example
 * ```ts
 * restoredInstance(snapshot, 'count', 0, 2, 128); // { fields?, keyed? } of count#0 at parallelism 2
 * ```
 */
export function restoredInstance(
  snapshot: JobSnapshot | undefined,
  operator: string,
  index: number,
  parallelism: number,
  maxParallelism: number,
): InstanceSnapshot | undefined {
  const saved = snapshot?.operators[operator];
  if (saved === undefined) return undefined;
  const fields = saved[index]?.fields;
  const keyed: Record<string, Record<string, KeyGroupColumn>> = {};
  let any = false;
  for (const instance of saved) {
    for (const [group, states] of Object.entries(instance.keyed ?? {})) {
      if (instanceOfKeyGroup(Number(group), parallelism, maxParallelism) !== index) continue;
      const into = (keyed[group] ??= Object.create(null) as Record<string, KeyGroupColumn>);
      for (const [name, column] of Object.entries(states)) {
        const known = into[name];
        into[name] =
          known === undefined
            ? column
            : { keys: [...known.keys, ...column.keys], values: [...known.values, ...column.values] };
      }
      any = true;
    }
  }
  return { ...(fields !== undefined ? { fields } : {}), ...(any ? { keyed } : {}) };
}

/** True when a saved instance holds any state (function state other than an empty object, or keyed state). */
function hasState(instance: InstanceSnapshot | undefined): boolean {
  if (instance === undefined) return false;
  if (instance.keyed !== undefined && Object.keys(instance.keyed).length > 0) return true;
  const fields = instance.fields;
  if (fields === undefined || fields === null) return false;
  return typeof fields !== 'object' || Object.keys(fields).length > 0;
}

/** A cut being taken: the acknowledgements gathered so far, and who waits for it. */
class PendingCut {
  remaining = 0;
  started = 0;
  draining = false;
  periodic = false;
  readonly acked = new Set<Task>();
  readonly operators: Record<string, InstanceSnapshot[]> = {};
  readonly inflight: Record<string, Record<string, readonly JsonData[]>> = {};
  readonly promise: Promise<JobSnapshot>;
  resolve!: (snapshot: JobSnapshot) => void;
  reject!: (error: Error) => void;

  constructor(public id: number) {
    this.promise = new Promise<JobSnapshot>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

/** The last operator of an instance's chain: it answers for what the instance sends. */
function lastSlot(task: Task): OperatorSlot {
  return task.slots[task.slots.length - 1] as OperatorSlot;
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
