import { of, timer, map as rxMap } from 'rxjs';
import { FilterFunction } from '../../src/core/api/function/filter-function.js';
import { runMarbles } from '../../src/testing/run-marbles.js';

class Odd extends FilterFunction<number> {
  execute(x: number): boolean {
    return x % 2 === 1;
  }
}

describe('marble: filter', () => {
  it('keeps records for which the function is truthy, on their frames', async () => {
    await runMarbles(({ env, hot, expectObservable }) => {
      const out = env
        .fromObservable(hot('-a-b-c-d-|', { a: 1, b: 2, c: 3, d: 4 }))
        .filter(Odd)
        .toObservable();
      expectObservable(out).toBe('-a---c---|', { a: 1, c: 3 });
    });
  });

  it('treats any truthy value as keep', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env
        .fromObservable(cold('abcd|', { a: '', b: 'x', c: 0, d: 7 }))
        .filter((v) => v)
        .toObservable();
      expectObservable(out).toBe('-b-d|', { b: 'x', d: 7 });
    });
  });

  it('waits for an Observable verdict on the virtual clock', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env
        .fromObservable(cold('-a-b|', { a: 1, b: 2 }))
        .filter((x) => timer(2).pipe(rxMap(() => x === 2)))
        .toObservable();
      expectObservable(out).toBe('-----(b|)', { b: 2 });
    });
  });

  it('keeps a record on an Observable verdict delivered synchronously', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env
        .fromObservable(cold('-a-b|', { a: 1, b: 2 }))
        .filter((x) => of(x > 1))
        .toObservable();
      expectObservable(out).toBe('---b|', { b: 2 });
    });
  });
});
