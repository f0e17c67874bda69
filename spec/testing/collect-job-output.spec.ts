import { expect } from 'chai';
import { asyncScheduler, Subject } from 'rxjs';
import { JobFailedError } from '../../src/errors/job-failed-error.js';
import { StopSignal } from '../../src/kernel/runtime/stop-signal.js';
import { collectJobOutput } from '../../src/testing/collect-job-output.js';
import { TestEnvironment } from '../../src/testing/test-environment.js';
import { TestTimeoutError } from '../../src/testing/test-timeout-error.js';

describe('collectJobOutput', () => {
  it('resolves with every record once the job completes', async () => {
    const env = new TestEnvironment(asyncScheduler, 'all');
    const out = await collectJobOutput(env.fromBatch([1, 2, 3]).map((x) => x * 2));
    expect(out).to.deep.equal([2, 4, 6]);
    expect(env.lastJob().status).to.equal('completed');
  });

  it('stops an endless job after `count` records', async () => {
    const env = new TestEnvironment(asyncScheduler, 'count');
    let n = 0;
    const out = await collectJobOutput(
      env.fromSource(() => (n % 2 === 0 ? ++n : (n++, undefined)), { delay: 1 }),
      {
        count: 3,
      },
    );
    expect(out).to.deep.equal([1, 3, 5]);
    expect(env.lastJob().status).to.equal('stopped');
  });

  it('rejects with the job error when the job fails', async () => {
    const env = new TestEnvironment(asyncScheduler, 'fails', { errorPolicy: 'fail', logLevel: 'silent' });
    const failure = await collectJobOutput(
      env.fromBatch([1]).map(() => {
        throw new Error('boom');
      }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).to.be.instanceOf(JobFailedError);
  });

  it('rejects with a TestTimeoutError after the timeout and stops the job', async () => {
    const env = new TestEnvironment(asyncScheduler, 'never');
    const input = new Subject<number>();
    const pending = collectJobOutput(env.fromObservable(input), { timeout: 20 });
    input.next(1);
    const failure = await pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).to.be.instanceOf(TestTimeoutError);
    expect((failure as Error).message).to.match(/last seen: 1 records/);
    expect(env.lastJob().status).to.equal('stopped');
  });

  it('refuses a count that is not a positive integer', () => {
    const env = new TestEnvironment(asyncScheduler, 'bad');
    expect(() =>
      collectJobOutput(
        env.fromSource(() => new StopSignal()),
        { count: 0 },
      ),
    ).to.throw(TypeError, /count/);
  });
});
