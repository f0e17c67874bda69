import { expect } from 'chai';
import { bufferCount, map as rxMap, of, timer } from 'rxjs';
import { BaseCoMapFunction } from '../../../../src/core/api/function/co-map-function.js';
import type { SinkFunction } from '../../../../src/core/api/function/sink-function.js';
import { WatermarkStrategy } from '../../../../src/core/api/time/watermark-strategy.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import type { DataStream } from '../../../../src/core/api/data-stream.js';
import { runMarbles } from '../../../../src/testing/run-marbles.js';

interface Event {
  readonly id: number;
  readonly ts: number;
}

const events = (n: number): Event[] => Array.from({ length: n }, (_, i) => ({ id: i, ts: 1_000 + i * 7 }));

/** A sink that records every value with the event time it arrived with (`ctx.timestamp()`). */
function record<T>(stream: DataStream<T>, into: [T, number | undefined][]): void {
  stream.sink(function (this: SinkFunction<T>, x: T) {
    into.push([x, this.ctx.timestamp()]);
  });
}

const stamped = (env: LocalEnvironment, n: number): DataStream<Event> =>
  env
    .fromBatch(events(n))
    .assignTimestampsAndWatermarks(
      WatermarkStrategy.noWatermarks<Event>().withTimestampAssigner((e) => e.ts),
    );

describe('timestamps travel with records', () => {
  it('through map, filter, flatMap and keyBy at parallelism 1 and 3 (fused and not)', async () => {
    for (const parallelism of [1, 3]) {
      for (const fusion of [true, false]) {
        const env = new LocalEnvironment('ts', { fusion });
        const out: [string, number | undefined][] = [];
        const s = stamped(env, 30)
          .map((e) => ({ ...e, doubled: e.id * 2 }), { parallelism })
          .filter((e) => e.id % 3 !== 0, { parallelism })
          .flatMap((e) => [`${e.id}:a`, `${e.id}:b`], { parallelism })
          .keyBy((s) => s.split(':')[0], { parallelism })
          .map((s) => s, { parallelism });
        record(s, out);
        await env.submit({ autostop: true });
        expect(out.length).to.equal(40);
        for (const [s, ts] of out) expect(ts, s).to.equal(1_000 + Number(s.split(':')[0]) * 7);
      }
    }
  });

  it('a record without a timestamp has none, and an assigner that returns no number drops the record', async () => {
    const env = new LocalEnvironment('none', { logLevel: 'silent' });
    const plain: [number, number | undefined][] = [];
    record(
      env.fromBatch([1, 2]).map((x) => x + 1),
      plain,
    );
    const bad: [number, number | undefined][] = [];
    record(
      env
        .fromBatch([1, 2, 3])
        .assignTimestampsAndWatermarks(
          WatermarkStrategy.noWatermarks<number>().withTimestampAssigner((x) =>
            x === 2 ? (undefined as unknown as number) : x * 10,
          ),
        ),
      bad,
    );
    await env.submit({ autostop: true });
    expect(plain).to.deep.equal([
      [2, undefined],
      [3, undefined],
    ]);
    expect(bad).to.deep.equal([
      [1, 10],
      [3, 30],
    ]);
  });

  it('an assigner without a strategy that re-stamps sees the current timestamp', async () => {
    const env = new LocalEnvironment('restamp');
    const out: [number, number | undefined][] = [];
    const s = env
      .fromBatch([1, 2])
      .assignTimestampsAndWatermarks(WatermarkStrategy.noWatermarks<number>().withTimestampAssigner((x) => x))
      .assignTimestampsAndWatermarks(
        WatermarkStrategy.noWatermarks<number>().withTimestampAssigner((_, current) => (current ?? 0) + 100),
      );
    record(s, out);
    await env.submit({ autostop: true });
    expect(out).to.deep.equal([
      [1, 101],
      [2, 102],
    ]);
  });

  it('an async map keeps each input timestamp on its output even when later records overtake it', async () => {
    const out: [number, number | undefined][] = [];
    await runMarbles(({ env }) => {
      const s = env
        .fromBatch([0, 1, 2, 3, 4, 5, 6, 7])
        .assignTimestampsAndWatermarks(
          WatermarkStrategy.noWatermarks<number>().withTimestampAssigner((x) => x * 100),
        )
        // the first records of each instance take longest: later ones (other instances) finish first
        .map((x) => timer(80 - x * 10).pipe(rxMap(() => x)), { parallelism: 4 })
        .map(async (x) => Promise.resolve(x), { parallelism: 2 });
      record(s, out);
      void env.submit();
    });
    expect(out.map(([x]) => x)).to.not.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(out).to.have.length(8);
    for (const [x, ts] of out) expect(ts).to.equal(x * 100);
  });

  it('every value an Observable result emits carries the input timestamp; coMap and join keep theirs', async () => {
    const env = new LocalEnvironment('inherit');
    const fromObservable: [number, number | undefined][] = [];
    record(
      stamped(env, 3).map((e) => of(e.id, e.id + 100)),
      fromObservable,
    );
    class Tag extends BaseCoMapFunction {
      map0(e: Event): string {
        return `a${e.id}`;
      }
      map1(e: Event): string {
        return `b${e.id}`;
      }
    }
    const coMapped: [string, number | undefined][] = [];
    record(stamped(env, 3).connect(stamped(env, 2)).coMap(Tag), coMapped);
    const joined: [string, number | undefined][] = [];
    record(
      stamped(env, 3)
        .keyBy((e) => e.id)
        .connect(stamped(env, 3).keyBy((e) => e.id))
        .join((e: Event, _key, tag) => `${tag}:${e.id}`),
      joined,
    );
    await env.submit({ autostop: true });
    expect(fromObservable).to.deep.equal([
      [0, 1000],
      [100, 1000],
      [1, 1007],
      [101, 1007],
      [2, 1014],
      [102, 1014],
    ]);
    expect(coMapped).to.have.length(5);
    for (const [s, ts] of coMapped) expect(ts, s).to.equal(1_000 + Number(s.slice(1)) * 7);
    expect(joined).to.have.length(6);
    for (const [s, ts] of joined) expect(ts, s).to.equal(1_000 + Number(s.split(':')[1]) * 7);
  });

  it('a pipe chain output carries the latest timestamp its chain saw', async () => {
    const env = new LocalEnvironment('pipe');
    const out: [number[], number | undefined][] = [];
    record(
      stamped(env, 5)
        .map((e) => e.id)
        .pipe(bufferCount(2)),
      out,
    );
    await env.submit({ autostop: true });
    expect(out).to.deep.equal([
      [[0, 1], 1007],
      [[2, 3], 1021],
      [[4], 1028],
    ]);
  });
});
