import { hostname } from 'node:os';
import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { BackendUnavailableError } from '../../../errors/backend-unavailable-error.js';
import { PlanMismatchError } from '../../../errors/plan-mismatch-error.js';
import type { PlanVertex } from '../../runtime/physical-plan.js';
import { ownerOfTask } from './assign-tasks.js';
import { loadJobModule, type LoadedJob } from './load-job-module.js';
import type { JobControl, JobRecord, PartitionedLog } from './partitioned-log.js';
import { SteeredLog } from './steered-log.js';
import { StageTask, type StageTaskEnd, type StageTaskOptions } from './stage-task.js';
import { taskName } from './task-names.js';
import { errorMessage } from '../../../errors/error-message.js';

/** Options of a `LogWorker`. */
export interface LogWorkerOptions {
  /** Directory the job modules are imported from (the same files on every machine). */
  readonly jobRoot: string;
  /** This worker's id (default: host, pid and a random suffix). */
  readonly id?: string;
  /** Control tick: heartbeat, assignment, lease renewal, in ms (default a sixth of the lease, at most 500). */
  readonly tickMs?: number;
  /** Membership time-out when a job sets no lease length, in ms (default 3000). */
  readonly leaseMs?: number;
  /** The scheduler the worker's ticks and tasks run on (default asyncScheduler). */
  readonly scheduler?: SchedulerLike;
  /** Builds a job's plan (default: import its module from `jobRoot`). */
  readonly load?: (job: JobRecord) => Promise<LoadedJob>;
  /** Tuning of the tasks (batch sizes, commit interval). */
  readonly task?: Pick<
    StageTaskOptions,
    'entriesPerRead' | 'intervalMs' | 'maxBuffered' | 'recordsPerEntry' | 'commitsInFlight' | 'lazyStateFrom'
  >;
  /** Receives one line per event (acquired, released, lost, refused). */
  readonly onEvent?: (line: string) => void;
}

interface JobState {
  readonly record: JobRecord;
  readonly job: LoadedJob;
  readonly tasks: readonly {
    readonly name: string;
    readonly vertex: PlanVertex;
    readonly instance: number;
  }[];
  readonly done: Set<string>;
}

/**
 * A worker of the log backend (`sage worker`): heartbeats its membership on the broker's clock, finds the
 * registered jobs, builds each job's plan from its module (checking the fingerprint), and runs the tasks that
 * the deterministic assignment `sorted(live)[k % n]` gives it, each under a lease with a fencing token that it
 * renews every tick. A task whose lease is lost is dropped with its cache; its next owner reloads the committed
 * state. Workers may join and leave at any time.
 *
 * @example
 * ```ts
 * const worker = new LogWorker(await RedisLog.connect(url), { jobRoot: './jobs' });
 * worker.start();
 * // … later
 * await worker.stop();
 * ```
 */
export class LogWorker {
  readonly id: string;
  private readonly jobs = new Map<string, JobState | 'refused' | 'loading'>();
  private readonly running = new Map<string, StageTask>();
  /** The steered log of each running task (its hold and its counters). */
  private readonly steering = new Map<string, SteeredLog>();
  /** The control flags read in the latest tick. */
  private controls = new Map<string, JobControl>();
  private timer: Subscription | undefined;
  private ticking = false;
  private stopped = false;

  constructor(
    private readonly log: PartitionedLog,
    private readonly options: LogWorkerOptions,
  ) {
    this.id = options.id ?? `${hostname()}:${String(process.pid)}:${Math.random().toString(36).slice(2, 8)}`;
  }

  /** The tasks this worker runs now (`<job>:<stage>:<instance>`). */
  get tasks(): string[] {
    return [...this.running.keys()];
  }

  /** Starts ticking (the first tick at once). */
  start(): void {
    const scheduler = this.options.scheduler ?? asyncScheduler;
    const tickMs = this.options.tickMs ?? Math.min(500, Math.floor((this.options.leaseMs ?? 3000) / 6));
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const worker = this;
    this.timer = scheduler.schedule(function () {
      void worker.tick();
      this.schedule(undefined, tickMs);
    }, 0);
  }

  /** One control round: heartbeat, jobs, assignment, leases. Safe to call by hand (specs). */
  async tick(): Promise<void> {
    if (this.ticking || this.stopped) return;
    this.ticking = true;
    try {
      const live = await this.log.heartbeat(this.id, this.options.leaseMs ?? 3000);
      for (const record of await this.log.jobs()) await this.loadJob(record);
      this.controls = await this.log.controls();
      for (const state of this.jobs.values()) {
        if (typeof state === 'string') continue;
        if (await this.steer(state)) continue;
        await this.balance(state, live);
      }
    } catch (e) {
      this.event(`tick failed: ${errorMessage(e)}`);
    } finally {
      this.ticking = false;
    }
  }

  /** Stops every task, gives its lease back and leaves the membership. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.unsubscribe();
    const leases = [...this.running.values()].map((t) => {
      t.stop('worker stopped');
      return t.lease;
    });
    this.running.clear();
    await Promise.allSettled(leases.map((l) => this.log.release(l)));
    await this.log.leave(this.id).catch(() => undefined);
  }

  /** Forgets every task at once without telling the broker (a crash, for specs). */
  crash(): void {
    this.stopped = true;
    this.timer?.unsubscribe();
    for (const t of this.running.values()) t.stop('crashed');
    this.running.clear();
  }

