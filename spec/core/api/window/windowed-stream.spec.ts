import { expect } from 'chai';
import type { SinkFunction } from '../../../../src/core/api/function/sink-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { OutputTag } from '../../../../src/core/api/time/output-tag.js';
import { WatermarkStrategy } from '../../../../src/core/api/time/watermark-strategy.js';
import { EventTimeSessionWindows } from '../../../../src/core/api/window/event-time-session-windows.js';
import { GlobalWindows } from '../../../../src/core/api/window/global-windows.js';
import { CountTrigger } from '../../../../src/core/api/window/count-trigger.js';
import { ProcessWindowFunction } from '../../../../src/core/api/window/process-window-function.js';
import type { TimeWindow } from '../../../../src/core/api/window/time-window.js';
import { TumblingEventTimeWindows } from '../../../../src/core/api/window/tumbling-event-time-windows.js';
import { TumblingProcessingTimeWindows } from '../../../../src/core/api/window/tumbling-processing-time-windows.js';
import { InvalidParallelismError } from '../../../../src/errors/invalid-parallelism-error.js';
import { UnkeyedWindowError } from '../../../../src/errors/unkeyed-window-error.js';
import { runMarbles } from '../../../../src/testing/run-marbles.js';

interface Sale {
  readonly product: string;
  readonly ts: number;
  readonly amount: number;
}

const sale = (product: string, ts: number, amount = 1): Sale => ({ product, ts, amount });

