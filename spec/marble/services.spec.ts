import { expect } from 'chai';
import { map as rxMap, Subject, timer, type Observable } from 'rxjs';
import { MapFunction } from '../../src/core/api/function/map-function.js';
import { JobFailedError } from '../../src/errors/job-failed-error.js';
import { ServiceTimeoutError } from '../../src/errors/service-timeout-error.js';
import { Collector } from '../../src/testing/collector.js';
import { runMarbles } from '../../src/testing/run-marbles.js';

/** A service that answers after `delay` virtual ms. */
class SlowEcho {
  constructor(private readonly delay: number) {}
  process(x: number): Observable<number> {
    return timer(this.delay).pipe(rxMap(() => x * 10));
  }
  slow(x: number): Observable<number> {
    return timer(50).pipe(rxMap(() => x));
  }
}

class Ask extends MapFunction<number, number> {
  execute(x: number): Observable<number> {
    return this.callService$<number>({ service: 'echo', timeout: 10 }, x);
  }
}

describe('marble: services with timeouts', () => {
  it('a map calling a service that answers after timer(5) with timeout 10 emits on the right frame', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      env.registerService('echo', SlowEcho, 5);
      const out = new Subject<number>();
      expectObservable(out).toBe('------a-----(b|)', { a: 10, b: 20 });
      env
        .fromObservable(cold('-a-----b|', { a: 1, b: 2 }))
        .map(Ask)
        .sink(out);
      void env.submit();
    });
  });

  it('the same job through toObservable(): services come with the job', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      env.registerService('echo', SlowEcho, 5);
      const out = env
        .fromObservable(cold('-a-----b|', { a: 1, b: 2 }))
        .map(Ask)
        .toObservable();
      expectObservable(out).toBe('------a-----(b|)', { a: 10, b: 20 });
    });
  });

  it('a call whose answer takes 50 frames times out on the right frame and is dropped by the default policy', async () => {
    await runMarbles(
      ({ env, cold, expectObservable, flush }) => {
        env.registerService('echo', SlowEcho, 5);
        const out = new Subject<number>();
        // a's call times out at 11 and a is dropped; b, once the service is free again, is answered 5 frames later.
        expectObservable(out).toBe('66ms (b|)', { b: 20 });
        env
          .fromObservable(cold('-a 59ms b|', { a: 1, b: 2 }))
          .map(
            function (this: MapFunction<number, number>, x: number) {
              return x === 1
                ? this.callService$<number>({ service: 'echo', method: 'slow', timeout: 10 }, x)
                : this.callService$<number>({ service: 'echo', timeout: 10 }, x);
            },
            { name: 'ask' },
          )
          .sink(out);
        void env.submit();
        flush();
        expect(env.lastJob().operators.find((o) => o.operator === 'ask')).to.include({ errors: 1 });
      },
      { config: { logLevel: 'silent' } },
    );
  });

  it("under 'fail', the timeout fails the job on the frame it fires, with a ServiceTimeoutError as cause", async () => {
    const collector = new Collector<number>();
    await runMarbles(
      ({ env, cold }) => {
        env.registerService('echo', SlowEcho, 50);
        env
          .fromObservable(cold('-a|', { a: 1 }))
          .map(Ask)
          .sink(collector);
        void env.submit().catch(() => undefined);
      },
      { config: { logLevel: 'silent', errorPolicy: 'fail' } },
    );
    expect(collector.values).to.deep.equal([]);
    expect(collector.events.map((e) => [e.time, e.kind])).to.deep.equal([[11, 'error']]);
    expect(collector.failure).to.be.instanceOf(JobFailedError);
    expect((collector.failure as JobFailedError).cause).to.be.instanceOf(ServiceTimeoutError);
  });
});
