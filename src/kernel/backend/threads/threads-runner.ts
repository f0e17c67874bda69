import { hostname } from 'node:os';
import { availableParallelism } from 'node:os';
import { jobSnapshotOf } from '../../runtime/state/job-snapshot-of.js';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { SchedulerLike } from 'rxjs';
import { JobFailedError } from '../../../errors/job-failed-error.js';
import { JobStateError } from '../../../errors/job-state-error.js';
import { PlanMismatchError } from '../../../errors/plan-mismatch-error.js';
import type { JobOrigin } from '../../jobmanager/job-origin.js';
import { planFingerprint } from '../../jobmanager/plan-fingerprint.js';
import { SnapshotMismatchError } from '../../../errors/snapshot-mismatch-error.js';
import { checkRestore, type DispatcherOptions, type DispatcherState } from '../../runtime/dispatcher.js';
import type { JobOutcome } from '../../runtime/job-outcome.js';
import type { JobRunner } from '../../runtime/job-runner.js';
import type { OperatorMetrics } from '../../runtime/metrics/operator-metrics.js';
import type { PhysicalPlan } from '../../runtime/physical-plan.js';
import type { JsonData } from '../../runtime/state/json-codec.js';
import type { InstanceSnapshot, JobSnapshot } from '../../runtime/state/job-snapshot.js';
import type { ThreadsBackendSpec } from '../backend-spec.js';
import { fromWireError } from '../wire-error.js';
import { fromWireMetrics } from '../wire-metrics.js';
import { DEFAULT_CREDITS } from './peer.js';
import { threadPool, type PooledThread } from './thread-pool.js';
import type { ShardCut, ShardState } from './shard-runner.js';
import type {
  FromThreadsWorker,
  ShardReport,
  ShardStats,
  ThreadsJobMessage,
  ThreadsWorkerData,
  ToThreadsWorker,
} from './threads-protocol.js';

/** One worker thread of a threads job, as the job status shows it. */
export interface WorkerStatus {
  readonly id: number;
  /** The machine's host name (every worker thread runs in this process). */
  readonly host: string;
  readonly pid: number;
  /** The instances it runs, `<operator>#<instance>`. */
  readonly tasks: readonly string[];
  /** ISO time of its latest report. */
  readonly lastSeen: string;
}

/**
 * Runs a job built from a module on worker threads (`submit({ backend: { kind: 'threads', workers } })`). Each
 * worker imports the module with the same args, compiles the same plan and reports its fingerprint; any
 * mismatch with the coordinator's fails the job with `PlanMismatchError`. Then every worker wires its share of
 * the instances (a `ShardRunner`: fused chains stay whole; records cross threads in batches with credits), and
 * only once all are wired do the sources start. Pause, continue and stop are broadcast; metrics come from the
 * workers' reports; the job completes when every worker finished, and fails when one fails or its thread dies
 * (the job's restart strategy then starts a new run from the latest checkpoint).
 *
 * Checkpoints and savepoints: the coordinator numbers them and tells every worker; each worker injects the
 * barrier at its sources and the barriers travel in-band (across threads too) as in-process; each worker sends
 * its part once all its instances took their cut, and the parts merge into one `JobSnapshot` (keyed state by
 * key group, so it restores in-process or on threads at any parallelism). A restore is checked here
 * (`SnapshotMismatchError`) and handed to every worker, each restoring the key groups of its instances.
 *
 * @example
 * ```ts
 * const runner = new ThreadsRunner(plan, options, env.origin, { kind: 'threads', workers: 2 });
 * runner.onEnd((o) => console.log(o.status));
 * runner.start();
 * ```
 */
export class ThreadsRunner implements JobRunner {
  private current: DispatcherState = 'created';
  private outcome: JobOutcome | undefined;
  private readonly listeners: ((outcome: JobOutcome) => void)[] = [];
  private readonly workers: WorkerLink[] = [];
  private readonly reports: (ShardReport | undefined)[] = [];
  private readonly seen: number[] = [];
  private readonly states: ShardState[][] = [];
  private readonly count: number;
  private ready = 0;
  private built = 0;
  private done = 0;
  private metricsCache: OperatorMetrics[] | undefined;
  private running: { readonly wallMs: number; readonly cpuUs: number } | undefined;
  private plan: PhysicalPlan | undefined;
  /** The checkpoint being taken, and the one asked for meanwhile (taken next). */
  private pendingCut: PendingCut | undefined;
  private nextCut: PendingCut | undefined;
  private nextCheckpointId: number;
  private periodic: { unsubscribe(): void } | undefined;

  constructor(
    plan: PhysicalPlan,
    private readonly options: DispatcherOptions,
    private readonly origin: JobOrigin,
    private readonly spec: ThreadsBackendSpec,
  ) {
    this.plan = plan;
    this.count = spec.workers ?? Math.max(2, availableParallelism());
    this.nextCheckpointId = options.firstCheckpointId ?? 1;
  }

