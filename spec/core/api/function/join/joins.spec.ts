import { expect } from 'chai';
import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { InnerHashJoin } from '../../../../../src/core/api/function/join/inner-hash-join.js';
import { WindowedJoin } from '../../../../../src/core/api/function/join/windowed-join.js';
import { LocalEnvironment } from '../../../../../src/core/api/local-environment.js';
import { JobManager } from '../../../../../src/kernel/jobmanager/job-manager.js';

describe('ready-made joins', () => {
  it('InnerHashJoin pairs every left with every right of the same key, whatever the order', async () => {
    const env = new LocalEnvironment('inner', { jobManager: new JobManager(), logLevel: 'silent' });
    const out: string[] = [];
    env
      .fromBatch([
        { k: 1, l: 'a' },
        { k: 1, l: 'b' },
        { k: 2, l: 'c' },
      ])
      .keyBy((x) => x.k)
      .connect(
        env
          .fromBatch([
            { k: 1, r: 'x' },
            { k: 3, r: 'y' },
          ])
          .keyBy((x) => x.k),
      )
      .join(InnerHashJoin, {
        args: [(l: { l: string }, r: { r: string }, key: unknown) => `${String(key)}:${l.l}${r.r}`],
      })
      .sink((s) => {
        out.push(s);
      });
    await env.submit({ autostop: true });
    expect([...out].sort()).to.deep.equal(['1:ax', '1:bx']);
  });

  it('WindowedJoin joins only within the window and evicts old records (virtual time)', () => {
    const scheduler = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
    scheduler.run(({ cold, flush }) => {
      const env = new LocalEnvironment('windowed', { jobManager: new JobManager(), logLevel: 'silent' });
      const left = cold<{ k: string; v: string }>('a 19ms b 99ms c|', {
        a: { k: 'x', v: 'L1' },
        b: { k: 'x', v: 'L2' },
        c: { k: 'x', v: 'L3' },
      });
      const right = cold<{ k: string; v: string }>('5ms a 19ms b|', {
        a: { k: 'x', v: 'R1' },
        b: { k: 'x', v: 'R2' },
      });
      const out: string[] = [];
      const joins: WindowedJoin[] = [];
      class Probe extends WindowedJoin<{ v: string }, { v: string }, string> {
        constructor() {
          super(10, (l, r) => `${l.v}${r.v}`);
          joins.push(this as unknown as WindowedJoin);
        }
      }
      env
        .fromObservable(left)
        .keyBy((x) => x.k)
        .connect(env.fromObservable(right).keyBy((x) => x.k))
        .join(Probe)
        .sink((s) => {
          out.push(s);
        });
      void env.submit();
      flush();
      expect(out).to.deep.equal(['L1R1', 'L2R2']);
      expect(joins[0]?.held).to.equal(1, 'only L3 is still held after the last record');
    });
  });

  it('WindowedJoin refuses a negative window', () => {
    expect(() => new WindowedJoin(-1)).to.throw(RangeError);
  });

  it('keeps memory bounded on an endless stream', () => {
    const scheduler = new TestScheduler(() => undefined);
    scheduler.run(({ flush }) => {
      const env = new LocalEnvironment('bounded', { jobManager: new JobManager(), logLevel: 'silent' });
      const a = new Subject<number>();
      const b = new Subject<number>();
      const joins: WindowedJoin[] = [];
      class Probe extends WindowedJoin {
        constructor() {
          super(5);
          joins.push(this);
        }
      }
      env
        .fromObservable(a)
        .keyBy((x) => x % 10)
        .connect(env.fromObservable(b).keyBy((x) => x % 10))
        .join(Probe)
        .sink(() => undefined);
      void env.submit();
      for (let t = 0; t < 200; t++) {
        scheduler.schedule(() => {
          a.next(t);
          b.next(t);
        }, t);
      }
      flush();
      expect(joins[0]?.held).to.be.at.most(14);
    });
  });
});
