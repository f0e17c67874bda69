import type { PlanSummary } from '../../jobmanager/job-status.js';

/**
 * A position in one stream: the id of the last entry consumed (`'0'`: nothing yet). Opaque to the runtime,
 * which only stores it, compares it for equality and reads after it.
 */
export type Position = string;

/** The position before a stream's first entry. */
export const START: Position = '0';

/** One entry of a stream: its id (the position after it) and its payload. */
export interface LogEntry {
  readonly id: Position;
  readonly data: string;
}

/** A lease on a task: held by one worker until it expires; `token` fences every commit of the holder. */
export interface LeaseToken {
  readonly task: string;
  readonly token: string;
}

/** What a task committed last: its positions (input streams and output counters), its state, its end. */
export interface CommittedTask {
  readonly positions: ReadonlyMap<string, Position>;
  /** State fields (operator, key group, key) → encoded values. */
  readonly state: ReadonlyMap<string, string>;
  /** True once the task committed its end of stream. */
  readonly done: boolean;
  /** The state fields that hold keyed timers (see `CommitTx.timerIndex`); absent when the log keeps no index. */
  readonly timerFields?: ReadonlySet<string>;
}

/** What a task committed last, without its state (see `PartitionedLog.loadHead`). */
export interface CommittedHead {
  readonly positions: ReadonlyMap<string, Position>;
  readonly done: boolean;
  /** Number of state fields it holds. */
  readonly stateSize: number;
  /**
   * The state fields that hold keyed timers (see `CommitTx.timerIndex`): a task that loads its state lazily
   * loads these keys before it starts, so that their timers fire. Absent when the log keeps no index.
   */
  readonly timerFields?: ReadonlySet<string>;
}

/**
 * One atomic step of a task: applied only while `lease` is still the task's lease and every position still
 * has its `prev` value; then the positions move to `next`, the changed state fields are written (`null`
 * deletes), the outputs are appended and, when `done`, the task is marked finished. All or nothing.
 */
export interface CommitTx {
  readonly lease: LeaseToken;
  readonly positions: readonly { readonly field: string; readonly prev: Position; readonly next: Position }[];
  readonly state: readonly (readonly [field: string, value: string | null])[];
  readonly outputs: readonly { readonly stream: string; readonly entries: readonly string[] }[];
  readonly done?: boolean;
  /**
   * Changes of the task's index of timer keys, applied with the state: each state field that now holds keyed
   * timers (`true`: added to the index) or no longer does (`false`: removed). Logs without `loadHead` may
   * ignore it.
   */
  readonly timerIndex?: readonly (readonly [field: string, holds: boolean])[];
}

/** `'ok'`: applied; `'fenced'`: the lease is gone (a zombie); `'conflict'`: a position moved (applied before). */
export type CommitResult = 'ok' | 'fenced' | 'conflict';

/** A job as workers find it: where its module is (relative to their job root), its args and its fingerprint. */
export interface JobRecord {
  readonly id: string;
  readonly module: string;
  readonly exportName: string;
  readonly args: unknown;
  /** The plan fingerprint every worker must reproduce. */
  readonly fingerprint: string;
  /** Lease length of the job's tasks, in ms. */
  readonly leaseMs: number;
  /** The job's name (set when a JobManager submitted it). */
  readonly name?: string;
  /** ISO time of the submit (set when a JobManager submitted it). */
  readonly submittedAt?: string;
  /** Its tasks and their input streams, so that a JobManager can report and savepoint it without its module. */
  readonly layout?: LogJobLayout;
}

/** One task of a job's layout: its name, its place in the plan and the streams it reads. */
export interface LogTaskLayout {
  /** `<job>:<vertex>:<instance>` (see `taskName`). */
  readonly name: string;
  readonly vertex: number;
  readonly instance: number;
  /** The first operator of its fused chain (the name in-flight records are restored into). */
  readonly head: string;
  /** True when the chain starts with a source. */
  readonly source: boolean;
  /** Its input streams, with the input index of the edge each one carries. */
  readonly inputs: readonly { readonly stream: string; readonly input: number }[];
}

/** A job's tasks in plan order, with the plan's summary and number of key groups. */
export interface LogJobLayout {
  readonly maxParallelism: number;
  readonly tasks: readonly LogTaskLayout[];
  readonly plan: readonly PlanSummary[];
}