describe('WindowedStream (windows in real jobs)', () => {
  it('tumbling event-time windows sum per key at the end of a batch; results carry the window end - 1', async () => {
    const env = new LocalEnvironment('tumbling');
    const late = new OutputTag<Sale>('late');
    const records = [sale('a', 1, 1), sale('a', 5, 2), sale('b', 7, 4), sale('a', 12, 8), sale('a', 3, 16)];
    const out: [string, number, number | undefined][] = [];
    const lateOut: Sale[] = [];
    const sums = env
      .fromBatch(records)
      .assignTimestampsAndWatermarks(
        WatermarkStrategy.forMonotonousTimestamps<Sale>().withTimestampAssigner((s) => s.ts),
      )
      .keyBy((s) => s.product)
      .window(TumblingEventTimeWindows.of(10))
      .sideOutputLateData(late)
      .reduce(
        (x, y) => ({ ...x, amount: x.amount + y.amount }),
        (key: unknown, w: TimeWindow, r: readonly Sale[]) => `${String(key)}@${w.start}=${r[0]?.amount ?? 0}`,
      );
    sums.sink(function (this: SinkFunction<string>, s: string) {
      out.push([s, this.ctx.timestamp() ?? -1, undefined]);
    });
    sums.getSideOutput(late).sink((s) => {
      lateOut.push(s);
    });
    await env.submit({ autostop: true });
    // No periodic watermark has necessarily passed before the end: every window fires at +Infinity.
    const results = out.map(([s, ts]) => [s, ts]);
    expect(results).to.have.deep.members([
      ['a@0=19', 9],
      ['b@0=4', 9],
      ['a@10=8', 19],
    ]);
    expect(lateOut).to.deep.equal([]);
  });

  it('structured keys (arrays, Dates) share their windows by value, as keyed state does', async () => {
    for (const parallelism of [1, 3]) {
      const env = new LocalEnvironment('structured-keys', { logLevel: 'silent' });
      const records = [sale('a', 1), sale('a', 2), sale('b', 3), sale('a', 12), sale('b', 4)];
      const out: string[] = [];
      env
        .fromBatch(records)
        .assignTimestampsAndWatermarks(
          WatermarkStrategy.forMonotonousTimestamps<Sale>().withTimestampAssigner((s) => s.ts),
        )
        .keyBy((s) => [s.product, new Date(0)])
        .window(TumblingEventTimeWindows.of(10))
        .reduce(
          (x, y) => ({ ...x, amount: x.amount + y.amount }),
          (key: unknown, w: TimeWindow, r: readonly Sale[]) =>
            `${JSON.stringify(key)}@${w.start}=${r[0]?.amount ?? 0}`,
          { parallelism },
        )
        .sink((s) => {
          out.push(s);
        });
      await env.submit({ autostop: true });
      expect(out, `parallelism ${parallelism}`).to.have.members([
        '["a","1970-01-01T00:00:00.000Z"]@0=2',
        '["b","1970-01-01T00:00:00.000Z"]@0=2',
        '["a","1970-01-01T00:00:00.000Z"]@10=1',
      ]);
    }
  });

  it('late records go to getSideOutput(tag) in virtual time; allowedLateness fires a window again', async () => {
    const late = new OutputTag<Sale>('late');
    await runMarbles(({ env, cold, expectObservable }) => {
      // autoWatermarkIntervalMs defaults to 200: watermarks at 200, 400, …
      // Watermarks every 200 ms (autoWatermarkIntervalMs), each the highest timestamp seen so far - 1.
      const src = cold<Sale>('a 249ms b 251ms c 251ms d 99ms e|', {
        a: sale('p', 5, 1),
        b: sale('p', 250, 2), // wm 249 at 400 fires [0,100) with 1
        c: sale('p', 60, 4), // 249 < cleanup 99 + 200: accepted, [0,100) fires again with 1 + 4
        d: sale('p', 1000, 8), // wm 999 at 800 fires [200,300) with 2
        e: sale('p', 70, 16), // 999 ≥ 299: late, to the side output
      });
      const windowed = env
        .fromObservable(src)
        .assignTimestampsAndWatermarks(
          WatermarkStrategy.forMonotonousTimestamps<Sale>().withTimestampAssigner((s) => s.ts),
        )
        .keyBy((s) => s.product)
        .window(TumblingEventTimeWindows.of(100))
        .allowedLateness(200)
        .sideOutputLateData(late)
        .aggregate({
          createAccumulator: () => 0,
          add: (s: Sale, acc: number) => acc + s.amount,
          getResult: (acc: number) => acc,
        });
      expectObservable(windowed.toObservable()).toBe('400ms x 101ms y 297ms z 54ms (w|)', {
        x: 1,
        y: 5,
        z: 2,
        w: 8,
      });
      expectObservable(windowed.getSideOutput(late).toObservable()).toBe('854ms e |', {
        e: sale('p', 70, 16),
      });
    });
  });

  it('session windows merge per key and close after the gap', async () => {
    const env = new LocalEnvironment('sessions');
    const out: string[] = [];
    env
      .fromBatch([sale('u', 0), sale('u', 4), sale('v', 5), sale('u', 20), sale('u', 9)])
      .assignTimestampsAndWatermarks(
        WatermarkStrategy.forBoundedOutOfOrderness<Sale>(100).withTimestampAssigner((s) => s.ts),
      )
      .keyBy((s) => s.product)
      .window(EventTimeSessionWindows.withGap(6))
      .process((key: unknown, w: TimeWindow, xs: readonly Sale[]) => [
        `${String(key)}[${w.start},${w.end}):${xs.length}`,
      ])
      .sink((s) => {
        out.push(s);
      });
    await env.submit({ autostop: true });
    expect(out).to.have.members(['u[0,15):3', 'v[5,11):1', 'u[20,26):1']);
  });

  it('count windows fire every n records of a key; a ProcessWindowFunction class gets ctx', async () => {
    class Keys extends ProcessWindowFunction<Sale, string> {
      process(key: unknown, _w: unknown, xs: readonly Sale[]): string[] {
        return [`${String(key)}:${xs.map((x) => x.amount).join('+')}:${this.ctx.name}`];
      }
    }
    const env = new LocalEnvironment('counts');
    const out: string[] = [];
    env
      .fromBatch([1, 2, 3, 4, 5, 6, 7].map((n) => sale(n % 2 === 0 ? 'e' : 'o', n, n)))
      .keyBy((s) => s.product)
      .countWindow(2)
      .process(Keys, { name: 'pairs' })
      .sink((s) => {
        out.push(s);
      });
    await env.submit({ autostop: true });
    expect(out.map((s) => s.replace(/:[^:]*$/, ''))).to.have.members(['o:1+3', 'e:2+4', 'o:5+7']);
    expect(out[0]).to.match(/pairs/);
  });

  it('a ProcessWindowFunction object gets its ctx in every instance, as a class does (parallelism 2)', async () => {
    class Named extends ProcessWindowFunction<Sale, string> {
      readonly prefix = 'n';
      process(key: unknown, _w: unknown, xs: readonly Sale[]): string[] {
        return [`${this.prefix}:${String(key)}:${String(xs.length)}@${this.ctx.name}`];
      }
    }
    const keys = Array.from({ length: 12 }, (_, i) => `k${String(i)}`);
    const env = new LocalEnvironment('object-process');
    const out: string[] = [];
    env
      .fromBatch([...keys, ...keys].map((p, i) => sale(p, i, i)))
      .keyBy((s) => s.product)
      .countWindow(2)
      .process(new Named(), { name: 'named', parallelism: 2 })
      .sink((s) => {
        out.push(s);
      });
    await env.submit({ autostop: true });
    expect(out.map((s) => s.replace(/@.*$/, '')).sort()).to.deep.equal(keys.map((k) => `n:${k}:2`).sort());
    const instanceOf = new Map(out.map((s) => [s.split(':')[1], s.replace(/^.*@/, '')]));
    expect(new Set(instanceOf.values()), 'each key is seen by its own instance').to.have.lengthOf(2);
    for (const name of instanceOf.values()) expect(name).to.match(/^named_[01]$/);
  });

  it('sliding count windows and a GlobalWindows trigger', async () => {
    const env = new LocalEnvironment('sliding-counts');
    const sliding: number[] = [];
    const global: number[] = [];
    const keyed = env.fromBatch([1, 2, 3, 4, 5, 6]).keyBy(() => 'k');
    keyed
      .countWindow(3, 2)
      .reduce((a, b) => a + b)
      .sink((x) => {
        sliding.push(x);
      });
    keyed
      .window(GlobalWindows.create())
      .trigger(CountTrigger.of(3))
      .reduce((a, b) => a + b)
      .sink((x) => {
        global.push(x);
      });
    await env.submit({ autostop: true });
    expect(sliding).to.deep.equal([1 + 2, 2 + 3 + 4, 4 + 5 + 6]);
    expect(global).to.deep.equal([6, 21]);
  });

  it('processing-time windows fire on the job scheduler (virtual time)', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env
        .fromObservable(cold('a-b 10ms c 50ms |', { a: 1, b: 2, c: 4 }))
        .keyBy(() => 'k')
        .window(TumblingProcessingTimeWindows.of(10))
        .reduce((a, b) => a + b)
        .toObservable();
      expectObservable(out).toBe('9ms x 9ms y 44ms |', { x: 3, y: 4 });
    });
  });

  it('windowAll sees every record at parallelism 1; window on an unkeyed stream throws UnkeyedWindowError', async () => {
    const env = new LocalEnvironment('all');
    const out: number[] = [];
    const src = env.fromBatch([1, 2, 3, 4, 5]);
    src
      .map((x) => x, { parallelism: 3 })
      .windowAll(GlobalWindows.create())
      .trigger(CountTrigger.of(5))
      .reduce((a, b) => a + b)
      .sink((x) => {
        out.push(x);
      });
    expect(() => src.window(TumblingEventTimeWindows.of(10))).to.throw(UnkeyedWindowError, /keyBy/);
    expect(() => src.countWindow(3)).to.throw(UnkeyedWindowError, /windowAll/);
    expect(() =>
      src.windowAll(GlobalWindows.create()).reduce((a, b) => a + b, undefined, { parallelism: 2 }),
    ).to.throw(InvalidParallelismError);
    await env.submit({ autostop: true });
    expect(out).to.deep.equal([15]);
  });
});
