import { expect } from 'chai';
import fc from 'fast-check';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { WatermarkStrategy } from '../../../../src/core/api/time/watermark-strategy.js';
import { TumblingEventTimeWindows } from '../../../../src/core/api/window/tumbling-event-time-windows.js';
import { InvalidDurationError } from '../../../../src/errors/invalid-duration-error.js';
import { InvalidFunctionError } from '../../../../src/errors/invalid-function-error.js';
import { MissingTimestampError } from '../../../../src/errors/missing-timestamp-error.js';
import { UnkeyedWindowError } from '../../../../src/errors/unkeyed-window-error.js';
import { runMarbles } from '../../../../src/testing/run-marbles.js';

interface Ev {
  readonly k: number;
  readonly ts: number;
  readonly id: string;
}

const stamped = (env: LocalEnvironment, evs: readonly Ev[], name: string) =>
  env
    .fromBatch(evs, { name })
    .assignTimestampsAndWatermarks(WatermarkStrategy.noWatermarks<Ev>().withTimestampAssigner((e) => e.ts));

const evs = (prefix: string) =>
  fc
    .array(fc.record({ k: fc.integer({ min: 0, max: 3 }), ts: fc.integer({ min: 0, max: 60 }) }), {
      maxLength: 12,
    })
    .map((xs) => xs.map((x, i): Ev => ({ ...x, id: `${prefix}${i}` })));

async function windowJoin(
  a: readonly Ev[],
  b: readonly Ev[],
  size: number,
  parallelism: number,
): Promise<string[]> {
  const env = new LocalEnvironment('window-join', { logLevel: 'silent' });
  const out: string[] = [];
  stamped(env, a, 'a')
    .join(stamped(env, b, 'b'))
    .where((x) => x.k)
    .equalTo((y) => y.k)
    .window(TumblingEventTimeWindows.of(size))
    .apply((x, y) => `${x.id}-${y.id}`, { parallelism })
    .sink((s) => {
      out.push(s);
    });
  await env.submit({ autostop: true });
  return out.sort();
}

async function intervalJoin(
  a: readonly Ev[],
  b: readonly Ev[],
  lo: number,
  hi: number,
  parallelism: number,
): Promise<string[]> {
  const env = new LocalEnvironment('interval-join', { logLevel: 'silent' });
  const out: string[] = [];
  stamped(env, a, 'a')
    .keyBy((x) => x.k)
    .intervalJoin(stamped(env, b, 'b').keyBy((y) => y.k))
    .between(lo, hi)
    .process((x, y) => `${x.id}-${y.id}`, { parallelism })
    .sink((s) => {
      out.push(s);
    });
  await env.submit({ autostop: true });
  return out.sort();
}

