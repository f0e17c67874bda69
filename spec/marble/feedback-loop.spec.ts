import { expect } from 'chai';
import { asyncScheduler, map as rxMap, of, Subject, timer } from 'rxjs';
import { FutureError } from '../../src/errors/future-error.js';
import { runMarbles } from '../../src/testing/run-marbles.js';
import { TestEnvironment } from '../../src/testing/test-environment.js';

describe('marble: feedback loops (fromFuture / fillFuture)', () => {
  it('records go around the loop on the virtual clock; the job completes when the loop is empty', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const loop = env.fromFuture<number>('loop');
      const all = env
        .fromObservable(cold('-a|', { a: 0 }))
        .connect(loop)
        .map((d: number) => d);
      const out = new Subject<number>();
      expectObservable(out).toBe('-a-b-c-(d|)', { a: 0, b: 1, c: 2, d: 3 });
      all.sink(out);
      all
        .filter((d) => d < 3)
        .map((d) => timer(2).pipe(rxMap(() => d + 1)))
        .fillFuture(loop);
      void env.submit();
    });
  });

  it('a synchronous loop runs to its end on one frame', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const loop = env.fromFuture<number>('loop');
      const all = env
        .fromObservable(cold('--a----|', { a: 10 }))
        .connect(loop)
        .map((d: number) => d);
      const out = new Subject<number>();
      expectObservable(out).toBe('--(abc)|', { a: 10, b: 5, c: 2 });
      all.sink(out);
      all
        .filter((d) => d > 2)
        .map((d) => Math.floor(d / 2))
        .fillFuture(loop);
      void env.submit();
    });
  });

  it('an unfilled future fails submit with a clear error', async () => {
    const env = new TestEnvironment(asyncScheduler, 'unfilled');
    const loop = env.fromFuture<number>('never-filled');
    env
      .fromObservable(of(1))
      .connect(loop)
      .sink(() => undefined);
    const failure = await env.submit().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).to.be.instanceOf(FutureError);
    expect((failure as Error).message).to.match(/never-filled/);
  });
});
