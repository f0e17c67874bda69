import { Subscription, type SchedulerLike } from 'rxjs';
import type { Logger } from 'loglevel';
import { CrossSlotError } from '../../../errors/cross-slot-error.js';
import type { ErrorPolicy } from '../../runtime/error-policy.js';
import { JobGate } from '../../runtime/job-gate.js';
import type { PhysicalPlan, PlanVertex } from '../../runtime/physical-plan.js';
import type { Receiver } from '../../runtime/routing/receiver.js';
import { createRouter, type Router } from '../../runtime/routing/router.js';
import type { InstanceSnapshot } from '../../runtime/state/job-snapshot.js';
import type { ServiceLookup } from '../../runtime/service/service-lookup.js';
import type { OperatorSlot } from '../../runtime/task/operator-slot.js';
import { Task } from '../../runtime/task/task.js';
import type { TaskEnvironment } from '../../runtime/task/task-environment.js';
import { RECORD_ID, type RecordIdSource } from '../../runtime/context/record-id.js';
import { COMMIT_WRITER, type CommitWriter } from './commit-writer.js';
import { keyGroupOf } from '../../runtime/key/key-group.js';
import { encodeJson, OMITTED, type JsonData } from '../../runtime/state/json-codec.js';
import {
  decodeEntry,
  encodeEntry,
  encodeRecord,
  type DecodedRecord,
  type EncodedRecord,
} from './entry-codec.js';
import {
  START,
  type CommitResult,
  type CommitTx,
  type CommittedTask,
  type LeaseToken,
  type LogEntry,
  type PartitionedLog,
  type Position,
} from './partitioned-log.js';
import { SOURCE_FIELD, SOURCE_POSITION, SourcePositionTracker } from './source-position.js';
import {
  changedStateFields,
  snapshotsOf,
  timerFieldsOf,
  timerIndexChanges,
  type StateSource,
} from './state-fields.js';
import { edgeStream, taskName, taskStream } from './task-names.js';
import { errorMessage } from '../../../errors/error-message.js';

/** What a stage task needs besides its place in the plan. */
export interface StageTaskOptions {
  readonly jobId: string;
  readonly envName: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly scheduler: SchedulerLike;
  readonly errorPolicy: ErrorPolicy;
  readonly services?: ServiceLookup | undefined;
  readonly loggerFor: (operator: string, instance?: number) => Logger;
  /** Entries read per input stream per batch (default 10). */
  readonly entriesPerRead?: number;
  /** How long a source stage collects output before it commits, and an idle reader waits, in ms (default 20). */
  readonly intervalMs?: number;
  /** Output records a source stage buffers before it stops pulling until the next commit (default 5000). */
  readonly maxBuffered?: number;
  /** Records per stream entry (default 1000). */
  readonly recordsPerEntry?: number;
  /**
   * State fields from which a task that takes over loads each key's state on first touch instead of all at
   * once (default 100,000; stages fed by streams, with a `PartitionedLog` that has `loadHead`/`loadState`).
   * The keys that hold keyed timers (indexed in every commit) are loaded before the first record runs, so
   * every committed timer fires, whether or not a record of its key arrives.
   */
  readonly lazyStateFrom?: number;
  /** Commits a task sends before it waits for the oldest one's answer (default 4; 1: one at a time). */
  readonly commitsInFlight?: number;
}

/** One input stream of the task: its channel, the position read up to, whether its producer ended. */
interface StreamInput {
  readonly stream: string;
  readonly channel: number;
  position: Position;
  ended: boolean;
}

/** How a stage task ended: finished its input, lost its lease (or doubted its commit), or failed. */
export type StageTaskEnd =
  | { readonly status: 'done' }
  | { readonly status: 'lost'; readonly reason: string }
  | { readonly status: 'failed'; readonly operator: string; readonly error: unknown };

/** One output stream of the task: what waits for the next commit, and how many items it holds. */
interface Output {
  readonly stream: string;
  /** One entry per item (sink appends) or one entry per batch of records (edge streams). */
  readonly perItem: boolean;
  pending: EncodedRecord[];
  /** Items sent in commits so far (a source stage's position on this stream), and items to drop on a replay. */
  committed: number;
  skip: number;
  ended: boolean;
}

