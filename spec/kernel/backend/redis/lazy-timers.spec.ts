import { expect } from 'chai';
import fc from 'fast-check';
import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { KeyedProcessFunction } from '../../../../src/core/api/function/keyed-process-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import type { TimeDomain } from '../../../../src/core/api/time/time-domain.js';
import { decodeEntry, encodeEntry, encodeRecord } from '../../../../src/kernel/backend/redis/entry-codec.js';
import { compileJob, type LoadedJob } from '../../../../src/kernel/backend/redis/load-job-module.js';
import { LogStreamSink } from '../../../../src/kernel/backend/redis/log-stream-sink.js';
import { MemoryLog } from '../../../../src/kernel/backend/redis/memory-log.js';
import type { PlanVertex } from '../../../../src/kernel/runtime/physical-plan.js';
import { StageTask, type StageTaskEnd } from '../../../../src/kernel/backend/redis/stage-task.js';
import { edgeStream, taskName } from '../../../../src/kernel/backend/redis/task-names.js';

/** One input record: registers a processing-time timer (`pt`), registers or deletes an event-time one (`et`). */
interface TimerRecord {
  readonly k: string;
  readonly pt?: number;
  readonly et?: number;
  readonly del?: boolean;
  /** Only sets a plain value state (a key without timers). */
  readonly plain?: boolean;
}

type Fired = [key: string, domain: TimeDomain, time: number];

/** Timers that fired in this process (each task's functions note them), for the spec to wait on. */
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

/** A scheduler on a clock the spec moves: an action runs (on the next macrotask) once the clock reached it. */
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

/**
 * `records → keyBy(k) → Timers ('proc') → sink`, one stage per operator: the spec feeds the input stream of
 * `proc`'s stage itself and reads its output stream (`output`); the other stages do not run.
 */
function compile(): { job: LoadedJob; vertex: PlanVertex; input: string; output: string; task: string } {
  const env = new LocalEnvironment('timers', { logLevel: 'silent', fusion: false });
  env
    .fromBatch<TimerRecord>([])
    .keyBy((r) => r.k)
    .process(Timers, { name: 'proc' })
    .sink(LogStreamSink, { args: [{ stream: 'out' }] });
  const job = compileJob(env, 'j', '');
  const vertex = job.plan.vertices.find((v) => v.operators.some((o) => o.name === 'proc')) as PlanVertex;
  const edge = vertex.inputs[0];
  if (edge === undefined) throw new Error('the proc stage has no input');
  const input = edgeStream(taskName('j', edge.from, 0), edge.from.outputs.indexOf(edge), 0);
  const task = taskName('j', vertex, 0);
  return { job, vertex, input, output: edgeStream(task, 0, 0), task };
}

/** Runs the `proc` stage on `log` under a new lease (the previous one must have expired). */
async function startTask(
  log: MemoryLog,
  setup: ReturnType<typeof compile>,
  worker: string,
  scheduler: ManualScheduler,
  lazyStateFrom: number,
): Promise<{ task: StageTask; end: () => StageTaskEnd | undefined }> {
  const lease = await log.acquire(setup.task, worker, 1000);
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
      jobId: 'j',
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
  return { task, end: () => ended };
}

/** Moves the clock on by `step` per turn until `done()` holds or `steps` turns passed. */
async function pump(scheduler: ManualScheduler, done: () => boolean, steps: number, step = 5): Promise<void> {
  for (let i = 0; i < steps && !done(); i++) {
    scheduler.advance(scheduler.clock + step);
    await turn();
    await turn();
  }
}

/** Appends the records as stream entries of up to 3 records (the last one with END when `end`). */
async function feed(
  log: MemoryLog,
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
  await log.append(stream, entries);
}

