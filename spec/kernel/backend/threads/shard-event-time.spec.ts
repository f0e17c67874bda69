import { expect } from 'chai';
import fc from 'fast-check';
import {
  BatchFunction,
  JobManager,
  LocalEnvironment,
  MapFunction,
  TumblingEventTimeWindows,
  WatermarkStrategy,
} from '../../../../src/index.js';
import { Subject } from 'rxjs';
import { waitFor } from '../../../helpers/wait-for.js';
import { runShards } from './run-shards.js';

interface Ev {
  readonly k: number;
  readonly t: number;
}

/** Reads the events in order (instance i of p reads events i, i + p, …). */
class Slice extends BatchFunction<Ev> {
  private next = -1;
  constructor(private readonly events: readonly Ev[]) {
    super();
  }
  execute(): Ev | undefined {
    if (this.next < 0) this.next = this.ctx.parallelIndex;
    const e = this.events[this.next];
    this.next += this.ctx.parallelism;
    return e;
  }
}

/** Puts the event time the record arrived with into it. */
class Stamp extends MapFunction<Ev, Ev & { seen: number | undefined }> {
  execute(e: Ev): Ev & { seen: number | undefined } {
    return { ...e, seen: this.ctx.timestamp() };
  }
}

function sorted(xs: unknown[]): string[] {
  return xs.map((x) => JSON.stringify(x)).sort();
}

/**
 * events (timestamps rising) → timestamps and watermarks (one generator, so no record is ever late) → map →
 * keyBy → tumbling event-time window count → a stamp of each result's timestamp → sink.
 */
function declare(events: readonly Ev[], mapP: number, windowP: number, out: unknown[]): LocalEnvironment {
  const env = new LocalEnvironment('event-time', {
    jobManager: new JobManager(),
    errorPolicy: 'fail',
    logLevel: 'silent',
    autoWatermarkIntervalMs: 1,
  });
  env
    .fromBatch(Slice, { name: 'src', args: [events] })
    .assignTimestampsAndWatermarks(
      WatermarkStrategy.forMonotonousTimestamps<Ev>().withTimestampAssigner((e) => e.t),
      { name: 'ts' },
    )
    .map(Stamp, { name: 'stamp-in', parallelism: mapP })
    .keyBy((e) => e.k, { name: 'by-k' })
    .window(TumblingEventTimeWindows.of(10))
    .aggregate(
      {
        createAccumulator: () => 0,
        add: (_e: Ev, n: number) => n + 1,
        getResult: (n: number) => n,
        merge: (a: number, b: number) => a + b,
      },
      (key, window, counts) => ({ k: key as number, t: window.start, n: counts[0] as number }),
      { name: 'count', parallelism: windowP },
    )
    .map((r) => r, { name: 'after', parallelism: 1 })
    .map(Stamp, { name: 'stamp-out' })
    .sink((r) => {
      out.push(r);
    });
  return env;
}

describe('ShardRunner: event time across virtual workers', function () {
  this.timeout(20_000);

  it('timestamps and watermarks cross workers: window results equal the in-process ones', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 80 }),
        fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 3 }),
        fc.integer({ min: 1, max: 5 }),
        async (keys, gaps, mapP, windowP, workers, batchSize) => {
          let t = 0;
          const events = keys.map((k, i) => ({ k, t: (t += gaps[i] ?? 1) }));
          const expected: unknown[] = [];
          await declare(events, mapP, windowP, expected).submit({ autostop: true });
          const actual: unknown[] = [];
          await runShards(declare(events, mapP, windowP, actual), workers, batchSize, 2);
          expect(sorted(actual)).to.deep.equal(sorted(expected));
          for (const r of actual as { t: number; seen: number }[]) expect(r.seen).to.equal(r.t + 9);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('a window on another worker fires on the watermark before the input ends', async () => {
    const out: { k: number; t: number; n: number }[] = [];
    const events = new Subject<Ev>();
    const env = new LocalEnvironment('watermarks', {
      jobManager: new JobManager(),
      errorPolicy: 'fail',
      logLevel: 'silent',
      autoWatermarkIntervalMs: 1,
    });
    env
      .fromObservable(events, { name: 'src' })
      .assignTimestampsAndWatermarks(
        WatermarkStrategy.forMonotonousTimestamps<Ev>().withTimestampAssigner((e) => e.t),
      )
      .keyBy((e) => e.k)
      .window(TumblingEventTimeWindows.of(10))
      .aggregate(
        {
          createAccumulator: () => 0,
          add: (_e: Ev, n: number) => n + 1,
          getResult: (n: number) => n,
          merge: (a: number, b: number) => a + b,
        },
        (key, window, counts) => ({ k: key as number, t: window.start, n: counts[0] as number }),
        { name: 'count', parallelism: 2 },
      )
      .sink((r) => {
        out.push(r);
      });
    const done = runShards(env, 2, 100, 2);
    // Key 1 is counted by window instance 0 of 2, which runs on worker 1; the source runs on worker 0.
    for (let t = 0; t < 25; t++) events.next({ k: 1, t });
    // The window [0, 10) fires only if the source's watermark reached the window on the other worker.
    await waitFor(() => out.length >= 2, { what: 'two windows fired', timeoutMs: 5000 });
    events.next({ k: 1, t: 30 });
    events.complete();
    await done;
    expect(out).to.deep.equal([
      { k: 1, t: 0, n: 10 },
      { k: 1, t: 10, n: 10 },
      { k: 1, t: 20, n: 5 },
      { k: 1, t: 30, n: 1 },
    ]);
  });
});