/**
 * One task of a job under a log backend (the Redis backend): instance `instance` of a plan vertex, run by the
 * engine's own `Task` with its keyed state loaded from what the task last committed, reading its input streams
 * from the positions stored next to that state. Each batch commits, atomically and fenced by the lease, the new
 * input positions, the state fields that changed and the outputs; a refused commit ends the task (`lost`) and
 * whoever owns it next reloads the committed state, so no record is lost or applied twice. A stage that starts
 * with a source has no input positions: it is replayed from the start and drops the outputs already committed
 * (counted per output stream), which is exact for deterministic sources; a source that reports its positions
 * (`SourcePosition`, as `RedisStreamSource` does) has the position of the last record it handed over committed
 * with the batch once that record's asynchronous calls settled (a consistent cut, see `runSource`), and its
 * stage resumes after it with the committed state instead.
 *
 * @example
 * ```ts
 * const task = new StageTask(log, plan, vertex, 0, lease, options, (end) => console.log(end.status));
 * await task.run();
 * ```
 */
export class StageTask {
  readonly name: string;
  private readonly gate = new JobGate();
  private readonly subscription = new Subscription();
  private readonly outputs = new Map<string, Output>();
  private readonly inputs: StreamInput[] = [];
  /** Keys whose state was loaded (`[group, key]` as JSON) when the state is loaded lazily; else undefined. */
  private lazyLoaded: Set<string> | undefined;
  /** The state fields that hold keyed timers, as the commits sent so far leave the log's index of them. */
  private timerFields = new Set<string>();
  /** Index changes the next commit carries besides those of its state (a full load found the index stale). */
  private timerRepair: [string, boolean][] = [];
  /** Commits sent and not yet answered, oldest first (see `send`). */
  private readonly inFlight: Promise<CommitResult>[] = [];
  private task: Task | undefined;
  /** The function-state fields as last committed (keyed state is tracked by touched keys instead). */
  private readonly lastFunctionFields = new Map<string, string>();
  private stateSources: StateSource[] = [];
  private ended: StageTaskEnd | undefined;
  private pressed = false;
  private readonly sleepers = new Set<() => void>();
  /**
   * Where the records handed to the task came from, for `ctx.recordId`: entry k holds the records with
   * ordinals `markStarts[k]` (1-based, in the order they were received) onwards, from `markPositions[k]`.
   * The task runs records in the order it receives them, so the head operator's `in` counter is the ordinal
   * of the record being processed even when an asynchronous operator made the task queue them.
   */
  private readonly markStarts: number[] = [];
  private readonly markPositions: string[] = [];
  private received = 0;
  /** A source stage's source position (see `SourcePosition`), and whether the task resumed from a committed one. */
  private sourceAt: SourcePositionTracker | undefined;
  private resumed = false;
  /** Whether appends to a stream can be part of the commit (see `CommitWriter.inCommit`), per stream. */
  private readonly inCommit = new Map<string, boolean>();
  /** Commits applied by this task. */
  commits = 0;
  /** Round-trip time of each applied commit, in ms (for the worker's report and the bench). */
  readonly commitMs: number[] = [];

  constructor(
    private readonly log: PartitionedLog,
    private readonly plan: PhysicalPlan,
    private readonly vertex: PlanVertex,
    readonly instance: number,
    readonly lease: LeaseToken,
    private readonly options: StageTaskOptions,
    private readonly onEnd: (end: StageTaskEnd) => void,
  ) {
    this.name = taskName(options.jobId, vertex, instance);
  }

  /** Commits so far and their round-trip time at the median and the 99th percentile, in ms. */
  commitStats(): { readonly commits: number; readonly p50: number; readonly p99: number } {
    const sorted = [...this.commitMs].sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return { commits: this.commits, p50: at(0.5), p99: at(0.99) };
  }

  /** Holds the task's operators (sources stop pulling; results of running calls wait): see `TaskSteering`. */
  pause(): void {
    this.gate.pause();
  }