  get state(): DispatcherState {
    return this.current;
  }

  get error(): Error | undefined {
    return this.outcome?.status === 'failed' ? this.outcome.error : undefined;
  }

  /** The worker threads: id, thread id, instances, last report. */
  workerStatus(): WorkerStatus[] {
    return this.workers.map((w, id) => ({
      id,
      host: hostname(),
      pid: process.pid,
      tasks: this.reports[id]?.tasks ?? [],
      lastSeen: new Date(this.seen[id] ?? Date.now()).toISOString(),
    }));
  }

  /** Each worker's latest time and channel counters (from its reports), for diagnosing a run. */
  workerStats(): (ShardStats | undefined)[] {
    return this.workers.map((_, id) => this.reports[id]?.stats);
  }

  /**
   * When every worker had built its shard and the sources were started (`performance.now()` ms, and the
   * process's CPU µs then): the end of the start-up (threads, module imports, compiling).
   */
  get startedRunning(): { readonly wallMs: number; readonly cpuUs: number } | undefined {
    return this.running;
  }

  onEnd(listener: (outcome: JobOutcome) => void): void {
    if (this.outcome !== undefined) listener(this.outcome);
    else this.listeners.push(listener);
  }

  /** Starts the worker threads; the job runs once every one has built the same plan. */
  start(): void {
    const plan = this.plan;
    if (plan === undefined || this.current !== 'created')
      throw new Error('ThreadsRunner.start: a runner runs once');
    this.plan = undefined;
    if (!Number.isInteger(this.count) || this.count < 1) {
      throw new RangeError(`threads backend: workers must be a positive integer, got ${String(this.count)}`);
    }
    this.current = 'running';
    try {
      checkRestore(plan, this.options);
    } catch (e) {
      this.fail('submit', e);
      throw e instanceof SnapshotMismatchError ? e : (this.error ?? e);
    }
    const expected = planFingerprint(plan, this.origin.moduleHash);
    for (let id = 0; id < this.count; id++) {
      const data: ThreadsWorkerData = {
        origin: this.origin,
        worker: id,
        workers: this.count,
        batchSize: this.spec.batchSize ?? 1000,
        credits: this.spec.credits ?? DEFAULT_CREDITS,
        jobId: this.options.jobId,
        reportIntervalMs: 200,
        restore: this.options.restore,
        firstCheckpointId: this.nextCheckpointId,
      };
      const link = new WorkerLink(threadPool.acquire(this.origin), {
        message: (m) => {
          this.receive(id, m, expected);
        },
        error: (e) => {
          this.fail(`worker ${String(id)}`, e);
        },
        exit: (code) => {
          if (this.outcome === undefined) {
            this.fail(
              `worker ${String(id)}`,
              new Error(`its thread exited with code ${String(code)} before the job ended`),
            );
          }
        },
      });
      this.workers.push(link);
      link.open(data);
    }
    const ports: (MessagePort | undefined)[][] = this.workers.map(() => this.workers.map(() => undefined));
    for (let a = 0; a < this.count; a++) {
      for (let b = a + 1; b < this.count; b++) {
        const { port1, port2 } = new MessageChannel();
        (ports[a] as (MessagePort | undefined)[])[b] = port1;
        (ports[b] as (MessagePort | undefined)[])[a] = port2;
      }
    }
    this.workers.forEach((w, id) => {
      const own = ports[id] as (MessagePort | undefined)[];
      w.post(
        { type: 'peers', ports: own },
        own.filter((p) => p !== undefined),
      );
    });
  }

  pause(): void {
    if (this.current !== 'running') return;
    this.current = 'paused';
    this.broadcast({ type: 'pause' });
  }

  resume(): void {
    if (this.current !== 'paused') return;
    this.current = 'running';
    this.broadcast({ type: 'resume' });
  }

  stop(): void {
    if (this.outcome !== undefined) return;
    this.broadcast({ type: 'stop' });
    this.end({ status: 'stopped' });
  }

  metrics(): OperatorMetrics[] {
    return (this.metricsCache ??= fromWireMetrics(this.reports.flatMap((r) => r?.metrics ?? [])));
  }

  queued(): number {
    let n = 0;
    for (const r of this.reports) n += r?.queued ?? 0;
    return n;
  }

