import { expect } from 'chai';
import { Subject, timer, map as rxMap, type Observable } from 'rxjs';
import { FilterFunction } from '../../src/core/api/function/filter-function.js';
import { FlatMapFunction } from '../../src/core/api/function/flat-map-function.js';
import { MapFunction } from '../../src/core/api/function/map-function.js';
import { SinkFunction } from '../../src/core/api/function/sink-function.js';
import { runMarbles } from '../../src/testing/run-marbles.js';

/** Resolves after a few microtask hops, as an async function awaiting other async work does. */
async function later<T>(value: T): Promise<T> {
  await Promise.resolve();
  await Promise.resolve();
  return value;
}

class Calc {
  process(x: number): Promise<number> {
    return later(x * 10);
  }
  plain(x: number): number {
    return x + 1;
  }
  delayed(x: number): Observable<number> {
    return timer(2).pipe(rxMap(() => -x));
  }
}

class AskCalc extends MapFunction<number, number> {
  async execute(x: number): Promise<number> {
    return this.callService<number>('calc', x);
  }
}

class AskCalcAsync extends MapFunction<number, number> {
  execute(x: number): Promise<number> {
    return this.callServiceAsync<number>({ service: 'calc', method: 'plain' }, x);
  }
}

class AskCalc$ extends MapFunction<number, number> {
  execute(x: number): Observable<number> {
    return this.callService$<number>({ service: 'calc', method: 'delayed' }, x);
  }
}

class KeepEven extends FilterFunction<number> {
  execute(x: number): Promise<boolean> {
    return later(x % 2 === 0);
  }
}

class Twice extends FlatMapFunction<number, number> {
  async execute(x: number): Promise<number[]> {
    return [await later(x), x];
  }
}

describe('runMarbles with Promises (async-aware flush)', () => {
  const v = { a: 1, b: 2, c: 3 };

  it('map: a Promise result lands in the frame in which the call started', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env
        .fromObservable(cold('-a--b-c|', v))
        .map((x) => later(x * 2))
        .toObservable();
      expectObservable(out).toBe('-a--b-c|', { a: 2, b: 4, c: 6 });
    });
  });

  it('filter: a Promise<boolean> keeps or drops in the same frame', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env.fromObservable(cold('-a--b-c|', v)).filter(KeepEven).toObservable();
      expectObservable(out).toBe('----b--|', v);
    });
  });

  it('flatMap: an async function returning a list emits its items in the same frame', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env.fromObservable(cold('-a------(b|)', v)).flatMap(Twice).toObservable();
      expectObservable(out).toBe('-(aa)---(bb|)', v);
    });
  });

  it('sink: an async sink function sees every record in its frame', async () => {
    const seen: [number, number][] = [];
    await runMarbles(({ env, cold, scheduler }) => {
      class Record extends SinkFunction<number> {
        async execute(x: number): Promise<void> {
          await later(x);
          seen.push([scheduler.now(), x]);
        }
      }
      env.fromObservable(cold('-a--b-c|', v)).sink(Record);
      void env.submit();
    });
    expect(seen).to.deep.equal([
      [1, 1],
      [4, 2],
      [6, 3],
    ]);
  });

  it('services: callService and callServiceAsync answer in the frame of the call; callService$ keeps its timers', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      env.registerService('calc', Calc);
      const input = cold('-a--b|', v);
      const viaCall = new Subject<number>();
      const viaAsync = new Subject<number>();
      const via$ = new Subject<number>();
      expectObservable(viaCall).toBe('-a--b|', { a: 10, b: 20 });
      expectObservable(viaAsync).toBe('-a--b|', { a: 2, b: 3 });
      expectObservable(via$).toBe('---a--(b|)', { a: -1, b: -2 });
      const source = env.fromObservable(input);
      source.map(AskCalc).sink(viaCall);
      source.map(AskCalcAsync).sink(viaAsync);
      source.map(AskCalc$).sink(via$);
      void env.submit();
    });
  });
});
