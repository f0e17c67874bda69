import { BatchFunction } from '../../src/core/api/function/batch-function.js';
import { runMarbles } from '../../src/testing/run-marbles.js';

class Countdown extends BatchFunction<number> {
  constructor(private n: number) {
    super();
  }
  execute(): number | undefined {
    return this.n > 0 ? this.n-- : undefined;
  }
}

describe('marble: fromBatch', () => {
  it('a synchronous collection is emitted entirely on the frame the job starts', async () => {
    await runMarbles(({ env, expectObservable }) => {
      const out = env
        .fromBatch([1, 2, 3])
        .map((x) => x * 2)
        .toObservable();
      expectObservable(out, '--^').toBe('--(abc|)', { a: 2, b: 4, c: 6 });
    });
  });

  it('a BatchFunction class is polled until it returns undefined', async () => {
    await runMarbles(({ env, expectObservable }) => {
      const out = env.fromBatch(Countdown, { args: [3] }).toObservable();
      expectObservable(out).toBe('(abc|)', { a: 3, b: 2, c: 1 });
    });
  });
});