  /**
   * Applies the job's control flag to its tasks here: paused ones hold, a stopped job's tasks are dropped and
   * their leases given back (and none is taken again). True when the job is stopped.
   */
  private async steer(state: JobState): Promise<boolean> {
    const control = this.controls.get(state.record.id) ?? 'running';
    const mine = state.tasks.filter((t) => this.running.has(t.name));
    if (control !== 'stopped') {
      for (const t of mine) this.steering.get(t.name)?.hold(control === 'paused');
      return false;
    }
    for (const t of state.tasks) state.done.add(t.name);
    await Promise.all(
      mine.map(async ({ name }) => {
        const task = this.running.get(name);
        if (task === undefined) return;
        this.running.delete(name);
        task.stop('job stopped');
        await this.log.release(task.lease);
        this.event(`released ${name}: job stopped`);
      }),
    );
    return true;
  }

  private async loadJob(record: JobRecord): Promise<void> {
    if (this.jobs.has(record.id)) return;
    this.jobs.set(record.id, 'loading');
    try {
      const job = await (this.options.load ?? ((r: JobRecord) => this.importJob(r)))(record);
      if (job.fingerprint !== record.fingerprint) {
        throw new PlanMismatchError(this.id, record.fingerprint, job.fingerprint);
      }
      if (job.plan.vertices.some((v) => v.inputs.some((e) => e.feedback))) {
        throw new BackendUnavailableError(
          'redis',
          `job ${record.id} has a feedback loop (iterate), which the Redis backend cannot run yet; run it in-process or on threads`,
        );
      }
      const tasks = job.plan.vertices.flatMap((vertex) =>
        Array.from({ length: vertex.parallelism }, (_, instance) => ({
          name: taskName(record.id, vertex, instance),
          vertex,
          instance,
        })),
      );
      this.jobs.set(record.id, { record, job, tasks, done: new Set() });
    } catch (e) {
      this.jobs.set(record.id, 'refused');
      const reason = errorMessage(e);
      this.event(`refused job ${record.id}: ${reason}`);
      await this.log.failJob(record.id, reason);
    }
  }

  private importJob(record: JobRecord): Promise<LoadedJob> {
    return loadJobModule({
      jobRoot: this.options.jobRoot,
      module: record.module,
      exportName: record.exportName,
      args: record.args,
      jobId: record.id,
    });
  }

  private async balance(state: JobState, live: readonly string[]): Promise<void> {
    const ttl = state.record.leaseMs;
    await Promise.all(
      state.tasks.map(async ({ name, vertex, instance }, k) => {
        if (state.done.has(name)) return;
        const mine = ownerOfTask(k, live) === this.id;
        const task = this.running.get(name);
        if (task !== undefined) {
          if (!mine) {
            this.running.delete(name);
            task.stop('handed over');
            await this.log.release(task.lease);
            this.event(`released ${name}`);
          } else if (!(await this.log.renew(task.lease, ttl))) {
            this.running.delete(name);
            task.stop('lease lost');
            this.event(`lost ${name}: lease expired`);
          }
          return;
        }
        if (!mine || this.stopped) return;
        const lease = await this.log.acquire(name, this.id, ttl);
        if (lease === undefined || this.isStopped()) return;
        const job = state.job;
        const options: StageTaskOptions = {
          ...this.options.task,
          jobId: state.record.id,
          envName: job.envName,
          config: job.config,
          scheduler: this.options.scheduler ?? asyncScheduler,
          errorPolicy: job.errorPolicy,
          loggerFor: job.loggerFor,
        };
        const steered = new SteeredLog(this.log, vertex.source !== undefined);
        steered.hold(this.controls.get(state.record.id) === 'paused');
        const started = new StageTask(steered, job.plan, vertex, instance, lease, options, (end) => {
          steered.drop();
          if (this.steering.get(name) === steered) this.steering.delete(name);
          this.taskEnded(state, name, started, end);
        });
        steered.attach(started);
        this.steering.set(name, steered);
        this.running.set(name, started);
        this.event(`acquired ${name}`);
        void started.run();
      }),
    );
  }

  private taskEnded(state: JobState, name: string, task: StageTask, end: StageTaskEnd): void {
    if (this.running.get(name) === task) this.running.delete(name);
    switch (end.status) {
      case 'done':
        state.done.add(name);
        {
          const { commits, p50, p99 } = task.commitStats();
          this.event(
            `done ${name} (${String(commits)} commits, p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms)`,
          );
        }
        void this.log.release(task.lease).catch(() => undefined);
        break;
      case 'lost':
        this.event(`dropped ${name}: ${end.reason}`);
        // A commit in doubt (connection lost) keeps the lease: give it back so that the task reloads at once.
        if (end.reason !== 'crashed') void this.log.release(task.lease).catch(() => undefined);
        break;
      case 'failed': {
        const reason = `${end.operator}: ${errorMessage(end.error)}`;
        this.event(`failed ${name}: ${reason}`);
        void this.log.release(task.lease).catch(() => undefined);
        void this.log.failJob(state.record.id, reason).catch(() => undefined);
        break;
      }
    }
  }

  private isStopped(): boolean {
    return this.stopped;
  }

  private event(line: string): void {
    this.options.onEvent?.(`${this.id} ${line}`);
  }
}
