import { expect } from 'chai';
import { mergeMap, of, throwError, timer } from 'rxjs';
import { JobFailedError } from '../../src/errors/job-failed-error.js';
import { runMarbles } from '../../src/testing/run-marbles.js';

const values = { a: 1, b: 2, c: 3 };

function rejectTwo(x: number): number {
  if (x === 2) throw new Error('two is not allowed');
  return x;
}

describe('marble: error policies', () => {
  it("'skip' (default): the throwing record is dropped and counted, the job goes on", async () => {
    await runMarbles(
      ({ env, cold, expectObservable, flush }) => {
        const out = env
          .fromObservable(cold('-a-b-c|', values))
          .map(rejectTwo, { name: 'check' })
          .toObservable();
        expectObservable(out).toBe('-a---c|', { a: 1, c: 3 });
        flush();
        expect(env.lastJob().operators.find((o) => o.operator === 'check')).to.include({
          errors: 1,
          dropped: 0,
        });
      },
      { config: { logLevel: 'silent' } },
    );
  });

  it("'fail' on the environment: the job fails on the frame of the throw, with the original error as cause", async () => {
    await runMarbles(
      ({ env, cold, expectObservable }) => {
        const out = env
          .fromObservable(cold('-a-b-c|', values))
          .map(rejectTwo, { name: 'check' })
          .toObservable();
        const expected = new JobFailedError('marble', 'check', new Error('two is not allowed'));
        expectObservable(out).toBe('-a-#', { a: 1 }, expected);
      },
      { config: { logLevel: 'silent', errorPolicy: 'fail' } },
    );
  });

  it("'fail' on one operator only: other operators keep skipping", async () => {
    await runMarbles(
      ({ env, cold, expectObservable }) => {
        const out = env
          .fromObservable(cold('-a-b-c|', values))
          .filter((x) => {
            if (x === 1) throw new Error('filter skips');
            return true;
          })
          .map(rejectTwo, { name: 'check', errorPolicy: 'fail' })
          .toObservable();
        expectObservable(out).toBe(
          '---#',
          undefined,
          new JobFailedError('marble', 'check', new Error('two is not allowed')),
        );
      },
      { config: { logLevel: 'silent' } },
    );
  });

  it('an Observable result that errors counts as a throw of that record', async () => {
    await runMarbles(
      ({ env, cold, expectObservable }) => {
        const out = env
          .fromObservable(cold('-a-b-c|', values))
          .map((x) =>
            timer(1).pipe(mergeMap(() => (x === 2 ? throwError(() => new Error('late failure')) : of(x)))),
          )
          .toObservable();
        expectObservable(out).toBe('--a---(c|)', { a: 1, c: 3 });
      },
      { config: { logLevel: 'silent' } },
    );
  });

  it("a throwing source under 'skip' ends the stream instead of leaving the job waiting", async () => {
    await runMarbles(
      ({ env, expectObservable }) => {
        let n = 0;
        const out = env
          .fromSource(() => {
            if (++n === 3) throw new Error('source broke');
            return n;
          })
          .toObservable();
        expectObservable(out).toBe('(ab|)', { a: 1, b: 2 });
      },
      { config: { logLevel: 'silent' } },
    );
  });
});
