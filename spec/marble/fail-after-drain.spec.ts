import { expect } from 'chai';
import { map, NEVER, timer } from 'rxjs';
import { KeyedProcessFunction } from '../../src/core/api/function/keyed-process-function.js';
import { JobFailedError } from '../../src/errors/job-failed-error.js';
import { DRAIN_BEFORE_FAILURE_MS } from '../../src/kernel/runtime/dispatcher.js';
import { runMarbles } from '../../src/testing/run-marbles.js';

const values = { a: 1, b: 2, c: 3 };

describe("marble: a fromObservable that errors under 'fail'", () => {
  it('its records still in a slow step are delivered first, then the job fails', async () => {
    await runMarbles(
      ({ env, cold, expectObservable }) => {
        const out = env
          .fromObservable(cold('-a-b#', values))
          .map((x: number) => timer(10).pipe(map(() => x * 10)), { name: 'slow', parallelism: 2 })
          .toObservable();
        const expected = new JobFailedError('marble', 'fromObservable', 'error');
        expectObservable(out).toBe('-----------a-(b#)', { a: 10, b: 20 }, expected);
      },
      { config: { logLevel: 'silent', errorPolicy: 'fail' } },
    );
  });

  it("the end of input's timers still fire for its records (a single source), then the job fails", async () => {
    class AtEnd extends KeyedProcessFunction<number, number, number> {
      processElement(x: number): undefined {
        this.ctx.timerService.registerEventTimeTimer(x);
        return undefined;
      }
      override onTimer(t: number): number {
        return t * 100;
      }
    }
    await runMarbles(
      ({ env, cold, expectObservable }) => {
        const out = env
          .fromObservable(cold('-a-b#', values))
          .keyBy((x: number) => x)
          .process(AtEnd, { name: 'at-end' })
          .map((x: number) => timer(5).pipe(map(() => x)), { name: 'slow' })
          .toObservable();
        const expected = new JobFailedError('marble', 'fromObservable', 'error');
        expectObservable(out).toBe('---------a----(b#)', { a: 100, b: 200 }, expected);
      },
      { config: { logLevel: 'silent', errorPolicy: 'fail' } },
    );
  });

  it(`a record stuck in a call that never settles holds the failure back ${String(DRAIN_BEFORE_FAILURE_MS)} ms at most`, async () => {
    await runMarbles(
      ({ env, cold, expectObservable }) => {
        const out = env
          .fromObservable(cold('-a-b#', values))
          .map((x: number) => (x === 2 ? NEVER : timer(1).pipe(map(() => x))), {
            name: 'stuck',
            parallelism: 2,
          })
          .toObservable();
        const expected = new JobFailedError('marble', 'fromObservable', 'error');
        expectObservable(out).toBe(`--a- ${String(DRAIN_BEFORE_FAILURE_MS)}ms #`, { a: 1 }, expected);
      },
      { config: { logLevel: 'silent', errorPolicy: 'fail' } },
    );
    expect(DRAIN_BEFORE_FAILURE_MS).to.be.greaterThan(0);
  });
});