  /** Lets a held task go on. */
  resume(): void {
    this.gate.resume();
    if (this.task !== undefined && !this.task.done && !this.isOver()) this.task.wake();
  }

  /** Records that entered the task's chain (none for a source stage) and that left it, since it was built. */
  counters(): { readonly in: number; readonly out: number } {
    const slots = this.task?.slots ?? [];
    return { in: slots[0]?.metrics.in ?? 0, out: slots[slots.length - 1]?.metrics.out ?? 0 };
  }

  /** True once the task ended (done, lost or failed). */
  get finished(): boolean {
    return this.isOver();
  }

  private isOver(): boolean {
    return this.ended !== undefined;
  }

  /** Loads what the task committed, then runs it until it ends. Never rejects: failures end the task. */
  async run(): Promise<void> {
    try {
      const committed = await this.loadCommitted();
      if (this.isOver()) return;
      if (committed.done) {
        this.end({ status: 'done' });
        return;
      }
      for (const [field, value] of committed.state) {
        if (field.startsWith('[') && (JSON.parse(field) as unknown[]).length === 1) {
          this.lastFunctionFields.set(field, value);
        }
      }
      if (this.lazyLoaded === undefined) this.indexTimers(committed);
      this.build(committed.positions, committed.state);
      if (this.vertex.source !== undefined) await this.runSource();
      else await this.runConsumer();
    } catch (e) {
      // Keys that cannot share a Redis Cluster slot fail the job: running it again cannot help.
      if (e instanceof CrossSlotError) this.end({ status: 'failed', operator: this.headName(), error: e });
      else this.end({ status: 'lost', reason: errorMessage(e) });
    }
  }

  /**
   * What the task committed. A stage fed by streams whose state holds more than `lazyStateFrom` fields loads
   * only its positions, its function state and the state of the keys that hold keyed timers (the log's index,
   * `loadTimerKeys`: their timers go back in the heaps, so they fire whether or not a record of their key
   * comes) now, and each other key's state just before the first batch with a record of that key runs
   * (`loadKeys`), so that a takeover starts processing at once.
   */
  private async loadCommitted(): Promise<CommittedTask> {
    const log = this.log;
    if (this.vertex.source === undefined && log.loadHead !== undefined && log.loadState !== undefined) {
      const head = await log.loadHead(this.name);
      if (!head.done && head.stateSize > (this.options.lazyStateFrom ?? 100_000)) {
        const names = this.vertex.operators.map((o) => JSON.stringify([o.name]));
        this.lazyLoaded = new Set();
        this.timerFields = new Set(head.timerFields);
        const [values, timerKeys] = await Promise.all([
          log.loadState(this.name, names),
          this.loadTimerKeys(log.loadState.bind(log)),
        ]);
        const state = new Map<string, string>(timerKeys);
        names.forEach((name, i) => {
          const value = values[i];
          if (value !== undefined) state.set(name, value);
        });
        return { positions: head.positions, done: head.done, state };
      }
    }
    return log.load(this.name);
  }

  /**
   * The committed state fields, for every operator of the chain, of the keys that hold keyed timers (the log's
   * index, `timerFields`), in chunks sent together; the keys are marked loaded. Built from them, the task's
   * timer services put every committed timer back in their heaps before the first record runs.
   */
  private async loadTimerKeys(
    loadState: (task: string, fields: readonly string[]) => Promise<(string | undefined)[]>,
  ): Promise<Map<string, string>> {
    const loaded = this.lazyLoaded as Set<string>;
    const keys: string[] = [];
    for (const field of this.timerFields) {
      const parts = JSON.parse(field) as unknown[];
      if (parts.length !== 3) continue;
      const id = JSON.stringify(parts.slice(1));
      if (loaded.has(id)) continue;
      loaded.add(id);
      keys.push(id.slice(1, -1));
    }
    const fields = this.vertex.operators.flatMap((o) => keys.map((k) => `[${JSON.stringify(o.name)},${k}]`));
    const chunk = 5000;
    const chunks: string[][] = [];
    for (let i = 0; i < fields.length; i += chunk) chunks.push(fields.slice(i, i + chunk));
    const values = (await Promise.all(chunks.map((c) => loadState(this.name, c)))).flat();
    const state = new Map<string, string>();
    fields.forEach((field, i) => {
      const value = values[i];
      if (value !== undefined) state.set(field, value);
    });
    return state;
  }

