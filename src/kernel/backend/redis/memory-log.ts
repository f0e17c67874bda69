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

interface TaskRecord {
  positions: Map<string, Position>;
  state: Map<string, string>;
  /** The state fields that hold keyed timers (`CommitTx.timerIndex`). */
  timers: Set<string>;
  done: boolean;
}

/**
 * A `PartitionedLog` in this process's memory, with the same semantics as the Redis one (fenced commits,
 * position compare-and-set, leases that expire on its clock): for unit and property specs in milliseconds.
 * The clock is injected (`now`), so specs expire leases by moving it.
 *
 * @example
 * ```ts
 * let now = 0;
 * const log = new MemoryLog(() => now);
 * const lease = await log.acquire('job:1:0', 'w1', 1000);
 * now += 2000; // the lease has expired: another worker may take the task
 * ```
 */
export class MemoryLog implements PartitionedLog {
  private readonly streams = new Map<string, { seq: number; entries: LogEntry[] }>();
  private readonly leases = new Map<string, { token: string; expires: number }>();
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly membership = new Map<string, number>();
  private readonly jobRecords = new Map<string, JobRecord>();
  private readonly failures = new Map<string, string>();
  private readonly flags = new Map<string, JobControl>();
  private tokens = 0;
  /** Commits refused because the lease was gone, and because a position had moved. */
  fenced = 0;
  conflicts = 0;
  /** State fields asked for one by one (`loadState`), for specs. */
  fieldsLoaded = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Every entry of `stream` still held (for specs). */
  entries(stream: string): readonly LogEntry[] {
    return this.streams.get(stream)?.entries ?? [];
  }

  read(stream: string, after: Position, max: number): Promise<LogEntry[]> {
    const s = this.streams.get(stream);
    if (s === undefined) return Promise.resolve([]);
    const from = Number(after.split('-')[0]);
    return Promise.resolve(s.entries.filter((e) => Number(e.id.split('-')[0]) > from).slice(0, max));
  }

  append(stream: string, entries: readonly string[]): Promise<void> {
    this.push(stream, entries);
    return Promise.resolve();
  }

  acquire(task: string, worker: string, ttlMs: number): Promise<LeaseToken | undefined> {
    const held = this.leases.get(task);
    if (held !== undefined && held.expires > this.now()) return Promise.resolve(undefined);
    const token = `${worker}:${String(++this.tokens)}`;
    this.leases.set(task, { token, expires: this.now() + ttlMs });
    return Promise.resolve({ task, token });
  }

  renew(lease: LeaseToken, ttlMs: number): Promise<boolean> {
    if (!this.holds(lease)) return Promise.resolve(false);
    this.leases.set(lease.task, { token: lease.token, expires: this.now() + ttlMs });
    return Promise.resolve(true);
  }

  release(lease: LeaseToken): Promise<void> {
    if (this.holds(lease)) this.leases.delete(lease.task);
    return Promise.resolve();
  }

  load(task: string): Promise<CommittedTask> {
    const t = this.tasks.get(task);
    return Promise.resolve({
      positions: new Map(t?.positions),
      state: new Map(t?.state),
      done: t?.done ?? false,
      timerFields: new Set(t?.timers),
    });
  }

  loadHead(task: string): Promise<CommittedHead> {
    const t = this.tasks.get(task);
    return Promise.resolve({
      positions: new Map(t?.positions),
      done: t?.done ?? false,
      stateSize: t?.state.size ?? 0,
      timerFields: new Set(t?.timers),
    });
  }

  loadState(task: string, fields: readonly string[]): Promise<(string | undefined)[]> {
    const state = this.tasks.get(task)?.state;
    this.fieldsLoaded += fields.length;
    return Promise.resolve(fields.map((f) => state?.get(f)));
  }

  commit(tx: CommitTx): Promise<CommitResult> {
    if (!this.holds(tx.lease)) {
      this.fenced++;
      return Promise.resolve('fenced');
    }
    let t = this.tasks.get(tx.lease.task);
    if (t === undefined) {
      t = { positions: new Map(), state: new Map(), timers: new Set(), done: false };
      this.tasks.set(tx.lease.task, t);
    }
    for (const p of tx.positions) {
      if ((t.positions.get(p.field) ?? START) !== p.prev) {
        this.conflicts++;
        return Promise.resolve('conflict');
      }
    }
    for (const p of tx.positions) t.positions.set(p.field, p.next);
    for (const [field, value] of tx.state) {
      if (value === null) t.state.delete(field);
      else t.state.set(field, value);
    }
    for (const [field, holds] of tx.timerIndex ?? []) {
      if (holds) t.timers.add(field);
      else t.timers.delete(field);
    }
    for (const o of tx.outputs) this.push(o.stream, o.entries);
    if (tx.done === true) t.done = true;
    return Promise.resolve('ok');
  }

  trim(stream: string, upTo: Position): Promise<void> {
    const s = this.streams.get(stream);
    const last = Number(upTo.split('-')[0]);
    if (s !== undefined) s.entries = s.entries.filter((e) => Number(e.id.split('-')[0]) > last);
    return Promise.resolve();
  }

  heartbeat(worker: string, ttlMs: number): Promise<string[]> {
    const now = this.now();
    this.membership.set(worker, now + ttlMs);
    for (const [w, expires] of this.membership) if (expires <= now) this.membership.delete(w);
    return Promise.resolve([...this.membership.keys()].sort());
  }

  leave(worker: string): Promise<void> {
    this.membership.delete(worker);
    return Promise.resolve();
  }

  putJob(job: JobRecord): Promise<void> {
    this.jobRecords.set(job.id, job);
    return Promise.resolve();
  }

  jobs(): Promise<JobRecord[]> {
    return Promise.resolve([...this.jobRecords.values()]);
  }

  failJob(job: string, reason: string): Promise<void> {
    if (!this.failures.has(job)) this.failures.set(job, reason);
    return Promise.resolve();
  }

  jobFailure(job: string): Promise<string | undefined> {
    return Promise.resolve(this.failures.get(job));
  }

  setControl(job: string, control: JobControl): Promise<void> {
    this.flags.set(job, control);
    return Promise.resolve();
  }

  controls(): Promise<Map<string, JobControl>> {
    return Promise.resolve(new Map(this.flags));
  }

  progress(task: string): Promise<TaskProgress> {
    const t = this.tasks.get(task);
    const held = this.leases.get(task);
    return Promise.resolve({
      positions: new Map(t?.positions),
      done: t?.done ?? false,
      lease: held !== undefined && held.expires > this.now() ? held.token : undefined,
    });
  }

  backlog(stream: string, after: Position): Promise<number> {
    const from = Number(after.split('-')[0]);
    return Promise.resolve(this.entries(stream).filter((e) => Number(e.id.split('-')[0]) > from).length);
  }

  members(): Promise<LogMember[]> {
    const now = this.now();
    return Promise.resolve(
      [...this.membership.entries()]
        .filter(([, expires]) => expires > now)
        .map(([id, expiresAt]) => ({ id, expiresAt }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private holds(lease: LeaseToken): boolean {
    const held = this.leases.get(lease.task);
    return held !== undefined && held.token === lease.token && held.expires > this.now();
  }

  private push(stream: string, entries: readonly string[]): void {
    let s = this.streams.get(stream);
    if (s === undefined) {
      s = { seq: 0, entries: [] };
      this.streams.set(stream, s);
    }
    for (const data of entries) s.entries.push({ id: `${String(++s.seq)}-0`, data });
  }
}
