import { expect } from 'chai';
import { KeyedProcessFunction } from '../../../../src/core/api/function/keyed-process-function.js';
import { WatermarkStrategy } from '../../../../src/core/api/time/watermark-strategy.js';
import { runMarbles } from '../../../../src/testing/run-marbles.js';

interface Reading {
  readonly sensor: string;
  readonly ts: number;
}

/** Sets an event-time timer at each record's timestamp; a timer says when it fired and what the watermark was. */
class FireAtTimestamp extends KeyedProcessFunction<string, Reading, string> {
  processElement(r: Reading): undefined {
    this.ctx.timerService.registerEventTimeTimer(r.ts);
    return undefined;
  }
  override onTimer(time: number): string {
    return `${String(this.ctx.getKey())}@${time}`;
  }
}

const byTs = (r: Reading): number => r.ts;

/** Sets an event-time timer 50 ms before each record's timestamp. */
class FireBefore extends KeyedProcessFunction<string, Reading, string> {
  processElement(r: Reading): undefined {
    this.ctx.timerService.registerEventTimeTimer(r.ts - 50);
    return undefined;
  }
  override onTimer(time: number): string {
    return `${String(this.ctx.getKey())}@${time}`;
  }
}

const monotonous = (): WatermarkStrategy<Reading> =>
  WatermarkStrategy.forMonotonousTimestamps<Reading>().withTimestampAssigner(byTs);