  /**
   * A task that loaded its whole state: the fields that hold timers, and the index changes that make the log's
   * index match them (an index left stale by a state committed before the log kept one), sent with the next
   * commit.
   */
  private indexTimers(committed: CommittedTask): void {
    if (committed.timerFields === undefined) return;
    this.timerFields = timerFieldsOf(committed.state);
    for (const field of this.timerFields) {
      if (!committed.timerFields.has(field)) this.timerRepair.push([field, true]);
    }
    for (const field of committed.timerFields) {
      if (!this.timerFields.has(field)) this.timerRepair.push([field, false]);
    }
  }

  /**
   * Loads the committed state of the keys of `records` that were not loaded yet, for every operator of the
   * chain (one `loadState` round trip), before the records run.
   */
  private async loadKeys(records: readonly DecodedRecord[]): Promise<void> {
    const loaded = this.lazyLoaded;
    const loadState = this.log.loadState?.bind(this.log);
    if (loaded === undefined || loadState === undefined) return;
    const maxParallelism = this.vertex.maxParallelism;
    const wanted: { id: string; group: number; key: JsonData }[] = [];
    const asked = new Set<string>();
    for (const r of records) {
      const encoded = encodeJson(r[1], 'plain');
      const key = encoded === OMITTED ? null : encoded;
      const group = keyGroupOf(r[1], maxParallelism);
      const id = JSON.stringify([group, key]);
      if (loaded.has(id) || asked.has(id)) continue;
      asked.add(id);
      wanted.push({ id, group, key });
    }
    if (wanted.length === 0) return;
    const slots = (this.task as Task).slots;
    const fields = slots.flatMap((slot) =>
      wanted.map((w) => JSON.stringify([slot.operatorName, w.group, w.key])),
    );
    const values = await loadState(this.name, fields);
    slots.forEach((slot, i) => {
      const snapshot: Record<string, Record<string, { keys: JsonData[]; values: JsonData[] }>> = {};
      wanted.forEach((w, j) => {
        const value = values[i * wanted.length + j];
        if (value === undefined) return;
        const tables = (snapshot[String(w.group)] ??= {});
        for (const [name, v] of Object.entries(JSON.parse(value) as Record<string, JsonData>)) {
          const column = (tables[name] ??= { keys: [], values: [] });
          column.keys.push(w.key);
          column.values.push(v);
        }
      });
      if (Object.keys(snapshot).length > 0) slot.ctx.state.restoreMore(snapshot);
    });
    for (const w of wanted) loaded.add(w.id);
  }

  private headName(): string {
    return this.vertex.source?.name ?? this.vertex.operators[0]?.name ?? this.name;
  }

  /** Stops the task at once (its lease was lost, or the worker stops); nothing more is committed. */
  stop(reason: string): void {
    this.end({ status: 'lost', reason });
  }

