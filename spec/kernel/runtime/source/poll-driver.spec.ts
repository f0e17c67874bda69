import { expect } from 'chai';
import { TestScheduler } from 'rxjs/testing';
import { PollDriver } from '../../../../src/kernel/runtime/source/poll-driver.js';
import { StopSignal } from '../../../../src/kernel/runtime/stop-signal.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import { fakeSourceHarness } from '../../../helpers/fake-runtime.js';
import { within } from '../../../helpers/wait-for.js';

describe('PollDriver', () => {
  it('source mode: emits values, waits delay ms (on the scheduler) after undefined, ends on StopSignal', () => {
    const scheduler = new TestScheduler(() => undefined);
    const h = fakeSourceHarness(scheduler);
    const results: unknown[] = [1, undefined, 2, undefined, 3, new StopSignal()];
    const times: number[] = [];
    const driver = new PollDriver(
      h.rt,
      h.control,
      () => {
        times.push(scheduler.now());
        return results.shift();
      },
      'source',
      5,
    );
    driver.start();
    expect(h.emitted).to.deep.equal([1]);
    scheduler.flush();
    expect(h.emitted).to.deep.equal([1, 2, 3]);
    expect(times).to.deep.equal([0, 0, 5, 5, 10, 10]);
    expect(h.ended).to.equal(1);
  });

  it('batch mode: undefined ends the stream', () => {
    const h = fakeSourceHarness();
    const items = [1, 2];
    new PollDriver(h.rt, h.control, () => items.shift(), 'batch', 0).start();
    expect(h.emitted).to.deep.equal([1, 2]);
    expect(h.ended).to.equal(1);
  });

  it('polls only while the instance is ready, and again on resume()', () => {
    const h = fakeSourceHarness();
    let polls = 0;
    const driver = new PollDriver(
      h.rt,
      h.control,
      () => (++polls <= 3 ? polls : new StopSignal()),
      'batch',
      0,
    );
    h.open = false;
    driver.start();
    expect(polls).to.equal(0);
    h.open = true;
    driver.resume();
    expect(h.emitted).to.deep.equal([1, 2, 3]);
    expect(h.ended).to.equal(1);
  });

  it('awaits a Promise result while holding the instance, then polls on', async () => {
    const h = fakeSourceHarness();
    const results: unknown[] = [Promise.resolve('a'), 'b', Promise.resolve(new StopSignal())];
    const driver = new PollDriver(h.rt, h.control, () => results.shift(), 'source', 0);
    h.onRelease = () => {
      driver.resume();
    };
    driver.start();
    expect(h.holds).to.equal(1);
    expect(h.emitted).to.deep.equal([]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(h.emitted).to.deep.equal(['a', 'b']);
    expect(h.ended).to.equal(1);
    expect(h.holds).to.equal(0);
  });

  it('reports a throwing or rejecting poll as an error and ends', async () => {
    const h = fakeSourceHarness();
    const boom = new Error('poll failed');
    new PollDriver(
      h.rt,
      h.control,
      () => {
        throw boom;
      },
      'source',
      0,
    ).start();
    expect(h.errors).to.deep.equal([boom]);
    expect(h.ended).to.equal(1);
    const h2 = fakeSourceHarness();
    new PollDriver(h2.rt, h2.control, () => Promise.reject(boom), 'source', 0).start();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(h2.errors).to.deep.equal([boom]);
    expect(h2.ended).to.equal(1);
  });

  it('lets timers run while a fused async step settles every few records in microtasks', async () => {
    const env = new LocalEnvironment('starve', { jobManager: new JobManager() });
    const limit = 2_000_000;
    let n = 0;
    let polledWhenTimerFired = -1;
    env
      .fromSource(() => (n < limit ? n++ : new StopSignal()))
      .map((x) => (x % 3 === 0 ? Promise.resolve(x) : x))
      .sink(() => undefined);
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        polledWhenTimerFired = n;
        env.stop();
        resolve();
      }, 5),
    );
    await within(env.submit({ autostop: true }), 8000, 'the job to end');
    await timer;
    expect(polledWhenTimerFired, 'the timer only fired after the source had finished').to.be.lessThan(limit);
  });
});
