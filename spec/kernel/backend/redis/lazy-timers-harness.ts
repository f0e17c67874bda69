import { expect } from 'chai';
import fc from 'fast-check';
import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { KeyedProcessFunction } from '../../../../src/core/api/function/keyed-process-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import type { TimeDomain } from '../../../../src/core/api/time/time-domain.js';
import { decodeEntry, encodeEntry, encodeRecord } from '../../../../src/kernel/backend/redis/entry-codec.js';
import { compileJob, type LoadedJob } from '../../../../src/kernel/backend/redis/load-job-module.js';
import { LogStreamSink } from '../../../../src/kernel/backend/redis/log-stream-sink.js';
import {
  START,
  type LeaseToken,
  type PartitionedLog,
} from '../../../../src/kernel/backend/redis/partitioned-log.js';
import { StageTask, type StageTaskEnd } from '../../../../src/kernel/backend/redis/stage-task.js';
import { edgeStream, taskName } from '../../../../src/kernel/backend/redis/task-names.js';
import type { PlanVertex } from '../../../../src/kernel/runtime/physical-plan.js';

/** One input record: registers a processing-time timer (`pt`), registers or deletes an event-time one (`et`). */
export interface TimerRecord {
  readonly k: string;
  readonly pt?: number;
  readonly et?: number;
  readonly del?: boolean;
  /** Only sets a plain value state (a key without timers). */
  readonly plain?: boolean;
}

type Fired = [key: string, domain: TimeDomain, time: number];

/** Timers that fired in this process (each task's functions note them), for the harness to wait on. */
let fired: Fired[] = [];

class Timers extends KeyedProcessFunction<string, TimerRecord, Fired> {
  processElement(r: TimerRecord): undefined {
    const timers = this.ctx.timerService;
    if (r.plain === true) {
      const n = this.ctx.state.value('n', 0);
      n.set(n.get() + 1);
      return undefined;
    }
    if (r.pt !== undefined) timers.registerProcessingTimeTimer(r.pt);
    if (r.et !== undefined) {
      if (r.del === true) timers.deleteEventTimeTimer(r.et);
      else timers.registerEventTimeTimer(r.et);
    }
    return undefined;
  }

  override onTimer(time: number, domain: TimeDomain): Fired {
    const out: Fired = [String(this.ctx.getKey()), domain, time];
    fired.push(out);
    return out;
  }
}

/** A scheduler on a clock the harness moves: an action runs (on the next macrotask) once the clock reached it. */
class ManualScheduler implements SchedulerLike {
  clock = 0;
  private pending: { due: number; run: () => void }[] = [];

  now(): number {
    return this.clock;
  }

  schedule<T>(work: (this: SchedulerAction<T>, state: T) => void, delay = 0, state?: T): Subscription {
    return new ManualAction(this, work).schedule(state, delay);
  }

  /** Queues `run` for time `due`. */
  at(due: number, run: () => void): void {
    if (due <= this.clock) setImmediate(run);
    else this.pending.push({ due, run });
  }

  /** Moves the clock to `to` and lets the actions due by then run. */
  advance(to: number): void {
    this.clock = to;
    const due = this.pending.filter((p) => p.due <= to).sort((a, b) => a.due - b.due);
    this.pending = this.pending.filter((p) => p.due > to);
    for (const p of due) setImmediate(p.run);
  }
}

class ManualAction<T> extends Subscription implements SchedulerAction<T> {
  constructor(
    private readonly scheduler: ManualScheduler,
    private readonly work: (this: SchedulerAction<T>, state: T) => void,
  ) {
    super();
  }

