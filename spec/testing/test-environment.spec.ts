import { expect } from 'chai';
import { JobStateError } from '../../src/errors/job-state-error.js';
import { JobManager } from '../../src/kernel/jobmanager/job-manager.js';
import { createTestScheduler } from '../../src/testing/create-test-scheduler.js';
import { TestEnvironment } from '../../src/testing/test-environment.js';

describe('TestEnvironment', () => {
  it('runs its jobs on the scheduler it is bound to, with a JobManager of its own', () => {
    const scheduler = createTestScheduler();
    const env = new TestEnvironment(scheduler, 'bound');
    expect(env.config.scheduler).to.equal(scheduler);
    expect(env.jobManager).to.not.equal(JobManager.default);
    expect(new TestEnvironment(scheduler).jobManager).to.not.equal(env.jobManager);
  });

  it('schedules actions at absolute virtual times', () => {
    const scheduler = createTestScheduler();
    const times: number[] = [];
    scheduler.run(() => {
      const env = new TestEnvironment(scheduler);
      env.at(7, () => times.push(scheduler.now()));
      env.at(3, () => {
        times.push(scheduler.now());
        env.at(5, () => times.push(scheduler.now()));
        env.at(1, () => times.push(scheduler.now()));
      });
    });
    expect(times).to.deep.equal([3, 3, 5, 7]);
  });

  it('pauses, continues and stops its jobs at given times, and lists them', () => {
    const scheduler = createTestScheduler();
    const statuses: string[] = [];
    scheduler.run(({ hot, expectObservable }) => {
      const env = new TestEnvironment(scheduler, 'life');
      const out = env.fromObservable<string>(hot('-a-b-c-d-e-|')).toObservable();
      env.pauseAt(2);
      env.at(3, () => statuses.push(env.lastJob().status));
      env.continueAt(4);
      env.at(5, () => statuses.push(env.lastJob().status));
      env.stopAt(8);
      env.at(9, () => statuses.push(...env.jobs().map((j) => j.status)));
      expectObservable(out).toBe('-a--bc-d|');
    });
    expect(statuses).to.deep.equal(['paused', 'running', 'stopped']);
  });

  it('stopAll() stops every job that has not ended; lastJob() says what to do without one', () => {
    const scheduler = createTestScheduler();
    const env = new TestEnvironment(scheduler, 'none');
    expect(() => env.lastJob()).to.throw(JobStateError, /submit it or subscribe/);
    env.fromSource(() => undefined, { delay: 1 }).sink(() => undefined);
    void env.submit();
    expect(env.lastJob().status).to.equal('running');
    env.stopAll();
    expect(env.lastJob().status).to.equal('stopped');
  });
});
