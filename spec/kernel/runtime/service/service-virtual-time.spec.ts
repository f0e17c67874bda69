import { catchError, map as rxMap, of, Subject, timer } from 'rxjs';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { runMarbles } from '../../../../src/testing/run-marbles.js';

class Slow {
  process(x: number) {
    return timer(x === 9 ? 50 : 5).pipe(rxMap(() => x * 2));
  }
}

class CallSlow extends MapFunction<number, string> {
  execute(x: number) {
    return this.callService$<number>({ service: 'slow', timeout: 10 }, x).pipe(
      rxMap((y) => String(y)),
      catchError((e: Error) => of(e.name)),
    );
  }
}

describe('marble: services in virtual time', () => {
  it('a call answered after timer(5) emits 5 frames later; one that takes 50 frames times out at frame 10', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      env.registerService('slow', Slow);
      const out = new Subject<string>();
      env
        .fromObservable(cold('a-----------------b|', { a: 1, b: 9 }))
        .map(CallSlow)
        .sink(out);
      void env.submit();
      expectObservable(out).toBe('5ms a 22ms (b|)', { a: '2', b: 'ServiceTimeoutError' });
    });
  });
});
