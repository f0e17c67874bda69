import { expect } from 'chai';
import { asyncScheduler, Subject } from 'rxjs';
import { JobStateError } from '../../src/errors/job-state-error.js';
import { TestEnvironment } from '../../src/testing/test-environment.js';
import { TestTimeoutError } from '../../src/testing/test-timeout-error.js';
import { waitForStatus } from '../../src/testing/wait-for-status.js';

describe('waitForStatus', () => {
  it('resolves at once when the job already has the status', async () => {
    const env = new TestEnvironment(asyncScheduler, 'now');
    env.fromBatch([1]).sink(() => undefined);
    const uuid = await env.submit();
    const status = await waitForStatus(env.jobManager, uuid, 'completed');
    expect(status.status).to.equal('completed');
  });

  it('resolves when the job ends later (an event, not a sleep)', async () => {
    const env = new TestEnvironment(asyncScheduler, 'later');
    const input = new Subject<number>();
    env.fromObservable(input).sink(() => undefined);
    const uuid = await env.submit();
    const waiting = waitForStatus(env.jobManager, uuid, ['completed', 'stopped']);
    input.complete();
    expect((await waiting).status).to.equal('completed');
  });

  it('sees pause and continue', async () => {
    const env = new TestEnvironment(asyncScheduler, 'paused');
    env.fromObservable(new Subject<number>()).sink(() => undefined);
    const uuid = await env.submit();
    env.jobManager.pauseJob(uuid);
    expect((await waitForStatus(env.jobManager, uuid, 'paused')).status).to.equal('paused');
    env.jobManager.continueJob(uuid);
    expect((await waitForStatus(env.jobManager, uuid, 'running')).status).to.equal('running');
    env.stopAll();
  });

  it('rejects with a JobStateError when the job ended in another state', async () => {
    const env = new TestEnvironment(asyncScheduler, 'other', { errorPolicy: 'fail', logLevel: 'silent' });
    env.fromBatch([1]).map(() => {
      throw new Error('boom');
    });
    const uuid = await env.submit().catch(() => env.lastJob().uuid);
    const failure = await waitForStatus(env.jobManager, uuid, 'completed').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).to.be.instanceOf(JobStateError);
    expect((failure as Error).message).to.match(/ended as failed: .*boom.* while waiting for completed/);
  });

  it('rejects with a TestTimeoutError after the timeout', async () => {
    const env = new TestEnvironment(asyncScheduler, 'slow');
    env.fromObservable(new Subject<number>()).sink(() => undefined);
    const uuid = await env.submit();
    const failure = await waitForStatus(env.jobManager, uuid, 'completed', { timeout: 20 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).to.be.instanceOf(TestTimeoutError);
    expect((failure as Error).message).to.match(/20 ms waiting for job .* \(last seen: running\)/);
    env.stopAll();
  });

  it('works with any status source, including an asynchronous one', async () => {
    const env = new TestEnvironment(asyncScheduler, 'remote-like');
    env.fromObservable(new Subject<number>()).sink(() => undefined);
    const uuid = await env.submit();
    let queries = 0;
    const remote = {
      getJobStatus: (id: string) => {
        if (++queries === 3) env.stopAll();
        return Promise.resolve(env.jobManager.getJobStatus(id));
      },
    };
    const status = await waitForStatus(remote, uuid, 'stopped', { interval: 1 });
    expect(status.status).to.equal('stopped');
    expect(queries).to.equal(3);
  });
});