  private build(positions: ReadonlyMap<string, Position>, state: ReadonlyMap<string, string>): void {
    // A source stage is replayed from its start, so its state is rebuilt, never restored (only committed),
    // unless its source committed a position: then it resumes after that position with the committed state.
    if (this.vertex.source !== undefined) {
      this.resumed = positions.has(SOURCE_FIELD);
      this.sourceAt = new SourcePositionTracker(
        positions.get(SOURCE_FIELD),
        () => this.task?.slots[0]?.metrics.out ?? 0,
      );
    }
    const restored = snapshotsOf(this.vertex.source !== undefined && !this.resumed ? new Map() : state);
    const env = this.environment((operator) => restored.get(operator));
    const task = new Task(this.vertex, this.instance, env, () => undefined);
    // `ctx.recordId` numbers a replayed source's records by the source's `out` counter, read inside a record.
    task.countsEachRecord = this.vertex.source !== undefined;
    this.task = task;
    this.stateSources = task.slots.map((slot) => {
      const keyed = slot.ctx.state;
      keyed.trackTouched();
      return {
        operatorName: slot.operatorName,
        functionSnapshot: () => slot.functionSnapshot(),
        takeTouched: () => keyed.takeTouched(),
      };
    });
    for (const edge of this.vertex.inputs) {
      for (let j = 0; j < edge.from.parallelism; j++) {
        const stream = edgeStream(
          taskName(this.options.jobId, edge.from, j),
          edge.from.outputs.indexOf(edge),
          this.instance,
        );
        const channel = task.addChannel(edge.inputIndex, edge.feedback);
        this.inputs.push({ stream, channel, position: positions.get(`in:${stream}`) ?? START, ended: false });
      }
    }
    const routers: Router[] = this.vertex.outputs.map((edge, e) => {
      const receivers: Receiver[] = [];
      for (let q = 0; q < edge.to.parallelism; q++) {
        receivers.push(this.edgeReceiver(this.output(edgeStream(this.name, e, q), false, positions)));
      }
      return createRouter(
        edge.partitioning,
        receivers,
        receivers.map(() => 0),
        undefined,
        edge.to.maxParallelism,
      );
    });
    task.wire(
      routers,
      [],
      this.vertex.outputs.map((edge) => edge.sideOutput),
    );
    this.commitPositions = positions;
  }

  private commitPositions: ReadonlyMap<string, Position> = new Map();

  private output(stream: string, perItem: boolean, positions: ReadonlyMap<string, Position>): Output {
    let out = this.outputs.get(stream);
    if (out === undefined) {
      const committed = Number(positions.get(`out:${stream}`) ?? '0');
      out = { stream, perItem, pending: [], committed, skip: this.resumed ? 0 : committed, ended: false };
      this.outputs.set(stream, out);
    }
    return out;
  }

  /** Queues one item on an output (dropped while a replayed source stage is still before its committed count). */
  private push(out: Output, item: EncodedRecord): void {
    if (this.vertex.source !== undefined && out.skip > 0) {
      out.skip--;
      return;
    }
    out.pending.push(item);
    if (
      this.vertex.source !== undefined &&
      !this.pressed &&
      out.pending.length >= (this.options.maxBuffered ?? 5000)
    ) {
      this.pressed = true;
      this.task?.addPressure();
    }
  }

  private edgeReceiver(out: Output): Receiver {
    return {
      receive: (value, key, _channel, timestamp) => {
        this.push(out, encodeRecord(value, key, timestamp));
      },
      barrier: () => undefined,
      upstreamEnded: () => {
        out.ended = true;
      },
    };
  }

  private environment(restoredFor: (operator: string) => InstanceSnapshot | undefined): TaskEnvironment {
    const o = this.options;
    const writer: CommitWriter = {
      append: (stream, data) => {
        this.push(this.output(taskStream(stream, this.name), true, this.commitPositions), data);
      },
      recordId: () => this.recordId() ?? `${this.name}/none`,
      inCommit: (stream) => {
        let inCommit = this.inCommit.get(stream);
        if (inCommit === undefined) {
          inCommit = this.log.sameSlot?.(`{${this.name}}:pos`, taskStream(stream, this.name)) ?? true;
          this.inCommit.set(stream, inCommit);
        }
        return inCommit;
      },
    };
    return {
      envName: o.envName,
      config: {
        ...o.config,
        [COMMIT_WRITER]: writer,
        [RECORD_ID]: (() => this.recordId()) satisfies RecordIdSource,
        ...(this.sourceAt !== undefined ? { [SOURCE_POSITION]: this.sourceAt } : {}),
      },
      jobId: o.jobId,
      scheduler: o.scheduler,
      gate: this.gate,
      subscription: this.subscription,
      errorPolicy: o.errorPolicy,
      services: o.services,
      firstCheckpointId: 1,
      highWaterMark: Number.MAX_SAFE_INTEGER,
      loggerFor: (operator, instance) => o.loggerFor(operator, instance),
      fail: (operator, error) => {
        this.end({ status: 'failed', operator, error });
      },
      restoredFor: (operator) => restoredFor(operator),
      ackCheckpoint: () => undefined,
      onEnd: () => undefined,
    };
  }

