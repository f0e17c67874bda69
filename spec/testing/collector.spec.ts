import { expect } from 'chai';
import { asyncScheduler } from 'rxjs';
import { JobFailedError } from '../../src/errors/job-failed-error.js';
import { Collector } from '../../src/testing/collector.js';
import { runMarbles } from '../../src/testing/run-marbles.js';
import { TestEnvironment } from '../../src/testing/test-environment.js';

describe('Collector', () => {
  it('records values, completion and their virtual times', async () => {
    const collector = new Collector<string>();
    await runMarbles(({ env, cold }) => {
      env.fromObservable<string>(cold('-a---b|')).sink(collector);
      void env.submit();
    });
    expect(collector.values).to.deep.equal(['a', 'b']);
    expect(collector.times()).to.deep.equal([1, 5]);
    expect(collector.completed).to.equal(true);
    expect(collector.failed).to.equal(false);
    expect(collector.events.at(-1)).to.deep.equal({ time: 6, kind: 'complete' });
  });

  it('done() resolves with the values in real time', async () => {
    const env = new TestEnvironment(asyncScheduler, 'real');
    const collector = new Collector<number>();
    env
      .fromBatch([1, 2, 3])
      .map((x) => x * 2)
      .sink(collector);
    await env.submit();
    expect(await collector.done()).to.deep.equal([2, 4, 6]);
  });

  it('done() rejects with the job error when the job fails, and keeps only the first end', async () => {
    const env = new TestEnvironment(asyncScheduler, 'real', { errorPolicy: 'fail', logLevel: 'silent' });
    const collector = new Collector<number>();
    env
      .fromBatch([1, 2])
      .map((x) => {
        if (x === 2) throw new Error('boom');
        return x;
      })
      .sink(collector);
    const pending = collector.done().then(
      () => 'resolved',
      (e: unknown) => e,
    );
    await env.submit().catch(() => undefined);
    collector.complete();
    const failure = await pending;
    expect(failure).to.be.instanceOf(JobFailedError);
    expect(collector.failure).to.equal(failure);
    expect(collector.completed).to.equal(false);
    expect(collector.values).to.deep.equal([1]);
  });
});