  /**
   * A consistent cut of the job (a savepoint), taken with barriers across the workers: a running job goes on; a
   * paused job lets the records inside it reach the cut and stays paused; a completed job answers its final
   * state, merged from every worker.
   */
  snapshot(): Promise<JobSnapshot> {
    if (this.outcome?.status === 'completed') return Promise.resolve(this.finalSnapshot());
    if (this.outcome !== undefined) {
      return Promise.reject(
        new JobStateError(`The job ${this.outcome.status}: there is nothing to snapshot`),
      );
    }
    if (this.current === 'created') {
      return Promise.reject(new JobStateError('The job has not started yet: snapshot it once it runs'));
    }
    const waiting = (this.nextCut ??= new PendingCut(false));
    if (this.pendingCut === undefined && this.running !== undefined) this.startCut();
    return waiting.promise;
  }

  /** The final state of every worker's instances, merged. */
  private finalSnapshot(): JobSnapshot {
    const operators: Record<string, InstanceSnapshot[]> = {};
    for (const shard of this.states) {
      for (const task of shard) {
        for (const [name, state] of Object.entries(task.operators))
          (operators[name] ??= [])[task.index] = state;
      }
    }
    return jobSnapshotOf(this.options.envName, this.options.maxParallelism, operators, {}, 0);
  }

  /** Starts the next cut: every worker injects its barrier. */
  private startCut(): void {
    const cut = this.nextCut ?? new PendingCut(false);
    this.nextCut = undefined;
    cut.id = this.nextCheckpointId++;
    cut.started = this.options.scheduler.now();
    this.pendingCut = cut;
    this.broadcast({ type: 'checkpoint', id: cut.id });
  }

  /** A worker's part of the pending cut arrived. */
  private cutArrived(worker: number, part: ShardCut): void {
    const cut = this.pendingCut;
    if (cut?.id !== part.id || cut.parts.has(worker)) return;
    cut.parts.set(worker, part);
    if (cut.parts.size < this.count) return;
    this.pendingCut = undefined;
    const operators: Record<string, InstanceSnapshot[]> = {};
    const inflight: Record<string, Record<string, readonly JsonData[]>> = {};
    for (const p of cut.parts.values()) {
      for (const task of p.state) {
        for (const [name, state] of Object.entries(task.operators))
          (operators[name] ??= [])[task.index] = state;
      }
      for (const [head, instances] of Object.entries(p.inflight))
        Object.assign((inflight[head] ??= {}), instances);
    }
    const snapshot = jobSnapshotOf(
      this.options.envName,
      this.options.maxParallelism,
      operators,
      inflight,
      cut.id,
    );
    const id = cut.id;
    const storing = cut.periodic
      ? this.options.onCheckpoint?.(
          snapshot,
          this.options.scheduler.now() - cut.started,
          () => this.outcome?.status !== 'failed',
          () => {
            this.complete(id);
          },
        )
      : undefined;
    if (storing === undefined) this.complete(id);
    else {
      storing.catch((e: unknown) => {
        if (this.outcome?.status !== 'failed') {
          this.options.loggerFor('checkpoint').warn(`checkpoint ${String(id)} could not be stored:`, e);
        }
      });
    }
    cut.resolve(snapshot);
    if (this.nextCut !== undefined && this.outcome === undefined) this.startCut();
  }

  /** Checkpoint `id` is complete and stored: the workers tell their functions. */
  private complete(id: number): void {
    if (this.outcome?.status === 'failed') return;
    this.broadcast({ type: 'checkpoint-complete', id });
  }

  /** Periodic checkpoints on the job's scheduler, while the job runs. */
  private scheduleCheckpoints(): void {
    const interval = this.options.checkpointIntervalMs;
    if (interval === undefined || interval <= 0) return;
    const tick = (): void => {
      if (this.outcome !== undefined) return;
      if (this.pendingCut === undefined && this.nextCut === undefined && this.current === 'running') {
        const cut = new PendingCut(true);
        cut.promise.catch(() => undefined);
        this.nextCut = cut;
        this.startCut();
      }
      this.periodic = this.options.scheduler.schedule(tick, interval);
    };
    this.periodic = this.options.scheduler.schedule(tick, interval);
  }

  private receive(id: number, m: FromThreadsWorker, expected: string): void {
    if (this.outcome !== undefined) return;
    switch (m.type) {
      case 'ready':
        (this.workers[id] as WorkerLink).phase = 'idle';
        if (m.fingerprint !== expected) {
          // The mismatch is the job's failure itself (a JobFailedError), not wrapped in another.
          this.end({
            status: 'failed',
            error: new PlanMismatchError(
              `worker ${String(id)}`,
              expected,
              m.fingerprint,
              this.options.envName,
            ),
          });
          return;
        }
        if (++this.ready === this.count) this.broadcast({ type: 'build' });
        return;
      case 'load-failed':
        (this.workers[id] as WorkerLink).phase = 'idle';
        this.fail(`worker ${String(id)}`, fromWireError(m.error));
        return;
      case 'built':
        if (++this.built < this.count) return;
        this.running = { wallMs: performance.now(), cpuUs: cpuMicroseconds() };
        for (const w of this.workers) w.phase = 'running';
        this.broadcast({ type: 'start' });
        if (this.current === 'paused') this.broadcast({ type: 'pause' });
        this.scheduleCheckpoints();
        if (this.nextCut !== undefined) this.startCut();
        return;
      case 'cut':
        this.cutArrived(id, m.cut);
        return;
      case 'report':
        this.take(id, m.report);
        return;
      case 'done':
        this.take(id, m.report);
        this.states[id] = [...m.state];
        if (m.status === 'failed') {
          const error = fromWireError(m.error ?? { name: 'Error', message: 'failed' });
          this.end({ status: 'failed', error });
          return;
        }
        if (m.status === 'completed' && ++this.done === this.count) this.end({ status: 'completed' });
        return;
    }
  }

