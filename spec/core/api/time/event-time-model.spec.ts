import { expect } from 'chai';
import fc from 'fast-check';
import { from, interval, map as rxMap, VirtualTimeScheduler, zip, type SchedulerLike } from 'rxjs';
import { KeyedProcessFunction } from '../../../../src/core/api/function/keyed-process-function.js';
import type { SinkFunction } from '../../../../src/core/api/function/sink-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { WatermarkStrategy } from '../../../../src/core/api/time/watermark-strategy.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';

interface Rec {
  readonly key: number;
  readonly ts: number;
  readonly v: number;
}

/** One random job: records, how late timers are set, whether some are deleted, and how the job runs. */
interface Case {
  readonly records: readonly Rec[];
  readonly delay: number;
  /** Out-of-orderness of periodic watermarks; `undefined`: noWatermarks (every timer fires at the end). */
  readonly bound: number | undefined;
  readonly parallelism: 1 | 4;
  readonly fusion: boolean;
}

const record = fc.record({
  key: fc.integer({ min: 0, max: 5 }),
  ts: fc.integer({ min: 0, max: 500 }),
  v: fc.integer({ min: -20, max: 20 }),
});

/**
 * With periodic watermarks, records come in timestamp order (so none is late: a late record could set again a
 * timer that already fired, which the model would have to time); without watermarks, in any order.
 */
const jobCase: fc.Arbitrary<Case> = fc
  .record({
    records: fc.array(record, { maxLength: 40 }),
    delay: fc.integer({ min: 0, max: 50 }),
    bound: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    parallelism: fc.constantFrom(1 as const, 4 as const),
    fusion: fc.boolean(),
  })
  .map((c) => (c.bound === undefined ? c : { ...c, records: [...c.records].sort((a, b) => a.ts - b.ts) }));

/** Timers that fired before the watermark reached them (there must be none). */
const early: number[] = [];

/**
 * Per record: emits `e:key:v` and sets an event-time timer at `ts + delay`; without watermarks (so the order of
 * records and timers is fixed) a record with a negative value deletes its timer instead. A timer emits
 * `t:key:time:count` (the key's count of records so far, which only the end of input fixes without watermarks).
 */
class Timers extends KeyedProcessFunction<number, Rec, string> {
  constructor(
    private readonly delay: number,
    private readonly deletes: boolean,
  ) {
    super();
  }
  processElement(r: Rec): string {
    const count = this.ctx.state.value('count', 0);
    count.set(count.get() + 1);
    const timers = this.ctx.timerService;
    if (this.deletes && r.v < 0) timers.deleteEventTimeTimer(r.ts + this.delay);
    else timers.registerEventTimeTimer(r.ts + this.delay);
    return `e:${r.key}:${r.v}`;
  }
  override onTimer(time: number): string {
    if (this.ctx.timerService.currentWatermark() < time) early.push(time);
    const tail = this.deletes ? `:${this.ctx.state.value('count', 0).get()}` : '';
    return `t:${String(this.ctx.getKey())}:${time}${tail}`;
  }
}

/** The plain-array model: what the job must emit (as a multiset), each with its timestamp. */
function model(c: Case): [string, number][] {
  const kept = c.records.map((r) => ({ ...r, v: r.v * 2 })).filter((r) => r.v % 3 !== 0);
  const out: [string, number][] = kept.map((r) => [`e:${r.key}:${r.v}`, r.ts]);
  const deletes = c.bound === undefined;
  const timers = new Map<number, Set<number>>();
  const counts = new Map<number, number>();
  for (const r of kept) {
    counts.set(r.key, (counts.get(r.key) ?? 0) + 1);
    const set = timers.get(r.key) ?? new Set<number>();
    timers.set(r.key, set);
    if (deletes && r.v < 0) set.delete(r.ts + c.delay);
    else set.add(r.ts + c.delay);
  }
  for (const [key, set] of timers) {
    for (const time of set) {
      out.push([`t:${key}:${time}${deletes ? `:${String(counts.get(key))}` : ''}`, time]);
    }
  }
  return out;
}

/**
 * Runs the job in virtual time (a VirtualTimeScheduler of its own, flushed here, so no global scheduler is
 * patched): one record per frame, a periodic watermark every 3 frames.
 */
async function run(c: Case): Promise<[string, number | undefined][]> {
  const out: [string, number | undefined][] = [];
  const scheduler = new VirtualTimeScheduler();
  const env = new LocalEnvironment('event-time-model', {
    jobManager: new JobManager(),
    logLevel: 'silent',
    fusion: c.fusion,
    autoWatermarkIntervalMs: 3,
    scheduler,
  });
  build(env, c, out, scheduler);
  const job = { settled: false };
  const done = env.submit({ autostop: true }).finally(() => {
    job.settled = true;
  });
  while (!job.settled) {
    scheduler.flush();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await done;
  return out;
}

function build(
  env: LocalEnvironment,
  c: Case,
  out: [string, number | undefined][],
  scheduler: SchedulerLike,
): void {
  const strategy =
    c.bound === undefined
      ? WatermarkStrategy.noWatermarks<Rec>()
      : WatermarkStrategy.forBoundedOutOfOrderness<Rec>(c.bound);
  const p = c.parallelism;
  env
    .fromObservable(zip(interval(1, scheduler), from(c.records)).pipe(rxMap(([, r]) => r)))
    .assignTimestampsAndWatermarks(strategy.withTimestampAssigner((r) => r.ts))
    .map((r) => ({ ...r, v: r.v * 2 }), { parallelism: p })
    .filter((r) => r.v % 3 !== 0, { parallelism: p })
    .keyBy((r) => r.key, { parallelism: p })
    .process(Timers, { parallelism: p, args: [c.delay, c.bound === undefined] })
    .sink(
      function (this: SinkFunction<string>, s: string) {
        out.push([s, this.ctx.timestamp()]);
      },
      { parallelism: p },
    );
}

const byText = (a: [string, unknown], b: [string, unknown]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;

describe('event time against a plain-array model', function () {
  this.timeout(60_000);

  it('random keyed jobs with timestamps and event-time timers agree with the model at parallelism 1 and 4, fused or not', async () => {
    await fc.assert(
      fc.asyncProperty(jobCase, async (c) => {
        early.length = 0;
        const out = await run(c);
        expect([...out].sort(byText)).to.deep.equal(model(c).sort(byText));
        expect(early, 'timers that fired before the watermark reached them').to.deep.equal([]);
      }),
      { numRuns: 200 },
    );
  });
});
