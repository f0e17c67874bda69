import { expect } from 'chai';
import { concat, of, Subject, throwError } from 'rxjs';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { JobFailedError } from '../../../src/errors/job-failed-error.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';
import { within } from '../../helpers/wait-for.js';

async function failure(submitted: Promise<string>): Promise<unknown> {
  try {
    await within(submitted, 8000, 'the job to end');
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("a fromObservable that errors under 'fail'", () => {
  it('delivers every record it emitted before the error through async steps, then fails the job', async () => {
    const jm = new JobManager();
    const env = new LocalEnvironment('drain', { jobManager: jm, logLevel: 'silent', errorPolicy: 'fail' });
    const out: number[] = [];
    env
      .fromObservable(
        concat(
          of(1, 2, 3, 4, 5),
          throwError(() => new Error('feed broke')),
        ),
      )
      .map((x: number) => Promise.resolve().then(() => x * 10), { name: 'slow', parallelism: 2 })
      .map((x: number) => x + 1, { name: 'fast', parallelism: 3 })
      .sink((x) => {
        out.push(x);
      });
    const error = await failure(env.submit({ autostop: true }));
    expect(error).to.be.instanceOf(JobFailedError);
    expect((error as JobFailedError).operator).to.equal('fromObservable');
    expect((error as JobFailedError).cause).to.have.property('message', 'feed broke');
    expect([...out].sort((a, b) => a - b)).to.deep.equal([11, 21, 31, 41, 51]);
    expect(jm.listJobs()[0]?.status).to.equal('failed');
  });

  it('fails the job even while another source keeps running, after delivering its records', async () => {
    const jm = new JobManager();
    const env = new LocalEnvironment('drain-union', {
      jobManager: jm,
      logLevel: 'silent',
      errorPolicy: 'fail',
    });
    const out: number[] = [];
    const endless = new Subject<number>();
    env
      .fromObservable(
        concat(
          of(1, 2),
          throwError(() => new Error('feed broke')),
        ),
      )
      .connect(env.fromObservable(endless))
      .map((x: number) => Promise.resolve(x), { name: 'm', parallelism: 2 })
      .sink((x) => {
        out.push(x);
      });
    const error = await failure(env.submit({ autostop: true }));
    expect(error).to.be.instanceOf(JobFailedError);
    expect([...out].sort((a, b) => a - b)).to.deep.equal([1, 2]);
    expect(endless.observed).to.equal(false);
  });
});