  private take(id: number, report: ShardReport): void {
    this.reports[id] = report;
    this.seen[id] = Date.now();
    this.metricsCache = undefined;
  }

  private broadcast(message: ToThreadsWorker): void {
    for (const w of this.workers) w.post(message);
  }

  private fail(where: string, error: unknown): void {
    this.end({ status: 'failed', error: new JobFailedError(this.options.envName, where, error) });
  }

  private end(outcome: JobOutcome): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    this.current = outcome.status;
    this.periodic?.unsubscribe();
    for (const cut of [this.pendingCut, this.nextCut]) {
      if (cut === undefined) continue;
      if (outcome.status === 'completed') cut.resolve(this.finalSnapshot());
      else cut.reject(new JobStateError(`The job ${outcome.status} before the snapshot was complete`));
    }
    this.pendingCut = undefined;
    this.nextCut = undefined;
    for (const w of this.workers) w.close(this.options.scheduler);
    for (const listener of this.listeners.splice(0)) listener(outcome);
  }
}

function cpuMicroseconds(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** A checkpoint or savepoint being taken: the workers' parts gathered so far, and who waits for it. */
class PendingCut {
  id = 0;
  started = 0;
  readonly parts = new Map<number, ShardCut>();
  readonly promise: Promise<JobSnapshot>;
  resolve!: (snapshot: JobSnapshot) => void;
  reject!: (error: Error) => void;

  constructor(readonly periodic: boolean) {
    this.promise = new Promise<JobSnapshot>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

/** Ms a thread still running its shard when its job ended gets to stop it; then it is terminated. */
const STOP_GRACE_MS = 2000;

/**
 * The coordinator's end of one worker thread during a job: the job's own control channel, the thread's error
 * and exit listeners, and what the thread is doing (`loading` the module, `idle`: ready or done, or `running`
 * its shard). At the end of the job an idle thread goes back to the pool; a running one is told to stop and goes
 * back once its shard ended, or is terminated if it has not within {@link STOP_GRACE_MS} (a function that loops
 * for ever); a loading one is terminated.
 */
class WorkerLink {
  /** What the thread is doing in this job. */
  phase: 'loading' | 'idle' | 'running' = 'loading';
  private readonly control: MessagePort;
  private readonly remote: MessagePort;
  private closing: { unsubscribe(): void } | undefined;

  constructor(
    private readonly thread: PooledThread,
    private readonly on: {
      readonly message: (m: FromThreadsWorker) => void;
      readonly error: (e: Error) => void;
      readonly exit: (code: number) => void;
    },
  ) {
    const { port1, port2 } = new MessageChannel();
    this.control = port1;
    this.remote = port2;
    port1.on('message', (m: FromThreadsWorker) => {
      if (m.type === 'done') this.phase = 'idle';
      if (this.closing === undefined) on.message(m);
      else if (this.phase === 'idle') this.finish();
    });
    thread.worker.on('error', on.error);
    thread.worker.on('exit', on.exit);
  }

  /** Starts the job's share on the thread. */
  open(data: ThreadsWorkerData): void {
    this.thread.worker.postMessage({ data, control: this.remote } satisfies ThreadsJobMessage, [this.remote]);
  }

  post(message: ToThreadsWorker, transfer: readonly MessagePort[] = []): void {
    this.control.postMessage(message, transfer);
  }

  /** The job is over: the thread goes back to the pool once idle; a loading or stuck one is terminated. */
  close(scheduler: SchedulerLike): void {
    const worker = this.thread.worker;
    worker.off('error', this.on.error);
    worker.off('exit', this.on.exit);
    if (this.phase !== 'running') {
      this.finish();
      return;
    }
    this.post({ type: 'stop' });
    this.closing = scheduler.schedule(() => {
      this.phase = 'loading';
      this.finish();
    }, STOP_GRACE_MS);
  }

  private finish(): void {
    this.closing?.unsubscribe();
    this.control.close();
    if (this.phase === 'idle') threadPool.release(this.thread);
    else void this.thread.worker.terminate();
  }
}
