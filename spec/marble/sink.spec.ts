import { expect } from 'chai';
import { Subject } from 'rxjs';
import { SinkFunction } from '../../src/core/api/function/sink-function.js';
import { Collector } from '../../src/testing/collector.js';
import { runMarbles } from '../../src/testing/run-marbles.js';

class Store extends SinkFunction<string> {
  static readonly log: string[] = [];
  execute(x: string): void {
    Store.log.push(`${this.ctx.scheduler.now()}:${x}`);
  }
  close(): void {
    Store.log.push(`${this.ctx.scheduler.now()}:close`);
  }
}

describe('marble: sink', () => {
  beforeEach(() => {
    Store.log.length = 0;
  });

  it('an Observer sink (Collector) receives each record on its frame and completes at end of stream', async () => {
    const collector = new Collector<string>();
    await runMarbles(({ env, cold }) => {
      env.fromObservable<string>(cold('-a--b-|')).sink(collector);
      void env.submit();
    });
    expect(collector.events).to.deep.equal([
      { time: 1, kind: 'next', value: 'a' },
      { time: 4, kind: 'next', value: 'b' },
      { time: 6, kind: 'complete' },
    ]);
  });

  it('a Subject sink can be checked as a marble diagram', async () => {
    await runMarbles(({ env, hot, expectObservable }) => {
      const subject = new Subject<string>();
      expectObservable(subject).toBe('--a-b--|');
      env.fromObservable<string>(hot('--a-b--|')).sink(subject);
      void env.submit();
    });
  });

  it('a SinkFunction gets execute per record and close() once, at end of stream, per instance', async () => {
    await runMarbles(({ env, cold }) => {
      env.fromObservable<string>(cold('-a-b---|')).sink(Store, { parallelism: 2 });
      void env.submit();
    });
    expect(Store.log).to.deep.equal(['1:a', '3:b', '7:close', '7:close']);
  });

  it('returns the same stream, so a marble check can watch what reaches the sink', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const stream = env.fromObservable<string>(cold('-a-b|')).map((s) => s.toUpperCase());
      const out = stream.sink(Store).toObservable();
      expectObservable(out).toBe('-A-B|', { A: 'A', B: 'B' });
    });
    expect(Store.log).to.deep.equal(['1:A', '3:B', '4:close']);
  });

  it('an Observer sink gets error when the job fails', async () => {
    const collector = new Collector<number>();
    await runMarbles(
      ({ env, cold }) => {
        env
          .fromObservable(cold('-a-b|', { a: 1, b: 2 }))
          .map(
            (x) => {
              if (x === 2) throw new Error('bad record');
              return x;
            },
            { errorPolicy: 'fail' },
          )
          .sink(collector);
        void env.submit().catch(() => undefined);
      },
      { config: { logLevel: 'silent' } },
    );
    expect(collector.values).to.deep.equal([1]);
    expect(collector.failed).to.equal(true);
    expect(collector.events.at(-1)?.time).to.equal(3);
    expect((collector.failure as Error).message).to.match(/bad record/);
  });
});