/** The timers a plain model says fire: every processing-time one, and the event-time ones still set at the end. */
function model(records: readonly TimerRecord[]): string[] {
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

/** The committed outputs of `proc`, as JSON strings of `[key, domain, time]`. */
function outputs(log: MemoryLog, setup: ReturnType<typeof compile>): string[] {
  return log
    .entries(setup.output)
    .flatMap((e) => decodeEntry(e.data).records.map((r) => JSON.stringify(r[0])))
    .sort();
}

/**
 * Runs the scenario: task `a` runs `before` and commits it, crashes; task `b` takes over with `lazyStateFrom`,
 * runs `after`, the clock passes every processing-time timer, then the input ends.
 */
async function takeover(
  before: readonly TimerRecord[],
  after: readonly TimerRecord[],
  lazyStateFrom: number,
): Promise<{
  log: MemoryLog;
  setup: ReturnType<typeof compile>;
  fieldsLoadedAtStart: number;
  stateSize: number;
}> {
  let now = 0;
  const log = new MemoryLog(() => now);
  const setup = compile();
  const scheduler = new ManualScheduler();
  fired = [];
  await feed(log, setup.input, before, false);
  const last = log.entries(setup.input).at(-1)?.id;
  const a = await startTask(log, setup, 'a', scheduler, lazyStateFrom);
  let committed = last === undefined;
  const watch = async (): Promise<void> => {
    committed = (await log.progress(setup.task)).positions.get(`in:${setup.input}`) === last;
  };
  for (let i = 0; i < 2000 && !committed && a.end() === undefined; i++) {
    await pump(scheduler, () => false, 1, 1);
    await watch();
  }
  expect(committed, 'task a committed its input').to.equal(true);
  a.task.stop('crashed');
  now += 2000;

  const head = await log.loadHead(setup.task);
  const loadedBefore = log.fieldsLoaded;
  const committedOut = new Set(outputs(log, setup));
  fired = [];
  const b = await startTask(log, setup, 'b', scheduler, lazyStateFrom);
  for (let i = 0; i < 50 && b.task.counters().in === 0 && log.fieldsLoaded === loadedBefore; i++)
    await turn();
  for (let i = 0; i < 10; i++) await turn();
  const fieldsLoadedAtStart = log.fieldsLoaded - loadedBefore;
  await feed(log, setup.input, after, false);
  // Every processing-time timer not committed as fired yet is due by then: wait until b fired them.
  const maxPt = Math.max(0, ...[...before, ...after].map((r) => r.pt ?? 0));
  const due = model([...before, ...after]).filter(
    (f) => !committedOut.has(f) && (JSON.parse(f) as Fired)[1] === 'processing',
  );
  const firedByB = (): Set<string> => new Set(fired.map((f) => JSON.stringify(f)));
  await pump(scheduler, () => scheduler.clock > maxPt && due.every((f) => firedByB().has(f)), 400);
  await feed(log, setup.input, [], true);
  await pump(scheduler, () => b.end() !== undefined, 2000, 1);
  expect(b.end(), 'how task b ended').to.deep.equal({ status: 'done' });
  return { log, setup, fieldsLoadedAtStart, stateSize: head.stateSize };
}

const keyName = (i: number): string => `k${String(i)}`;

describe('StageTask: keyed timers after a lazy takeover', function () {
  this.timeout(60_000);

  it('property: every committed timer fires exactly once, whether or not its key gets a record after the takeover', async () => {
    const step = fc.record({
      k: fc.integer({ min: 0, max: 5 }),
      pt: fc.boolean(),
      et: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
      del: fc.boolean(),
      plain: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 25 }),
        fc.array(step, { maxLength: 10 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.boolean(),
        async (before, after, seed, lazy) => {
          // Processing-time timers at distinct times (a timer that fired may be set again at the same time):
          // n ↦ (37 n + seed) mod 101 is one-to-one for the at most 35 records.
          let n = 0;
          const records = (steps: typeof before): TimerRecord[] =>
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
          const first = records(before);
          const second = records(after);
          const { log, setup } = await takeover(first, second, lazy ? 0 : 100_000);
          expect(outputs(log, setup)).to.deep.equal(model([...first, ...second]));
          // Every timer fired or was deleted: the index of timer keys is empty again.
          expect([...((await log.loadHead(setup.task)).timerFields ?? [])]).to.deep.equal([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a lazy takeover loads the keys that hold timers before it starts, not the others', async () => {
    const before: TimerRecord[] = [
      ...Array.from({ length: 30 }, (_, i) => ({ k: keyName(i), plain: true })),
      { k: keyName(3), pt: 50, et: 7 },
      { k: keyName(40), et: 9 },
    ];
    const { log, setup, fieldsLoadedAtStart, stateSize } = await takeover(before, [], 0);
    expect(stateSize, 'committed state fields').to.be.greaterThan(30);
    // The function state of the chain's operators, and the fields of the two timer keys for each of them.
    expect(fieldsLoadedAtStart, 'fields loaded before the first record').to.be.greaterThan(0);
    expect(fieldsLoadedAtStart, 'fields loaded before the first record').to.be.lessThan(10);
    expect(outputs(log, setup)).to.deep.equal(
      [
        [keyName(3), 'processing', 50],
        [keyName(3), 'event', 7],
        [keyName(40), 'event', 9],
      ]
        .map((f) => JSON.stringify(f))
        .sort(),
    );
  });
});
