import { expect } from 'chai';
import { map as rxMap, timer } from 'rxjs';
import { runMarbles } from '../../src/testing/run-marbles.js';

describe('marble: pause and continue in virtual time', () => {
  it('no record moves while paused; buffered records go on at continue, in order', async () => {
    let calls = 0;
    const seen: Record<number, { calls: number; status: string }> = {};
    await runMarbles(({ env, hot, expectObservable }) => {
      const out = env
        .fromObservable<string>(hot('-a-b-c-d-------e|'))
        .map((s) => {
          calls++;
          return s.toUpperCase();
        })
        .toObservable();
      env.pauseAt(4);
      for (const t of [5, 9]) {
        env.at(t, () => {
          seen[t] = { calls, status: env.lastJob().status };
        });
      }
      env.continueAt(10);
      expectObservable(out).toBe('-A-B------(CD)-E|', { A: 'A', B: 'B', C: 'C', D: 'D', E: 'E' });
    });
    expect(seen[5]).to.deep.equal({ calls: 2, status: 'paused' });
    expect(seen[9]).to.deep.equal({ calls: 2, status: 'paused' });
    expect(calls).to.equal(5);
  });

  it('pauses with the JobManager inside a scheduled action', async () => {
    await runMarbles(({ env, scheduler, cold, expectObservable }) => {
      const out = env.fromObservable<string>(cold('-a-b-c|')).toObservable();
      scheduler.schedule(() => {
        env.jobManager.pauseJob(env.lastJob().uuid);
      }, 2);
      scheduler.schedule(() => {
        env.jobManager.continueJob(env.lastJob().uuid);
      }, 8);
      expectObservable(out).toBe('-a------(bc|)');
    });
  });

  it('the output of a call already running when the job paused waits until continue', async () => {
    await runMarbles(({ env, hot, expectObservable }) => {
      const out = env
        .fromObservable<string>(hot('-a-b----|'))
        .map((s) => timer(3).pipe(rxMap(() => s.toUpperCase())))
        .toObservable();
      env.pauseAt(5);
      env.continueAt(10);
      // b's call ends at 6, inside the pause; the source completes at 8, inside the pause too.
      expectObservable(out).toBe('----A-----(B|)', { A: 'A', B: 'B' });
    });
  });

  it('a polled source is not polled while paused', async () => {
    const pollTimes: number[] = [];
    await runMarbles(({ env, scheduler, expectObservable }) => {
      let n = 0;
      const out = env
        .fromSource(
          () => {
            pollTimes.push(scheduler.now());
            return ++n % 2 === 0 ? n : undefined;
          },
          { delay: 2 },
        )
        .toObservable();
      env.pauseAt(3);
      env.continueAt(9);
      expectObservable(out, '^-----------!').toBe('--a------b-c', { a: 2, b: 4, c: 6 });
    });
    expect(pollTimes.filter((t) => t > 3 && t < 9)).to.deep.equal([]);
  });

  it('stop at a frame ends the job: nothing after it', async () => {
    await runMarbles(({ env, hot, expectObservable }) => {
      const out = env.fromObservable<string>(hot('-a-b-c-|')).toObservable();
      env.stopAt(4);
      expectObservable(out).toBe('-a-b|');
    });
  });
});
