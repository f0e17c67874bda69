import { expect } from 'chai';
import { AsyncIterableDriver } from '../../../../src/kernel/runtime/source/async-iterable-driver.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import { fakeSourceHarness } from '../../../helpers/fake-runtime.js';
import { waitFor, within } from '../../../helpers/wait-for.js';

describe('AsyncIterableDriver', () => {
  async function* letters(): AsyncGenerator<string> {
    await Promise.resolve();
    yield 'a';
    yield 'b';
  }

  it('requests the next item only after the previous one was handed on, and ends when done', async () => {
    const h = fakeSourceHarness();
    const driver = new AsyncIterableDriver(h.rt, h.control, letters());
    h.onRelease = () => {
      driver.resume();
    };
    driver.start();
    expect(h.holds).to.equal(1);
    await waitFor(() => h.ended === 1);
    expect(h.emitted).to.deep.equal(['a', 'b']);
    expect(h.holds).to.equal(0);
  });

  it('reports a rejecting iterator as an error and ends', async () => {
    const h = fakeSourceHarness();
    const boom = new Error('async broken');
    async function* broken(): AsyncGenerator<number> {
      yield 1;
      await Promise.resolve();
      throw boom;
    }
    const driver = new AsyncIterableDriver(h.rt, h.control, broken());
    h.onRelease = () => {
      driver.resume();
    };
    driver.start();
    await waitFor(() => h.ended === 1);
    expect(h.emitted).to.deep.equal([1]);
    expect(h.errors).to.deep.equal([boom]);
  });

  it('lets timers run while reading an in-memory async generator', async () => {
    const env = new LocalEnvironment('starve-async', { jobManager: new JobManager() });
    const limit = 1_000_000;
    let pulled = 0;
    let pulledWhenTimerFired = -1;
    async function* numbers(): AsyncGenerator<number> {
      for (; pulled < limit; pulled++) {
        if (pulled % 1000 === 0) await Promise.resolve();
        yield pulled;
      }
    }
    env.fromBatch(numbers()).sink(() => undefined);
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        pulledWhenTimerFired = pulled;
        env.stop();
        resolve();
      }, 5),
    );
    await within(env.submit({ autostop: true }), 10000, 'the job to end');
    await timer;
    expect(pulledWhenTimerFired).to.be.lessThan(limit);
  });
});
