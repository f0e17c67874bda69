import { expect } from 'chai';
import { map as rxMap, timer } from 'rxjs';
import { SourceFunction } from '../../src/core/api/function/source-function.js';
import { StopSignal } from '../../src/kernel/runtime/stop-signal.js';
import { Collector } from '../../src/testing/collector.js';
import { runMarbles } from '../../src/testing/run-marbles.js';

type Polled = string | undefined | StopSignal;

/** Replays a script of poll results: a record, `undefined` (nothing now) or a StopSignal. */
class Script extends SourceFunction<string> {
  constructor(private readonly script: Polled[]) {
    super();
  }
  execute(): Polled {
    return this.script.length === 0 ? new StopSignal() : this.script.shift();
  }
}

describe('marble: fromSource', () => {
  it('polls again after `delay` virtual ms when the source has nothing', async () => {
    await runMarbles(({ env, expectObservable }) => {
      const out = env
        .fromSource(Script, { args: [['a', undefined, 'b', undefined, undefined, 'c']], delay: 3 })
        .toObservable();
      // a at 0; empty → poll at 3: b; empty → 6; empty → 9: c, then the StopSignal ends the stream.
      expectObservable(out).toBe('a--b-----(c|)');
    });
  });

  it('polls as fast as downstream allows while it has records, and no faster', async () => {
    await runMarbles(({ env, expectObservable }) => {
      const out = env
        .fromSource(Script, { args: [['a', 'b', 'c']], delay: 10 })
        .map((s) => timer(2).pipe(rxMap(() => s.toUpperCase())))
        .toObservable();
      expectObservable(out).toBe('--A-B-(C|)', { A: 'A', B: 'B', C: 'C' });
    });
  });

  it('a plain function source with its default delay (10)', async () => {
    await runMarbles(({ env, expectObservable }) => {
      const script: Polled[] = [undefined, 'x', new StopSignal()];
      const out = env.fromSource(() => script.shift()).toObservable();
      expectObservable(out).toBe('10ms (x|)');
    });
  });

  it('an endless source runs until the job is stopped, with no real waiting', async () => {
    let polls = 0;
    const collector = new Collector<number>();
    await runMarbles(({ env }) => {
      env
        .fromSource(
          () => {
            polls++;
            return polls % 2 === 0 ? polls : undefined;
          },
          { delay: 5 },
        )
        .sink(collector);
      void env.submit();
      env.stopAt(30);
    });
    // An empty poll waits 5 frames; a record is followed by an immediate poll (which finds nothing).
    expect(collector.times()).to.deep.equal([5, 10, 15, 20, 25]);
    expect(collector.values).to.deep.equal([2, 4, 6, 8, 10]);
    expect(collector.events.at(-1)).to.deep.equal({ time: 30, kind: 'complete' });
  });

  it('unsubscribing from toObservable() stops an endless source', async () => {
    let polls = 0;
    await runMarbles(({ env, expectObservable, flush }) => {
      const out = env
        .fromSource(
          () => {
            polls++;
            return undefined;
          },
          { delay: 4 },
        )
        .toObservable();
      expectObservable(out, '^-----------!').toBe('-');
      flush();
      expect(env.lastJob().status).to.equal('stopped');
    });
    expect(polls).to.equal(3);
  });
});