describe('marble: watermarks', () => {
  it('are emitted every autoWatermarkIntervalMs of the job scheduler; the end of input sends +Infinity', async () => {
    await runMarbles(
      ({ env, cold, expectObservable }) => {
        const readings = cold<Reading>('a----b-------------c--------------|', {
          a: { sensor: 's', ts: 100 },
          b: { sensor: 's', ts: 150 },
          c: { sensor: 's', ts: 130 },
        });
        const out = env
          .fromObservable(readings)
          .assignTimestampsAndWatermarks(
            WatermarkStrategy.forBoundedOutOfOrderness<Reading>(20).withTimestampAssigner(byTs),
          )
          .keyBy((r) => r.sensor)
          .process(FireAtTimestamp)
          .toObservable();
        // tick at 10: max 150 → watermark 129 fires the timer at 100; 130 and 150 fire at the end (frame 34)
        expectObservable(out).toBe('10ms a 23ms (bc|)', { a: 's@100', b: 's@130', c: 's@150' });
      },
      { config: { autoWatermarkIntervalMs: 10 } },
    );
  });

  it("an instance's watermark is the minimum over its inputs", async () => {
    await runMarbles(
      ({ env, cold, expectObservable }) => {
        const fast = env
          .fromObservable(
            cold<Reading>('a-----------------------------------------------------------|', {
              a: { sensor: 'a', ts: 1_000 },
            }),
          )
          .assignTimestampsAndWatermarks(monotonous());
        const slow = env
          .fromObservable(
            cold<Reading>('b------------------------c----------------------------------|', {
              b: { sensor: 'b', ts: 100 },
              c: { sensor: 'b', ts: 600 },
            }),
          )
          .assignTimestampsAndWatermarks(monotonous());
        const out = fast
          .union(slow)
          .keyBy((r) => r.sensor)
          .process(FireBefore, { parallelism: 2 })
          .toObservable();
        // tick 10: min(999, 99) fires b@50; tick 30: min(999, 599) fires b@550; a@950 waits for the end
        expectObservable(out).toBe('10ms x 19ms y 29ms (z|)', { x: 'b@50', y: 'b@550', z: 'a@950' });
      },
      { config: { autoWatermarkIntervalMs: 10 } },
    );
  });

  it('an idle input is left out of the minimum until it sends again', async () => {
    await runMarbles(
      ({ env, cold, expectObservable }) => {
        const fast = env
          .fromObservable(
            cold<Reading>('a-----------------------------------------------------------|', {
              a: { sensor: 'a', ts: 1_000 },
            }),
          )
          .assignTimestampsAndWatermarks(monotonous());
        const quiet = env
          .fromObservable(
            cold<Reading>('b-----------------------------------------------------------|', {
              b: { sensor: 'b', ts: 100 },
            }),
          )
          .assignTimestampsAndWatermarks(monotonous().withIdleness(15));
        const out = fast
          .union(quiet)
          .keyBy((r) => r.sensor)
          .process(FireBefore)
          .toObservable();
        // tick 10: min(999, 99) fires b@50; tick 20: the quiet input is idle, so a@950 fires (not at the end)
        expectObservable(out).toBe('10ms x 9ms y 39ms |', { x: 'b@50', y: 'a@950' });
      },
      { config: { autoWatermarkIntervalMs: 10 } },
    );
  });

  it('when every input is idle, the highest watermark among them goes on (Flink flushes the max across idle inputs)', async () => {
    await runMarbles(
      ({ env, cold, expectObservable }) => {
        const ahead = env
          .fromObservable(
            cold<Reading>('a-----------------------------------------------------------|', {
              a: { sensor: 'a', ts: 1_000 },
            }),
          )
          .assignTimestampsAndWatermarks(monotonous().withIdleness(15));
        const behind = env
          .fromObservable(
            cold<Reading>('b-----------------------------------------------------------|', {
              b: { sensor: 'b', ts: 100 },
            }),
          )
          .assignTimestampsAndWatermarks(monotonous().withIdleness(25));
        const out = ahead
          .union(behind)
          .keyBy((r) => r.sensor)
          .process(FireBefore)
          .toObservable();
        // tick 10: min(999, 99) fires b@50; tick 20: the input ahead is idle, the one behind holds the
        // watermark at 99; tick 30: both are idle, so the watermark moves on to the highest of theirs (999)
        // and a@950 fires then, not at the end of input
        expectObservable(out).toBe('10ms x 19ms y 29ms |', { x: 'b@50', y: 'a@950' });
      },
      { config: { autoWatermarkIntervalMs: 10 } },
    );
  });

  it('without idleness a quiet input holds the watermark back until the end of input', async () => {
    await runMarbles(
      ({ env, cold, expectObservable }) => {
        const fast = env
          .fromObservable(
            cold<Reading>('a-----------------------------------------------------------|', {
              a: { sensor: 'a', ts: 1_000 },
            }),
          )
          .assignTimestampsAndWatermarks(monotonous());
        const quiet = env
          .fromObservable(
            cold<Reading>('b-----------------------------------------------------------|', {
              b: { sensor: 'b', ts: 100 },
            }),
          )
          .assignTimestampsAndWatermarks(monotonous());
        const out = fast
          .union(quiet)
          .keyBy((r) => r.sensor)
          .process(FireBefore)
          .toObservable();
        expectObservable(out).toBe('10ms x 49ms (y|)', { x: 'b@50', y: 'a@950' });
      },
      { config: { autoWatermarkIntervalMs: 10 } },
    );
  });

  it('noWatermarks: event-time timers fire only at the end of input', async () => {
    await runMarbles(
      ({ env, cold, expectObservable }) => {
        const out = env
          .fromObservable(
            cold<Reading>('a-b-------------------|', {
              a: { sensor: 's', ts: 100 },
              b: { sensor: 't', ts: 90 },
            }),
          )
          .assignTimestampsAndWatermarks(
            WatermarkStrategy.noWatermarks<Reading>().withTimestampAssigner(byTs),
          )
          .keyBy((r) => r.sensor)
          .process(FireBefore)
          .toObservable();
        expectObservable(out).toBe('22ms (xy|)', { x: 't@40', y: 's@50' });
      },
      { config: { autoWatermarkIntervalMs: 10 } },
    );
  });

  it('no watermark is emitted while the job is paused; they go on after continue', async () => {
    await runMarbles(
      ({ env, cold, expectObservable }) => {
        const out = env
          .fromObservable(
            cold<Reading>('a----------------------------------------|', { a: { sensor: 's', ts: 100 } }),
          )
          .assignTimestampsAndWatermarks(monotonous())
          .keyBy((r) => r.sensor)
          .process(FireBefore)
          .toObservable();
        env.pauseAt(5);
        env.continueAt(25);
        // without the pause s@50 would fire at the tick of frame 10
        expectObservable(out).toBe('30ms x 10ms |', { x: 's@50' });
      },
      { config: { autoWatermarkIntervalMs: 10 } },
    );
  });

  it('a watermark never goes back, whatever order the timestamps come in', async () => {
    const seen: number[] = [];
    class Watch extends KeyedProcessFunction<number, number, number> {
      processElement(x: number): number {
        seen.push(this.ctx.timerService.currentWatermark());
        return x;
      }
    }
    await runMarbles(
      ({ env, cold }) => {
        env
          .fromObservable(
            cold<number>('a-b-c-d-e-f-g-h-i-j|', {
              a: 50,
              b: 10,
              c: 70,
              d: 20,
              e: 90,
              f: 30,
              g: 80,
              h: 100,
              i: 5,
              j: 110,
            }),
          )
          .assignTimestampsAndWatermarks(
            WatermarkStrategy.forBoundedOutOfOrderness<number>(5).withTimestampAssigner((x) => x),
          )
          .keyBy((x) => x % 2)
          .process(Watch)
          .sink(() => undefined);
        void env.submit();
      },
      { config: { autoWatermarkIntervalMs: 3 } },
    );
    expect(seen[0]).to.equal(-Infinity);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).to.be.at.least(seen[i - 1] as number);
    expect(seen.at(-1)).to.equal(100 - 5 - 1);
  });
});