  /**
   * The id of the record the task is processing (see `ctx.recordId`): `<task>/<stream>@<entry id>/<index in
   * the entry>`, or `<task>/src/<ordinal>` in a stage that starts with a source (replayed from its start, so
   * the ordinal is stable), `<task>/src@<position>` when the source reports positions. Undefined before the
   * first record.
   */
  private recordId(): string | undefined {
    const head = this.task?.slots[0];
    if (head === undefined) return undefined;
    if (this.vertex.source !== undefined) {
      const n = head.metrics.out;
      if (n === 0) return undefined;
      const at = this.sourceAt?.positionOf(n);
      return at !== undefined ? `${this.name}/src@${at}` : `${this.name}/src/${String(n)}`;
    }
    const n = head.metrics.in;
    const starts = this.markStarts;
    let lo = 0;
    let hi = starts.length - 1;
    if (hi < 0 || n < (starts[0] as number)) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= n) lo = mid;
      else hi = mid - 1;
    }
    return `${this.name}/${this.markPositions[lo] as string}/${String(n - (starts[lo] as number))}`;
  }

  /**
   * A source stage: runs the source, committing what it produced every interval, and its end.
   *
   * When the source reports positions, each commit is a consistent cut: every record up to the committed
   * position has run to its end (its outputs and state effects are in this commit or an earlier one) and no
   * later record has started. A record whose asynchronous call (a Promise, an Observable, a service call) is
   * still running when the interval ends would otherwise have its position committed without its output, and
   * a takeover would resume after it. Flink's `AsyncWaitOperator` instead writes its in-flight input elements
   * into the checkpoint and re-issues them on restore; that needs each asynchronous step to serialize its inputs
   * and a restore path into the middle of a fused chain. Here the task holds one source record at a time while
   * a call is awaited (sources pull only while it is ready), so draining costs at most the calls of that record:
   * the stage presses its source (no new pull), waits until no operator after the source has a call in flight,
   * takes the cut in the same turn, then releases the press. A chain with only synchronous operators is
   * always drained between two macrotasks, so it never waits; a source's own pending read (its record not
   * emitted yet) is not waited for, as the committed position is that of the last record it handed over.
   */
  private async runSource(): Promise<void> {
    const task = this.task as Task;
    const at = this.sourceAt as SourcePositionTracker;
    const interval = this.options.intervalMs ?? 20;
    task.start();
    for (;;) {
      if (this.isOver()) return;
      if (!task.done) await this.sleep(interval);
      if (this.isOver()) return;
      let cutting = false;
      while (at.reports && !task.done && this.callsInFlight(task) && !this.isOver()) {
        if (!cutting) {
          cutting = true;
          task.addPressure();
        }
        // A paused job's calls settle only once it resumes: look again every interval meanwhile.
        await this.sleep(this.gate.halted ? interval : 1);
      }
      if (this.isOver()) return;
      const finished = task.done;
      // Taken in this turn (`send` takes the cut before its first await): nothing ran since the check.
      const sent = this.send([], finished);
      if (cutting) task.removePressure();
      if ((await sent) !== 'ok') return;
      if (this.pressed) {
        this.pressed = false;
        task.removePressure();
      }
      if (finished) {
        if ((await this.drain()) === 'ok') this.end({ status: 'done' });
        return;
      }
    }
  }

  /** True while an operator after the source (slot 0) has an asynchronous call that has not settled. */
  private callsInFlight(task: Task): boolean {
    const slots = task.slots;
    for (let i = 1; i < slots.length; i++) if ((slots[i] as OperatorSlot).metrics.inFlight !== 0) return true;
    return false;
  }

  /**
   * A stage fed by streams: read a batch from every input, process it, commit it; until every input ended.
   * The next batch is read, and processed, while earlier ones commit (after the positions they move to): if a
   * commit is refused the task ends and what came after it is dropped, so nothing is applied twice.
   */
  private async runConsumer(): Promise<void> {
    const task = this.task as Task;
    task.start();
    let reading = observed(this.readInputs());
    for (;;) {
      if (this.isOver()) return;
      const reads = await reading;
      if (this.isOver()) return;
      const decoded = reads.map(([input, entries]) => ({
        input,
        entries: entries.map((entry) => ({ id: entry.id, ...decodeEntry(entry.data) })),
      }));
      if (this.lazyLoaded !== undefined) {
        await this.loadKeys(decoded.flatMap((d) => d.entries.flatMap((e) => e.records)));
        if (this.isOver()) return;
      }
      const moved: { field: string; prev: Position; next: Position }[] = [];
      for (const { input, entries } of decoded) {
        for (const { id, records, end } of entries) {
          if (records.length > 0) {
            this.markStarts.push(this.received + 1);
            this.markPositions.push(`${input.stream}@${id}`);
            this.received += records.length;
          }
          for (const r of records) task.receive(r[0], r[1], input.channel, r[2]);
          if (end) {
            input.ended = true;
            task.upstreamEnded(input.channel);
          }
        }
        const last = entries[entries.length - 1];
        if (last !== undefined) {
          moved.push({ field: `in:${input.stream}`, prev: input.position, next: last.id });
          input.position = last.id;
        }
      }
      if (moved.length === 0 && !task.done) {
        await this.sleep(this.options.intervalMs ?? 20);
        reading = observed(this.readInputs());
        continue;
      }
      while (!task.done && !task.ready() && !this.isOver()) await this.sleep(1);
      if (this.isOver()) return;
      const finished = task.done;
      // Every record received so far has run (the task was ready): only the last entry can still be named.
      this.markStarts.splice(0, this.markStarts.length - 1);
      this.markPositions.splice(0, this.markPositions.length - 1);
      if (!finished) reading = observed(this.readInputs());
      if ((await this.send(moved, finished)) !== 'ok') return;
      if (finished) {
        if ((await this.drain()) === 'ok') this.end({ status: 'done' });
        return;
      }
    }
  }

  /** One batch from every input that has not ended, after its position. */
  private async readInputs(): Promise<[StreamInput, LogEntry[]][]> {
    const open = this.inputs.filter((i) => !i.ended);
    const max = this.options.entriesPerRead ?? 10;
    const reads = await Promise.all(open.map((i) => this.log.read(i.stream, i.position, max)));
    return open.map((input, n) => [input, reads[n] ?? []]);
  }

  /**
   * Sends the commit of a batch without waiting for its answer while fewer than `commitsInFlight` are
   * unanswered. Safe because every commit that moves positions compares them with what the one before it
   * moved them to: when one is refused, every later one is refused too (and the task ends), so what is applied
   * is always a prefix of the batches. A commit that moves no position is sent alone, after the others.
   */
  private async send(
    moved: readonly { field: string; prev: Position; next: Position }[],
    done: boolean,
  ): Promise<CommitResult> {
    const chained =
      moved.length > 0 ||
      (this.vertex.source !== undefined && [...this.outputs.values()].some((o) => o.pending.length > 0));
    if (!chained) {
      // The cut is taken now (a source stage's must be, see `runSource`), and sent once the others were applied.
      const tx = this.take(moved, done);
      const before = await this.drain();
      if (before !== 'ok') return before;
      // Stopped meanwhile (handed over, lease lost): nothing more is sent.
      return this.isOver() ? 'fenced' : this.apply(tx, moved);
    }
    this.inFlight.push(observed(this.apply(this.take(moved, done), moved)));
    while (this.inFlight.length >= Math.max(1, this.options.commitsInFlight ?? 4)) {
      const result = await (this.inFlight.shift() as Promise<CommitResult>);
      if (result !== 'ok') return result;
    }
    return 'ok';
  }

  /** Waits for every commit sent: `'ok'` when all were applied. */
  private async drain(): Promise<CommitResult> {
    for (const pending of this.inFlight.splice(0)) {
      const result = await pending;
      if (result !== 'ok') return result;
    }
    return 'ok';
  }

  /**
   * The commit of the moved positions, the changed state and the pending outputs, taken now (undefined when
   * there is nothing to commit).
   */
  private take(
    moved: readonly { field: string; prev: Position; next: Position }[],
    done: boolean,
  ): CommitTx | undefined {
    const isSource = this.vertex.source !== undefined;
    const changes = changedStateFields(this.stateSources, this.lastFunctionFields);
    let timerIndex = timerIndexChanges(changes, this.timerFields);
    const positions = [...moved];
    const outputs: { stream: string; entries: string[] }[] = [];
    for (const out of this.outputs.values()) {
      const items = out.pending;
      const end = done && out.ended;
      if (items.length === 0 && !end) continue;
      out.pending = [];
      const entries = out.perItem ? items : this.entriesOf(items, end);
      outputs.push({ stream: out.stream, entries });
      if (isSource) {
        // Counted as sent: if this commit is refused, the task ends and its successor counts from Redis.
        positions.push({
          field: `out:${out.stream}`,
          prev: String(out.committed),
          next: String(out.committed + items.length),
        });
        out.committed += items.length;
      }
    }
    const at = this.sourceAt?.settled();
    if (at !== undefined && at !== this.sourceAt?.committed) {
      positions.push({ field: SOURCE_FIELD, prev: this.sourceAt?.committed ?? START, next: at });
      // Counted as committed when sent, so the next commit in flight compares with it: if this one is
      // refused, the task ends and its successor reads the committed position from Redis.
      this.sourceAt?.commit(at);
    }
    if (positions.length === 0 && changes.length === 0 && outputs.length === 0 && !done) return undefined;
    if (this.timerRepair.length > 0) {
      // The repair first, then what this batch changed: the last word on a field wins.
      timerIndex = [...new Map([...this.timerRepair.splice(0), ...timerIndex])];
    }
    return {
      lease: this.lease,
      positions,
      state: changes,
      outputs,
      done,
      ...(timerIndex.length > 0 ? { timerIndex } : {}),
    };
  }

  /**
   * Sends a commit taken by `take`; ends the task unless applied, and trims the inputs it moved past when
   * applied.
   */
  private async apply(
    tx: CommitTx | undefined,
    moved: readonly { field: string; prev: Position; next: Position }[],
  ): Promise<CommitResult> {
    if (tx === undefined) return 'ok';
    const started = performance.now();
    const result = await this.log.commit(tx);
    if (result === 'ok') {
      this.commits++;
      this.commitMs.push(performance.now() - started);
      for (const m of moved) void this.log.trim(m.field.slice(3), m.next).catch(() => undefined);
    } else {
      this.end({ status: 'lost', reason: `commit ${result}` });
    }
    return result;
  }

  /** Records of one output as stream entries of at most `recordsPerEntry` records, END on the last. */
  private entriesOf(records: readonly EncodedRecord[], end: boolean): string[] {
    const size = this.options.recordsPerEntry ?? 1000;
    const entries: string[] = [];
    for (let i = 0; i < records.length; i += size) {
      entries.push(encodeEntry(records.slice(i, i + size), end && i + size >= records.length));
    }
    if (entries.length === 0) entries.push(encodeEntry([], end));
    return entries;
  }

  /** Waits `ms` on the job's scheduler (at once when the task ends meanwhile). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.isOver()) {
        resolve();
        return;
      }
      this.sleepers.add(resolve);
      this.subscription.add(
        this.options.scheduler.schedule(() => {
          this.sleepers.delete(resolve);
          resolve();
        }, ms),
      );
    });
  }

  private end(end: StageTaskEnd): void {
    if (this.ended !== undefined) return;
    this.ended = end;
    if (end.status !== 'done') this.gate.stop();
    this.subscription.unsubscribe();
    this.task?.closeFunctions();
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
    this.onEnd(end);
  }
}

/**
 * Marks a promise the task may stop waiting for (a read ahead, a commit in flight, when the task ends on an
 * earlier failure) as handled, so that its rejection (a connection reset by a redis-server restart) cannot
 * become an unhandled rejection that ends the worker process; whoever awaits it still sees the rejection.
 */
function observed<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
