import { FlatMapFunction } from '../../src/core/api/function/flat-map-function.js';
import { runMarbles } from '../../src/testing/run-marbles.js';

class Split extends FlatMapFunction<string, string> {
  execute(line: string): string[] {
    const [head, ...tail] = line.split(' ');
    for (const word of tail) this.collect(word);
    return head === undefined ? [] : [head];
  }
}

describe('marble: flatMap', () => {
  it('emits all items of a record on that record’s frame', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env
        .fromObservable(cold('-a---b---|', { a: 'x y', b: 'z' }))
        .flatMap((line) => line.split(' '))
        .toObservable();
      expectObservable(out).toBe('-(xy)b---|', { x: 'x', y: 'y', b: 'z' });
    });
  });

  it('emits returned items first, then collected ones', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env
        .fromObservable(cold('-(a|)', { a: 'p q r' }))
        .flatMap(Split)
        .toObservable();
      expectObservable(out).toBe('-(pqr|)', { p: 'p', q: 'q', r: 'r' });
    });
  });

  it('emits nothing for an empty result or undefined', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env
        .fromObservable(cold('abc|', { a: 1, b: 2, c: 3 }))
        .flatMap((x) => (x === 2 ? undefined : x === 3 ? [] : [x]))
        .toObservable();
      expectObservable(out).toBe('a--|', { a: 1 });
    });
  });
});
