import { expect } from 'chai';
import { map as rxMap, of, timer } from 'rxjs';
import { MapFunction } from '../../src/core/api/function/map-function.js';
import { runMarbles } from '../../src/testing/run-marbles.js';

class Scale extends MapFunction<number, number> {
  constructor(private readonly factor: number) {
    super();
  }
  execute(x: number): number {
    return x * this.factor;
  }
}

describe('marble: map', () => {
  it('keeps the frames of the source: map(x*10) → filter(≠20)', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env
        .fromObservable(cold('-a-b-c-d|', { a: 1, b: 2, c: 3, d: 4 }))
        .map((x) => x * 10)
        .filter((x) => x !== 20)
        .toObservable();
      expectObservable(out).toBe('-a---c-d|', { a: 10, c: 30, d: 40 });
    });
  });

  it('runs a MapFunction class with constructor args', async () => {
    await runMarbles(({ env, hot, expectObservable }) => {
      const out = env
        .fromObservable(hot('--a--b--|', { a: 1, b: 2 }))
        .map(Scale, { args: [3] })
        .toObservable();
      expectObservable(out).toBe('--a--b--|', { a: 3, b: 6 });
    });
  });

  it('drops a record whose result is undefined', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env
        .fromObservable(cold('abc|', { a: 1, b: 2, c: 3 }))
        .map((x) => (x === 2 ? undefined : x))
        .toObservable();
      expectObservable(out).toBe('a-c|', { a: 1, c: 3 });
    });
  });

  it('waits for an Observable result on the virtual clock, one record at a time', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env
        .fromObservable(cold('-a-b|', { a: 1, b: 2 }))
        .map((x) => timer(5).pipe(rxMap(() => x * 10)))
        .toObservable();
      // b arrives at 3 but waits until a's call ends at 6; its own call then takes 5 frames.
      expectObservable(out).toBe('------a----(b|)', { a: 10, b: 20 });
    });
  });

  it('flattens every value of an Observable result, in order', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env
        .fromObservable(cold('-(a|)', { a: 1 }))
        .map((x) => of(x, x + 1, x + 2))
        .toObservable();
      expectObservable(out).toBe('-(xyz|)', { x: 1, y: 2, z: 3 });
    });
  });

  it('calls the function exactly once per record', async () => {
    let calls = 0;
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env
        .fromObservable<string>(cold('-a-b-c|'))
        .map((s) => {
          calls++;
          return s.toUpperCase();
        })
        .toObservable();
      expectObservable(out).toBe('-A-B-C|', { A: 'A', B: 'B', C: 'C' });
    });
    expect(calls).to.equal(3);
  });
});
