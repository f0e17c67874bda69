import { expect } from 'chai';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import type { ErrorPolicy } from '../../../../src/kernel/runtime/error-policy.js';
import { AsyncIterableDriver } from '../../../../src/kernel/runtime/source/async-iterable-driver.js';
import { IterableDriver } from '../../../../src/kernel/runtime/source/iterable-driver.js';
import { fakeSourceHarness } from '../../../helpers/fake-runtime.js';
import { waitFor } from '../../../helpers/wait-for.js';

/** An iterable of 1, 2, 3 whose iterator's `return()` throws and counts its calls. */
function brokenReturn(): { iterable: Iterable<number>; returns: () => number } {
  let returns = 0;
  const iterable: Iterable<number> = {
    [Symbol.iterator]: () => {
      let i = 0;
      return {
        next: (): IteratorResult<number> =>
          i < 3 ? { value: ++i, done: false } : { value: undefined, done: true },
        return: (): IteratorResult<number> => {
          returns++;
          throw new Error('return broke');
        },
      };
    },
  };
  return { iterable, returns: () => returns };
}

describe("a source iterator's return()", () => {
  for (const errorPolicy of ['skip', 'fail'] as const satisfies readonly ErrorPolicy[]) {
    it(`is not called when the iterable is exhausted (as in for…of), so one that throws leaves the job completed (errorPolicy '${errorPolicy}')`, async () => {
      const jm = new JobManager();
      const env = new LocalEnvironment('return-broke', { jobManager: jm, logLevel: 'silent', errorPolicy });
      const { iterable, returns } = brokenReturn();
      const out: number[] = [];
      env.fromBatch(iterable, { name: 'src' }).sink((x) => {
        out.push(x);
      });
      await env.submit({ autostop: true });
      expect(out).to.deep.equal([1, 2, 3]);
      expect(returns()).to.equal(0);
      expect(jm.listJobs()[0]?.status).to.equal('completed');
    });
  }

  it('is not called after next() threw', () => {
    const h = fakeSourceHarness();
    let returns = 0;
    const iterable: Iterable<number> = {
      [Symbol.iterator]: () => ({
        next: (): IteratorResult<number> => {
          throw new Error('next broke');
        },
        return: (): IteratorResult<number> => {
          returns++;
          return { value: undefined, done: true };
        },
      }),
    };
    new IterableDriver(h.rt, h.control, iterable).start();
    h.subscription.unsubscribe();
    expect(h.errors).to.have.length(1);
    expect(returns).to.equal(0);
  });

  it('is called when the job stops the source early; when it throws, that is counted, not thrown', () => {
    const h = fakeSourceHarness();
    let returns = 0;
    const iterable: Iterable<number> = {
      [Symbol.iterator]: () => ({
        next: (): IteratorResult<number> => ({ value: 1, done: false }),
        return: (): IteratorResult<number> => {
          returns++;
          throw new Error('return broke');
        },
      }),
    };
    const control = {
      ...h.control,
      emit: (v: unknown) => {
        h.emitted.push(v);
        h.open = false;
      },
    };
    new IterableDriver(h.rt, control, iterable).start();
    expect(() => {
      h.subscription.unsubscribe();
    }).not.to.throw();
    expect(returns).to.equal(1);
    expect(h.rt.metrics.errors).to.equal(1);
    expect(h.rt.metrics.lastError).to.equal('return broke');
  });

  it('of an async iterator that throws synchronously when the job stops it early: counted, not thrown', async () => {
    const h = fakeSourceHarness();
    let returns = 0;
    const iterable: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: (): Promise<IteratorResult<number>> => Promise.resolve({ value: 1, done: false }),
        return: (): Promise<IteratorResult<number>> => {
          returns++;
          throw new Error('async return broke');
        },
      }),
    };
    const control = {
      ...h.control,
      emit: (v: unknown) => {
        h.emitted.push(v);
        h.open = false;
      },
    };
    new AsyncIterableDriver(h.rt, control, iterable).start();
    await waitFor(() => h.emitted.length === 1);
    expect(() => {
      h.subscription.unsubscribe();
    }).not.to.throw();
    expect(returns).to.equal(1);
    expect(h.rt.metrics.errors).to.equal(1);
  });
});
