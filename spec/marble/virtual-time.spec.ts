import { expect } from 'chai';
import { map as rxMap, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { LocalEnvironment } from '../../src/core/api/local-environment.js';
import { JobManager } from '../../src/kernel/jobmanager/job-manager.js';
import { StopSignal } from '../../src/kernel/runtime/stop-signal.js';

/** These specs use a plain LocalEnvironment (default scheduler): TestScheduler.run alone makes the job virtual. */
describe('marble: a whole job in virtual time, without the testing kit', () => {
  const scheduler = (): TestScheduler =>
    new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });

  it('runs on the default asyncScheduler, which TestScheduler.run makes virtual', () => {
    const started = Date.now();
    scheduler().run(({ cold, expectObservable }) => {
      const env = new LocalEnvironment('virtual', { jobManager: new JobManager() });
      let n = 0;
      const out = env
        .fromSource(() => (++n > 3 ? new StopSignal() : n % 2 === 1 ? undefined : `p${n}`), { delay: 1000 })
        .map((s) => timer(5000).pipe(rxMap(() => s)))
        .toObservable();
      expectObservable(out).toBe('6000ms a 999ms |', { a: 'p2' });
      const other = new LocalEnvironment('virtual-2', { jobManager: new JobManager() });
      expectObservable(other.fromObservable<string>(cold('-x|')).toObservable()).toBe('-x|');
    });
    expect(Date.now() - started).to.be.below(1000);
  });

  it('wires the job synchronously inside the subscription of toObservable()', () => {
    const env = new LocalEnvironment('sync', { jobManager: new JobManager() });
    const seen: number[] = [];
    let completed = false;
    env
      .fromBatch([1, 2, 3])
      .map((x) => x + 1)
      .toObservable()
      .subscribe({
        next: (x) => seen.push(x),
        complete: () => {
          completed = true;
        },
      });
    expect(seen).to.deep.equal([2, 3, 4]);
    expect(completed).to.equal(true);
  });

  it('wires the job synchronously inside submit()', () => {
    const env = new LocalEnvironment('sync', { jobManager: new JobManager() });
    const seen: number[] = [];
    env.fromBatch([1, 2]).sink((x) => {
      seen.push(x);
    });
    void env.submit();
    expect(seen).to.deep.equal([1, 2]);
    expect(env.jobManager.getJobStatus(env.jobId!).status).to.equal('completed');
  });
});