  schedule(state?: T, delay = 0): Subscription {
    this.scheduler.at(this.scheduler.clock + delay, () => {
      if (!this.closed) this.work.call(this, state as T);
    });
    return this;
  }
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The `proc` stage of a compiled timer job: its input stream (fed by the spec) and output stream. */
export interface TimerJob {
  readonly job: LoadedJob;
  readonly vertex: PlanVertex;
  readonly input: string;
  readonly output: string;
  readonly task: string;
}

/**
 * `records → keyBy(k) → Timers ('proc') → sink`, one stage per operator: the harness feeds the input stream of
 * `proc`'s stage itself and reads its output stream; the other stages do not run.
 */
function compile(jobId: string): TimerJob {
  const env = new LocalEnvironment('timers', { logLevel: 'silent', fusion: false });
  env
    .fromBatch<TimerRecord>([])
    .keyBy((r) => r.k)
    .process(Timers, { name: 'proc' })
    .sink(LogStreamSink, { args: [{ stream: 'out' }] });
  const job = compileJob(env, jobId, '');
  const vertex = job.plan.vertices.find((v) => v.operators.some((o) => o.name === 'proc')) as PlanVertex;
  const edge = vertex.inputs[0];
  if (edge === undefined) throw new Error('the proc stage has no input');
  const input = edgeStream(taskName(jobId, edge.from, 0), edge.from.outputs.indexOf(edge), 0);
  const task = taskName(jobId, vertex, 0);
  return { job, vertex, input, output: edgeStream(task, 0, 0), task };
}

/** Runs the `proc` stage on `log` under a new lease (the previous one must be gone). */
async function startTask(
  log: PartitionedLog,
  setup: TimerJob,
  worker: string,
  scheduler: ManualScheduler,
  lazyStateFrom: number,
): Promise<{ task: StageTask; lease: LeaseToken; end: () => StageTaskEnd | undefined }> {
  const lease = await log.acquire(setup.task, worker, 60_000);
  if (lease === undefined) throw new Error(`${worker} could not take ${setup.task}`);
  let ended: StageTaskEnd | undefined;
  const { job } = setup;
  const task = new StageTask(
    log,
    job.plan,
    setup.vertex,
    0,
    lease,
    {
      jobId: setup.task.split(':')[0] as string,
      envName: job.envName,
      config: job.config,
      scheduler,
      errorPolicy: job.errorPolicy,
      loggerFor: job.loggerFor,
      intervalMs: 1,
      entriesPerRead: 2,
      lazyStateFrom,
    },
    (end) => {
      ended = end;
    },
  );
  void task.run();
  return { task, lease, end: () => ended };
}

/**
 * Moves the clock on by `step` per turn until `done()` holds, or `steps` turns passed (when given), or 20 s
 * of real time passed (a log on a server answers at its own pace on a loaded machine).
 */
async function pump(
  scheduler: ManualScheduler,
  done: () => boolean | Promise<boolean>,
  steps = Infinity,
  step = 1,
): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (let i = 0; i < steps && Date.now() < deadline && !(await done()); i++) {
    scheduler.advance(scheduler.clock + step);
    await turn();
    await turn();
  }
}

/** Appends the records as stream entries of up to 3 records (the last one with END when `end`). */
async function feed(
  log: PartitionedLog,
  stream: string,
  records: readonly TimerRecord[],
  end: boolean,
): Promise<void> {
  const entries: string[] = [];
  for (let i = 0; i < records.length; i += 3) {
    const batch = records.slice(i, i + 3).map((r) => encodeRecord(r, r.k, undefined));
    entries.push(encodeEntry(batch, end && i + 3 >= records.length));
  }
  if (end && records.length === 0) entries.push(encodeEntry([], true));
  // One by one, in order (a log may send the entries of one append concurrently).
  for (const entry of entries) await log.append(stream, [entry]);
}

/**
 * The timers a plain model says fire, as JSON strings of `[key, domain, time]`: every processing-time one, and
 * the event-time ones still set at the end of the input.
 */
export function model(records: readonly TimerRecord[]): string[] {
  const out: string[] = [];
  const events = new Map<string, Set<number>>();
  for (const r of records) {
    if (r.plain === true) continue;
    if (r.pt !== undefined) out.push(JSON.stringify([r.k, 'processing', r.pt]));
    if (r.et === undefined) continue;
    const times = events.get(r.k) ?? new Set<number>();
    events.set(r.k, times);
    if (r.del === true) times.delete(r.et);
    else times.add(r.et);
  }
  for (const [k, times] of events) for (const t of times) out.push(JSON.stringify([k, 'event', t]));
  return out.sort();
}

/** The committed outputs of `proc`, as sorted JSON strings of `[key, domain, time]`. */
export async function outputs(log: PartitionedLog, setup: TimerJob): Promise<string[]> {
  const entries = await log.read(setup.output, START, 100_000);
  return entries.flatMap((e) => decodeEntry(e.data).records.map((r) => JSON.stringify(r[0]))).sort();
}

/** What `takeover` leaves to check. */
export interface TakeoverResult {
  readonly setup: TimerJob;
  /** State fields committed when task b took over. */
  readonly stateSize: number;
  /** State fields task b asked for (`loadState`) before its first record ran. */
  readonly fieldsLoadedAtStart: number;
}

/**
 * Runs the scenario on `log` for job `jobId`: task a runs `before` and commits it, then crashes (`handover`
 * makes its lease go: expire it, or release it); task b takes over with `lazyStateFrom`, runs `after`, the
 * clock passes every processing-time timer, then the input ends and b commits its end.
 */
