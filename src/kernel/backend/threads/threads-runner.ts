import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { BackendUnavailableError } from '../../../errors/backend-unavailable-error.js';
import { JobFailedError } from '../../../errors/job-failed-error.js';
import { JobStateError } from '../../../errors/job-state-error.js';
import { PlanMismatchError } from '../../../errors/plan-mismatch-error.js';
import type { JobOrigin } from '../../jobmanager/job-origin.js';
import { planFingerprint } from '../../jobmanager/plan-fingerprint.js';
import type { DispatcherOptions, DispatcherState } from '../../runtime/dispatcher.js';
import type { JobOutcome } from '../../runtime/job-outcome.js';
import type { JobRunner } from '../../runtime/job-runner.js';
import { findLoops } from '../../runtime/loop/find-loops.js';
import type { OperatorMetrics } from '../../runtime/metrics/operator-metrics.js';
import type { PhysicalPlan } from '../../runtime/physical-plan.js';
import { DEFAULT_MAX_PARALLELISM } from '../../runtime/key/key-group.js';
import type { InstanceSnapshot, JobSnapshot } from '../../runtime/state/job-snapshot.js';
import type { ThreadsBackendSpec } from '../backend-spec.js';
import { siblingModule, spawnWorker } from '../spawn-worker.js';
import { fromWireError } from '../wire-error.js';
import { fromWireMetrics } from '../wire-metrics.js';
import type { ShardState } from './shard-runner.js';
import type { FromThreadsWorker, ShardReport, ToThreadsWorker } from './threads-protocol.js';

/** One worker thread of a threads job, as the job status shows it. */
export interface WorkerStatus {
  readonly id: number;
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
 * workers' reports; the job completes when every worker finished, and fails when one fails or its thread dies.
 * A finished job's snapshot merges the workers' final state; plans with feedback loops run in-process only.
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
  private readonly workers: Worker[] = [];
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

  constructor(
    plan: PhysicalPlan,
    private readonly options: DispatcherOptions,
    private readonly origin: JobOrigin,
    private readonly spec: ThreadsBackendSpec,
  ) {
    this.plan = plan;
    this.count = spec.workers ?? Math.max(2, availableParallelism());
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
      pid: process.pid,
      tasks: this.reports[id]?.tasks ?? [],
      lastSeen: new Date(this.seen[id] ?? Date.now()).toISOString(),
    }));
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
    if (findLoops(plan.vertices).length > 0) {
      throw new BackendUnavailableError(
        'threads',
        'its plan has a feedback loop, and loops are not split over threads yet; submit it in-process',
      );
    }
    if (this.options.restore !== undefined || this.options.checkpointIntervalMs !== undefined) {
      throw new BackendUnavailableError(
        'threads',
        'checkpoints, savepoints and restores across threads are not supported yet; run a job that restores ' +
          'or checkpoints in-process',
      );
    }
    if (!Number.isInteger(this.count) || this.count < 1) {
      throw new RangeError(`threads backend: workers must be a positive integer, got ${String(this.count)}`);
    }
    this.current = 'running';
    const expected = planFingerprint(plan, this.origin.moduleHash);
    const entry = siblingModule(import.meta.url, 'threads-worker');
    for (let id = 0; id < this.count; id++) {
      const worker = spawnWorker(entry, {
        workerData: {
          origin: this.origin,
          worker: id,
          workers: this.count,
          batchSize: this.spec.batchSize ?? 1000,
          credits: this.spec.credits ?? 8,
          jobId: this.options.jobId,
          reportIntervalMs: 200,
        },
      });
      this.workers.push(worker);
      worker.on('message', (m: FromThreadsWorker) => {
        this.receive(id, m, expected);
      });
      worker.on('error', (e) => {
        this.fail(`worker ${String(id)}`, e);
      });
      worker.on('exit', (code) => {
        if (this.outcome === undefined) {
          this.fail(
            `worker ${String(id)}`,
            new Error(`its thread exited with code ${String(code)} before the job ended`),
          );
        }
      });
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
      w.postMessage(
        { type: 'peers', ports: own } satisfies ToThreadsWorker,
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

  /** The final state of a completed job, merged from every worker; a running threads job cannot be cut yet. */
  snapshot(): Promise<JobSnapshot> {
    if (this.outcome?.status !== 'completed') {
      return Promise.reject(
        new JobStateError(
          'Savepoints of a job on the threads backend are taken once it completed; checkpoints across threads are not supported yet',
        ),
      );
    }
    const operators: Record<string, InstanceSnapshot[]> = {};
    for (const shard of this.states) {
      for (const task of shard) {
        for (const [name, state] of Object.entries(task.operators))
          (operators[name] ??= [])[task.index] = state;
      }
    }
    return Promise.resolve({
      job: this.options.envName,
      takenAt: new Date().toISOString(),
      maxParallelism: this.options.maxParallelism ?? DEFAULT_MAX_PARALLELISM,
      operators,
    });
  }

  private receive(id: number, m: FromThreadsWorker, expected: string): void {
    if (this.outcome !== undefined) return;
    switch (m.type) {
      case 'ready':
        if (m.fingerprint !== expected) {
          this.fail(
            `worker ${String(id)}`,
            new PlanMismatchError(`worker ${String(id)}`, expected, m.fingerprint),
          );
          return;
        }
        if (++this.ready === this.count) this.broadcast({ type: 'build' });
        return;
      case 'load-failed':
        this.fail(`worker ${String(id)}`, fromWireError(m.error));
        return;
      case 'built':
        if (++this.built < this.count) return;
        this.running = { wallMs: performance.now(), cpuUs: cpuMicroseconds() };
        this.broadcast({ type: 'start' });
        if (this.current === 'paused') this.broadcast({ type: 'pause' });
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
    for (const w of this.workers) w.postMessage(message);
  }

  private fail(where: string, error: unknown): void {
    this.end({ status: 'failed', error: new JobFailedError(this.options.envName, where, error) });
  }

  private end(outcome: JobOutcome): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    this.current = outcome.status;
    for (const w of this.workers) void w.terminate();
    for (const listener of this.listeners.splice(0)) listener(outcome);
  }
}

function cpuMicroseconds(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}
