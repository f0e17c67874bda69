import { expect } from 'chai';
import { map as rxMap, timer } from 'rxjs';
import { BufferOverflowError } from '../../src/errors/buffer-overflow-error.js';
import { JobFailedError } from '../../src/errors/job-failed-error.js';
import { runMarbles } from '../../src/testing/run-marbles.js';

describe('marble: fromObservable', () => {
  it('a cold source is subscribed when the job starts: frames are relative to the subscription', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env.fromObservable<string>(cold('-a-b|')).toObservable();
      expectObservable(out, '---^').toBe('----a-b|');
    });
  });

  it('a hot source: records emitted before the job started are not seen', async () => {
    await runMarbles(({ env, hot, expectObservable }) => {
      const out = env.fromObservable<string>(hot('-a-b-c-|')).toObservable();
      expectObservable(out, '--^').toBe('---b-c-|');
    });
  });

  it('ends the stream when the source completes, and the job with it', async () => {
    await runMarbles(({ env, cold, expectObservable, flush }) => {
      expectObservable(env.fromObservable<string>(cold('--|')).toObservable()).toBe('--|');
      flush();
      expect(env.lastJob().status).to.equal('completed');
    });
  });

  it("a source error ends the stream under 'skip'", async () => {
    await runMarbles(
      ({ env, cold, expectObservable }) => {
        expectObservable(env.fromObservable<string>(cold('-a-#')).toObservable()).toBe('-a-|');
      },
      { config: { logLevel: 'silent' } },
    );
  });

  it("a source error fails the job under 'fail'", async () => {
    await runMarbles(
      ({ env, cold, expectObservable }) => {
        const cause = new Error('source broke');
        const out = env.fromObservable(cold('-a-#', undefined, cause)).toObservable();
        expectObservable(out).toBe('-a-#', undefined, new JobFailedError('marble', 'fromObservable', cause));
      },
      { config: { logLevel: 'silent', errorPolicy: 'fail' } },
    );
  });

  it('buffers records that arrive while downstream is busy, and delivers them in order', async () => {
    await runMarbles(({ env, hot, expectObservable }) => {
      const out = env
        .fromObservable<string>(hot('-abc---|'))
        .map((s) => timer(2).pipe(rxMap(() => s.toUpperCase())))
        .toObservable();
      expectObservable(out).toBe('---A-B-(C|)', { A: 'A', B: 'B', C: 'C' });
    });
  });

  it("overflow 'drop-newest' drops what does not fit in the buffer, counted", async () => {
    await runMarbles(({ env, hot, expectObservable, flush }) => {
      const out = env
        .fromObservable<string>(hot('-abcd----|'), { bufferSize: 1, overflow: 'drop-newest' })
        .map((s) => timer(2).pipe(rxMap(() => s)))
        .toObservable();
      // b waits in the buffer; c arrives (frame 3) before a's call ends, finds it full and is dropped.
      expectObservable(out).toBe('---a-b-d-|');
      flush();
      expect(env.lastJob().operators.find((o) => o.operator === 'fromObservable')?.dropped).to.equal(1);
    });
  });

  it("overflow 'error' (default) fails the job with a BufferOverflowError", async () => {
    await runMarbles(
      ({ env, hot, expectObservable }) => {
        const out = env
          .fromObservable<string>(hot('-abc---|'), { bufferSize: 1 })
          .map((s) => timer(5).pipe(rxMap(() => s)))
          .toObservable();
        expectObservable(out).toBe(
          '---#',
          undefined,
          new JobFailedError('marble', 'fromObservable', new BufferOverflowError('fromObservable', 1)),
        );
      },
      { config: { logLevel: 'silent' } },
    );
  });
});