export async function takeover(
  log: PartitionedLog,
  jobId: string,
  handover: (lease: LeaseToken) => Promise<void>,
  before: readonly TimerRecord[],
  after: readonly TimerRecord[],
  lazyStateFrom: number,
): Promise<TakeoverResult> {
  // Counts the state fields asked for, and the loads not answered yet.
  let fieldsLoaded = 0;
  let loading = 0;
  let asked = 0;
  const tracked = <T>(promise: Promise<T>): Promise<T> => {
    asked++;
    loading++;
    return promise.finally(() => {
      loading--;
    });
  };
  const loadState = log.loadState?.bind(log);
  const counted: PartitionedLog = Object.assign(Object.create(log) as PartitionedLog, {
    load: (task: string) => tracked(log.load(task)),
    ...(loadState !== undefined
      ? {
          loadState: (task: string, fields: readonly string[]): Promise<(string | undefined)[]> => {
            fieldsLoaded += fields.length;
            return tracked(loadState(task, fields));
          },
        }
      : {}),
  });
  const setup = compile(jobId);
  const scheduler = new ManualScheduler();
  fired = [];
  await feed(log, setup.input, before, false);
  const last = (await log.read(setup.input, START, 100_000)).at(-1)?.id;
  const a = await startTask(counted, setup, 'a', scheduler, lazyStateFrom);
  const committed = async (upTo: string | undefined): Promise<boolean> =>
    upTo === undefined || (await log.progress(setup.task)).positions.get(`in:${setup.input}`) === upTo;
  await pump(scheduler, async () => a.end() !== undefined || (await committed(last)));
  expect(await committed(last), 'task a committed its input').to.equal(true);
  a.task.stop('crashed');
  await handover(a.lease);

  const head = await log.loadHead?.(setup.task);
  const committedOut = new Set(await outputs(log, setup));
  fired = [];
  fieldsLoaded = 0;
  asked = 0;
  const b = await startTask(counted, setup, 'b', scheduler, lazyStateFrom);
  // b loaded what it loads before it starts (its timers are back in their heaps by then).
  await pump(scheduler, () => b.task.counters().in > 0 || (asked > 0 && loading === 0), Infinity, 0);
  const fieldsLoadedAtStart = fieldsLoaded;
  await feed(log, setup.input, after, false);
  const lastAfter = after.length > 0 ? (await log.read(setup.input, START, 100_000)).at(-1)?.id : undefined;
  await pump(scheduler, async () => b.end() !== undefined || (await committed(lastAfter)));
  expect(await committed(lastAfter), 'task b committed the records after the takeover').to.equal(true);
  // Every processing-time timer not committed as fired is due by then: wait until b fired them.
  const maxPt = Math.max(0, ...[...before, ...after].map((r) => r.pt ?? 0));
  const due = model([...before, ...after]).filter(
    (f) => !committedOut.has(f) && (JSON.parse(f) as Fired)[1] === 'processing',
  );
  const firedByB = (): Set<string> => new Set(fired.map((f) => JSON.stringify(f)));
  await pump(scheduler, () => scheduler.clock > maxPt && due.every((f) => firedByB().has(f)), 400, 5);
  await feed(log, setup.input, [], true);
  await pump(scheduler, () => b.end() !== undefined);
  expect(b.end(), 'how task b ended').to.deep.equal({ status: 'done' });
  return { setup, fieldsLoadedAtStart, stateSize: head?.stateSize ?? 0 };
}

/** The name of key `i`. */
export const keyName = (i: number): string => `k${String(i)}`;

/** A record of the property: its key and what it does (see `TimerRecord`). */
export const timerStep = fc.record({
  k: fc.integer({ min: 0, max: 5 }),
  pt: fc.boolean(),
  et: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
  del: fc.boolean(),
  plain: fc.boolean(),
});

type TimerStep = typeof timerStep extends fc.Arbitrary<infer T> ? T : never;

/**
 * The records of two runs of steps, processing-time timers at distinct times (a timer that fired may be set
 * again at the same time): n ↦ (37 n + seed) mod 101 is one-to-one for up to 101 records.
 */
export function timerRecords(
  before: readonly TimerStep[],
  after: readonly TimerStep[],
  seed: number,
): [TimerRecord[], TimerRecord[]] {
  let n = 0;
  const records = (steps: readonly TimerStep[]): TimerRecord[] =>
    steps.map((s) => {
      n++;
      const base = { k: keyName(s.k) };
      if (s.plain) return { ...base, plain: true };
      return {
        ...base,
        ...(s.pt ? { pt: 1 + ((seed + n * 37) % 101) * 4 } : {}),
        ...(s.et !== undefined ? { et: s.et, del: s.del } : {}),
      };
    });
  return [records(before), records(after)];
}