describe('window join and interval join', () => {
  it('a window join pairs equal keys in the same window, at parallelism 1 and 3 alike (property)', async () => {
    await fc.assert(
      fc.asyncProperty(evs('a'), evs('b'), fc.integer({ min: 1, max: 30 }), async (a, b, size) => {
        const expected = a
          .flatMap((x) =>
            b
              .filter((y) => y.k === x.k && Math.floor(y.ts / size) === Math.floor(x.ts / size))
              .map((y) => `${x.id}-${y.id}`),
          )
          .sort();
        expect(await windowJoin(a, b, size, 1)).to.deep.equal(expected);
        expect(await windowJoin(a, b, size, 3)).to.deep.equal(expected);
      }),
      { numRuns: 25 },
    );
  });

  it('an interval join pairs each left record with the right records of its key in [t + lo, t + hi] (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        evs('a'),
        evs('b'),
        fc.integer({ min: -20, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        async (a, b, lo, width) => {
          const hi = lo + width;
          const expected = a
            .flatMap((x) =>
              b
                .filter((y) => y.k === x.k && y.ts >= x.ts + lo && y.ts <= x.ts + hi)
                .map((y) => `${x.id}-${y.id}`),
            )
            .sort();
          expect(await intervalJoin(a, b, lo, hi, 1)).to.deep.equal(expected);
          expect(await intervalJoin(a, b, lo, hi, 2)).to.deep.equal(expected);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('an interval join forgets a record once the watermark passed its interval; a late partner finds nothing (virtual time)', async () => {
    const out: string[] = [];
    await runMarbles(({ env, cold }) => {
      const monotonous = WatermarkStrategy.forMonotonousTimestamps<Ev>().withTimestampAssigner((e) => e.ts);
      const left = env.fromObservable(
        cold('(ab) 400ms |', { a: { k: 1, ts: 0, id: 'L1' }, b: { k: 1, ts: 100, id: 'L2' } }),
      );
      const right = env.fromObservable(
        cold('a 299ms b 100ms |', { a: { k: 1, ts: 100, id: 'R1' }, b: { k: 1, ts: 5, id: 'R2' } }),
      );
      left
        .assignTimestampsAndWatermarks(monotonous)
        .keyBy((x) => x.k)
        .intervalJoin(right.assignTimestampsAndWatermarks(monotonous).keyBy((y) => y.k))
        .between(0, 10)
        .process((x, y) => `${x.id}-${y.id}`)
        .sink((s) => {
          out.push(s);
        });
      void env.submit();
    });
    // the watermark 99 at 200 dropped L1 (its interval ended at 10), so R2 (ts 5, at 300) pairs with nothing
    expect(out).to.deep.equal(['L2-R1']);
  });

  it('an interval join drops a record whose timestamp is below the watermark, as Flink does, even when a partner is still kept (virtual time)', async () => {
    const out: string[] = [];
    await runMarbles(({ env, cold }) => {
      const monotonous = WatermarkStrategy.forMonotonousTimestamps<Ev>().withTimestampAssigner((e) => e.ts);
      const left = env.fromObservable(
        cold('(ab) 400ms |', { a: { k: 1, ts: 100, id: 'L1' }, b: { k: 1, ts: 104, id: 'L2' } }),
      );
      const right = env.fromObservable(
        cold('a 299ms (bc) 100ms |', {
          a: { k: 1, ts: 110, id: 'R0' },
          b: { k: 1, ts: 102, id: 'R1' },
          c: { k: 1, ts: 103, id: 'R2' },
        }),
      );
      left
        .assignTimestampsAndWatermarks(monotonous)
        .keyBy((x) => x.k)
        .intervalJoin(right.assignTimestampsAndWatermarks(monotonous).keyBy((y) => y.k))
        .between(-5, 5)
        .process((x, y) => `${x.id}-${y.id}`)
        .sink((s) => {
          out.push(s);
        });
      void env.submit();
    });
    // At 200 the join's watermark is min(104 - 1, 110 - 1) = 103. R1 (ts 102 < 103) is late: Flink's
    // IntervalJoinOperator drops it, though L1 [95, 105] and L2 [99, 109] are still kept. R2 (ts 103) is not late.
    expect(out.sort()).to.deep.equal(['L1-R2', 'L2-R2']);
  });

  it('an interval join keeps a record whose interval ends at the watermark: a partner at that time still joins it (virtual time)', async () => {
    const out: string[] = [];
    await runMarbles(({ env, cold }) => {
      const monotonous = WatermarkStrategy.forMonotonousTimestamps<Ev>().withTimestampAssigner((e) => e.ts);
      const left = env.fromObservable(
        cold('a 299ms b 200ms |', { a: { k: 1, ts: 101, id: 'L0' }, b: { k: 1, ts: 100, id: 'L1' } }),
      );
      const right = env.fromObservable(
        cold('a 349ms b 150ms |', { a: { k: 1, ts: 200, id: 'R0' }, b: { k: 1, ts: 100, id: 'R1' } }),
      );
      left
        .assignTimestampsAndWatermarks(monotonous)
        .keyBy((x) => x.k)
        .intervalJoin(right.assignTimestampsAndWatermarks(monotonous).keyBy((y) => y.k))
        .between(-5, 0)
        .process((x, y) => `${x.id}-${y.id}`)
        .sink((s) => {
          out.push(s);
        });
      void env.submit();
    });
    // From 200 the join's watermark is min(101 - 1, 200 - 1) = 100. L1 (ts 100, at 300) is not late and may meet
    // right records up to 100 + 0 = the watermark, so it is kept (Flink buffers it until its clean-up timer at 100
    // fires on the next watermark): R1 (ts 100, at 350, not late) joins both L0 and L1.
    expect(out.sort()).to.deep.equal(['L0-R1', 'L1-R1']);
  });

  it('an interval join result carries the later of its two records’ timestamps, whichever side completes the pair', async () => {
    const env = new LocalEnvironment('interval-join-ts', { logLevel: 'silent' });
    const out: string[] = [];
    const left: Ev[] = [
      { k: 1, ts: 100, id: 'L1' },
      { k: 2, ts: 200, id: 'L2' },
    ];
    const right: Ev[] = [
      { k: 1, ts: 105, id: 'R1' },
      { k: 2, ts: 190, id: 'R2' },
    ];
    stamped(env, left, 'a')
      .keyBy((x) => x.k)
      .intervalJoin(stamped(env, right, 'b').keyBy((y) => y.k))
      .between(-20, 20)
      .process((x, y) => `${x.id}-${y.id}`)
      .map(function (this: MapFunction<string, string>, s: string) {
        return `${s}@${String(this.ctx.timestamp())}`;
      })
      .sink((s) => {
        out.push(s);
      });
    await env.submit({ autostop: true });
    expect(out.sort()).to.deep.equal(['L1-R1@105', 'L2-R2@200']);
  });

  it('a record without a timestamp is a MissingTimestampError in an interval join (Flink fails such records too)', async () => {
    const env = new LocalEnvironment('interval-join-no-ts', { logLevel: 'silent', errorPolicy: 'fail' });
    env
      .fromBatch<Ev>([{ k: 1, ts: 0, id: 'L' }], { name: 'a' })
      .keyBy((x) => x.k)
      .intervalJoin(env.fromBatch<Ev>([{ k: 1, ts: 0, id: 'R' }], { name: 'b' }).keyBy((y) => y.k))
      .between(0, 10)
      .process((x, y) => `${x.id}-${y.id}`)
      .sink(() => undefined);
    const failure = await env.submit({ autostop: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((failure as Error).cause).to.be.instanceOf(MissingTimestampError);
    expect(((failure as Error).cause as Error).message).to.match(/assignTimestampsAndWatermarks/);
  });

  it('bad input throws at the call', () => {
    const env = new LocalEnvironment('join-errors');
    const a = env.fromBatch<Ev>([]);
    const b = env.fromBatch<Ev>([]);
    expect(() => a.intervalJoin(b.keyBy((y) => y.k))).to.throw(UnkeyedWindowError, /keyBy/);
    expect(() => a.keyBy((x) => x.k).intervalJoin(b)).to.throw(UnkeyedWindowError, /argument/);
    const keyed = a.keyBy((x) => x.k).intervalJoin(b.keyBy((y) => y.k));
    expect(() => keyed.between(10, 5)).to.throw(InvalidDurationError, /upper bound/);
    expect(() => keyed.process((x) => x)).to.throw(InvalidFunctionError, /between/);
    expect(() =>
      a
        .join(b)
        .where((x) => x.k)
        .apply((x) => x),
    ).to.throw(InvalidFunctionError, /equalTo/);
  });
});
