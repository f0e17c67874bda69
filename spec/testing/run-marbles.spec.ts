import { expect } from 'chai';
import { AssertionError } from 'node:assert';
import { runMarbles } from '../../src/testing/run-marbles.js';
import type { TestEnvironment } from '../../src/testing/test-environment.js';

describe('runMarbles', () => {
  it('passes when the frames match', async () => {
    const result = await runMarbles(({ env, cold, expectObservable }) => {
      expectObservable(env.fromObservable<string>(cold('-a|')).toObservable()).toBe('-a|');
      return 'done';
    });
    expect(result).to.equal('done');
  });

  it('fails when the frames do not match', async () => {
    let failure: unknown;
    try {
      await runMarbles(({ env, cold, expectObservable }) => {
        expectObservable(env.fromObservable<string>(cold('-a|')).toObservable()).toBe('--a|');
      });
    } catch (e) {
      failure = e;
    }
    expect(failure).to.be.instanceOf(AssertionError);
  });

  it('uses the assertion it is given', async () => {
    const compared: unknown[] = [];
    await runMarbles(
      ({ env, cold, expectObservable }) => {
        expectObservable(env.fromObservable<string>(cold('a|')).toObservable()).toBe('a|');
      },
      { assertEqual: (actual) => compared.push(actual) },
    );
    expect(compared).to.have.length(1);
  });

  it('stops the jobs still running at the horizon, in every environment it created', async () => {
    const envs: TestEnvironment[] = [];
    let lastPoll = 0;
    await runMarbles(
      ({ env, createEnvironment, hot, scheduler }) => {
        const other = createEnvironment('other', { errorPolicy: 'fail' });
        envs.push(env, other);
        env.fromObservable<string>(hot('-a-')).sink(() => undefined);
        other
          .fromSource(
            () => {
              lastPoll = scheduler.now();
              return undefined;
            },
            { delay: 3 },
          )
          .sink(() => undefined);
        void env.submit();
        void other.submit();
      },
      { horizon: 100 },
    );
    expect(lastPoll).to.equal(99);
    expect(envs.map((e) => e.lastJob().status)).to.deep.equal(['stopped', 'stopped']);
    expect(envs[1]!.config.errorPolicy).to.equal('fail');
  });
});