/** What a JobManager asks of a job's workers: run, hold (read and commit nothing) or stop (release its tasks). */
export type JobControl = 'running' | 'paused' | 'stopped';

/** What a task committed, without its state: positions (and record counters), end flag, lease holder. */
export interface TaskProgress {
  readonly positions: ReadonlyMap<string, Position>;
  readonly done: boolean;
  /** The token of the lease on the task (it starts with the holder's id and a colon), if any. */
  readonly lease: string | undefined;
}

/** A live worker and when its membership expires (ms since the epoch, on the broker's clock). */
export interface LogMember {
  readonly id: string;
  readonly expiresAt: number;
}

/**
 * A broker's partitioned, replayable log, as the distributed backend needs it (shaped after Kafka): streams
 * with one writer and one reader each, positions stored next to each task's keyed state, leases with
 * fencing tokens, and one atomic commit per batch (lease check + position compare-and-set + changed state +
 * outputs). Consumer-group delivery cursors are deliberately absent: a reader's position only moves inside
 * its own fenced commit, so a zombie's reads change nothing.
 *
 * @example
 * ```ts
 * const lease = await log.acquire('job:1:0', 'worker-a', 3000);
 * if (lease !== undefined) {
 *   const result = await log.commit({ lease, positions: [{ field: 'in', prev: '0', next: '5-0' }], state: [], outputs: [] });
 * }
 * ```
 */
export interface PartitionedLog {
  /** Up to `max` entries of `stream` after `after`, oldest first (none when there are none). */
  read(stream: string, after: Position, max: number): Promise<LogEntry[]>;
  /** Appends entries outside any task (a producer feeding a job). */
  append(stream: string, entries: readonly string[]): Promise<void>;
  /** Takes the lease of `task` for `ttlMs` when nobody holds it. */
  acquire(task: string, worker: string, ttlMs: number): Promise<LeaseToken | undefined>;
  /** Extends a lease still held; false when it expired or another worker holds it now. */
  renew(lease: LeaseToken, ttlMs: number): Promise<boolean>;
  /** Gives a held lease back (no effect when it is not held any more). */
  release(lease: LeaseToken): Promise<void>;
  /** What `task` committed last. */
  load(task: string): Promise<CommittedTask>;
  /**
   * What `task` committed, without its state: its positions, its end and how many state fields it holds
   * (optional; with `loadState` it lets a task that holds a large state load it key by key, on first touch).
   */
  loadHead?(task: string): Promise<CommittedHead>;
  /** The committed values of some state fields of `task`, in order (undefined: no such field). Optional. */
  loadState?(task: string, fields: readonly string[]): Promise<(string | undefined)[]>;
  /** Applies one batch atomically (see CommitTx). */
  commit(tx: CommitTx): Promise<CommitResult>;
  /** Drops the entries of `stream` up to and including `upTo` (its only reader committed past them). */
  trim(stream: string, upTo: Position): Promise<void>;
  /** Heartbeat of `worker` for `ttlMs` on the broker's clock; returns the live workers, sorted. */
  heartbeat(worker: string, ttlMs: number): Promise<string[]>;
  /** Removes `worker` from the live workers at once. */
  leave(worker: string): Promise<void>;
  /** Registers a job for the workers. */
  putJob(job: JobRecord): Promise<void>;
  /** The registered jobs. */
  jobs(): Promise<JobRecord[]>;
  /** Records that a worker refused a job (plan mismatch, module not found): the first reason is kept. */
  failJob(job: string, reason: string): Promise<void>;
  /** The reason a job failed, if it did. */
  jobFailure(job: string): Promise<string | undefined>;
  /** Sets the control flag of a job; its workers read it every tick. */
  setControl(job: string, control: JobControl): Promise<void>;
  /** The control flags of every job that has one. */
  controls(): Promise<Map<string, JobControl>>;
  /** What `task` committed, without its state (cheap enough for a status every tick). */
  progress(task: string): Promise<TaskProgress>;
  /** How many entries of `stream` come after `after` (not yet consumed by its reader). */
  backlog(stream: string, after: Position): Promise<number>;
  /** The live workers with the time their membership expires, sorted by id. */
  members(): Promise<LogMember[]>;
  /** Closes the connection. */
  close(): Promise<void>;
  /**
   * Whether keys `a` and `b` can be written by one atomic commit (on Redis Cluster: they share a hash slot).
   * Absent: always.
   */
  sameSlot?(a: string, b: string): boolean;
}
