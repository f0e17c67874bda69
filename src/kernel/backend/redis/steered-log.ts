import {
  START,
  type CommitResult,
  type CommitTx,
  type CommittedHead,
  type CommittedTask,
  type JobControl,
  type JobRecord,
  type LeaseToken,
  type LogEntry,
  type LogMember,
  type PartitionedLog,
  type Position,
  type TaskProgress,
} from './partitioned-log.js';

/** The task a `SteeredLog` steers: its record counters and its hold. */
export interface SteeredTask {
  counters(): { readonly in: number; readonly out: number };
  pause(): void;
  resume(): void;
}

/** Position fields holding a task's committed record counters (in, out). */
export const RECORDS_IN = 'm:in';
export const RECORDS_OUT = 'm:out';

/**
 * The log as one task of a worker sees it: while the job is paused its reads and commits wait (a paused task
 * reads nothing and commits nothing), once the task is dropped they give nothing (no read, commit refused),
 * and every commit also moves the task's record counters (`m:in`, `m:out`), so the counts a status shows are
 * the committed ones, exact across takeovers. Everything else goes straight to the log.
 *
 * @example
 * ```ts
 * const steered = new SteeredLog(log, false);
 * const task = new StageTask(steered, plan, vertex, 0, lease, options, onEnd);
 * steered.attach(task);
 * steered.hold(true); // the job was paused
 * ```
 */
export class SteeredLog implements PartitionedLog {
  private task: SteeredTask | undefined;
  private paused = false;
  private dropped = false;
  private waiters: (() => void)[] = [];
  private base = { in: 0, out: 0 };
  private committed = { in: START, out: START };

  /**
   * @param source true for a stage that starts with a source: it is replayed from its start, so its counters
   *   count again from zero rather than from the committed values
   */
  /** The log's lazy loading of a large state, when it has it (the task's counters come with the head). */
  readonly loadHead?: (task: string) => Promise<CommittedHead>;
  readonly loadState?: (task: string, fields: readonly string[]) => Promise<(string | undefined)[]>;
  /** The log's slot check, when it has one (Redis Cluster). */
  readonly sameSlot?: (a: string, b: string) => boolean;

  constructor(
    private readonly log: PartitionedLog,
    private readonly source: boolean,
  ) {
    const loadHead = log.loadHead?.bind(log);
    if (loadHead !== undefined) {
      this.loadHead = async (task) => {
        const head = await loadHead(task);
        this.loaded(head.positions);
        return head;
      };
    }
    if (log.loadState !== undefined) this.loadState = log.loadState.bind(log);
    if (log.sameSlot !== undefined) this.sameSlot = log.sameSlot.bind(log);
  }

  /** The task whose counters every commit records, and which `hold` pauses. */
  attach(task: SteeredTask): void {
    this.task = task;
    if (this.paused) task.pause();
  }

  /** Holds the task (`true`: reads and commits wait, its operators pause) or lets it go on. */
  hold(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    if (paused) {
      this.task?.pause();
      return;
    }
    this.task?.resume();
    this.wake();
  }

  /** The task was dropped: waiting reads and commits give up. */
  drop(): void {
    this.dropped = true;
    this.wake();
  }

  async load(task: string): Promise<CommittedTask> {
    const committed = await this.log.load(task);
    this.loaded(committed.positions);
    return committed;
  }

  /** The task's committed counters, from the positions it loaded. */
  private loaded(positions: ReadonlyMap<string, Position>): void {
    this.committed = {
      in: positions.get(RECORDS_IN) ?? START,
      out: positions.get(RECORDS_OUT) ?? START,
    };
    if (!this.source) this.base = { in: Number(this.committed.in), out: Number(this.committed.out) };
  }

  async read(stream: string, after: Position, max: number): Promise<LogEntry[]> {
    await this.whileHeld();
    return this.dropped ? [] : this.log.read(stream, after, max);
  }

  async commit(tx: CommitTx): Promise<CommitResult> {
    const c = this.task?.counters() ?? { in: 0, out: 0 };
    const next = { in: String(this.base.in + c.in), out: String(this.base.out + c.out) };
    await this.whileHeld();
    if (this.dropped) return 'fenced';
    const counters = [
      { field: RECORDS_IN, prev: this.committed.in, next: next.in },
      { field: RECORDS_OUT, prev: this.committed.out, next: next.out },
    ];
    // Counted as committed when sent, so that the next commit in flight compares with these values: a commit
    // refused ends the task, and its successor reads the committed counters from the log.
    this.committed = next;
    return this.log.commit({ ...tx, positions: [...tx.positions, ...counters] });
  }

  append(stream: string, entries: readonly string[]): Promise<void> {
    return this.log.append(stream, entries);
  }

  acquire(task: string, worker: string, ttlMs: number): Promise<LeaseToken | undefined> {
    return this.log.acquire(task, worker, ttlMs);
  }

  renew(lease: LeaseToken, ttlMs: number): Promise<boolean> {
    return this.log.renew(lease, ttlMs);
  }

  release(lease: LeaseToken): Promise<void> {
    return this.log.release(lease);
  }

  trim(stream: string, upTo: Position): Promise<void> {
    return this.log.trim(stream, upTo);
  }

  heartbeat(worker: string, ttlMs: number): Promise<string[]> {
    return this.log.heartbeat(worker, ttlMs);
  }

  leave(worker: string): Promise<void> {
    return this.log.leave(worker);
  }

  putJob(job: JobRecord): Promise<void> {
    return this.log.putJob(job);
  }

  jobs(): Promise<JobRecord[]> {
    return this.log.jobs();
  }

  failJob(job: string, reason: string): Promise<void> {
    return this.log.failJob(job, reason);
  }

  jobFailure(job: string): Promise<string | undefined> {
    return this.log.jobFailure(job);
  }

  setControl(job: string, control: JobControl): Promise<void> {
    return this.log.setControl(job, control);
  }

  controls(): Promise<Map<string, JobControl>> {
    return this.log.controls();
  }

  progress(task: string): Promise<TaskProgress> {
    return this.log.progress(task);
  }

  backlog(stream: string, after: Position): Promise<number> {
    return this.log.backlog(stream, after);
  }

  members(): Promise<LogMember[]> {
    return this.log.members();
  }

  /** The shared connection is not this task's to close. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  private async whileHeld(): Promise<void> {
    while (this.isHeld()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private isHeld(): boolean {
    return this.paused && !this.dropped;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
