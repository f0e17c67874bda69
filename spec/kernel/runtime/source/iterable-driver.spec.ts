import { expect } from 'chai';
import { IterableDriver } from '../../../../src/kernel/runtime/source/iterable-driver.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import { fakeSourceHarness } from '../../../helpers/fake-runtime.js';
import { within } from '../../../helpers/wait-for.js';

describe('IterableDriver', () => {
  it('pulls only while ready and ends when the iterator is done', () => {
    const h = fakeSourceHarness();
    const driver = new IterableDriver(h.rt, h.control, [1, 2, 3]);
    h.open = false;
    driver.start();
    expect(h.emitted).to.deep.equal([]);
    h.open = true;
    driver.resume();
    expect(h.emitted).to.deep.equal([1, 2, 3]);
    expect(h.ended).to.equal(1);
  });

  it('reports a throwing iterator as an error and ends', () => {
    const h = fakeSourceHarness();
    const boom = new Error('broken iterator');
    function* items(): Generator<number> {
      yield 1;
      throw boom;
    }
    new IterableDriver(h.rt, h.control, items()).start();
    expect(h.emitted).to.deep.equal([1]);
    expect(h.errors).to.deep.equal([boom]);
    expect(h.ended).to.equal(1);
  });

  it("calls the iterator's return() when the job's subscription ends", () => {
    const h = fakeSourceHarness();
    let finalized = false;
    function* endless(): Generator<number> {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        finalized = true;
      }
    }
    const control = {
      ...h.control,
      emit: (v: unknown) => {
        h.emitted.push(v);
        h.open = false;
      },
    };
    new IterableDriver(h.rt, control, endless()).start();
    expect(h.emitted).to.deep.equal([0]);
    h.subscription.unsubscribe();
    expect(finalized).to.equal(true);
  });

  it('lets timers run while a fused async step settles every few records in microtasks', async () => {
    const env = new LocalEnvironment('starve-iterable', { jobManager: new JobManager() });
    const limit = 2_000_000;
    let pulled = 0;
    let pulledWhenTimerFired = -1;
    function* numbers(): Generator<number> {
      for (; pulled < limit; pulled++) yield pulled;
    }
    env
      .fromBatch(numbers())
      .map((x) => (x % 3 === 0 ? Promise.resolve(x) : x))
      .sink(() => undefined);
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        pulledWhenTimerFired = pulled;
        env.stop();
        resolve();
      }, 5),
    );
    await within(env.submit({ autostop: true }), 8000, 'the job to end');
    await timer;
    expect(pulledWhenTimerFired).to.be.lessThan(limit);
  });
});
