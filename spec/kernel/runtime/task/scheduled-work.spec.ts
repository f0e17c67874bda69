import { expect } from 'chai';
import { asyncScheduler, Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ScheduledWork } from '../../../../src/kernel/runtime/task/scheduled-work.js';

describe('ScheduledWork', () => {
  let scheduler: TestScheduler;
  let owner: Subscription;
  let runs: number[];
  let work: ScheduledWork;

  beforeEach(() => {
    scheduler = new TestScheduler(() => undefined);
    owner = new Subscription();
    runs = [];
    work = new ScheduledWork(scheduler, owner, () => runs.push(scheduler.now()));
  });

  it('runs the work once after the delay, on the scheduler', () => {
    work.request(10);
    expect(runs).to.deep.equal([]);
    scheduler.flush();
    expect(runs).to.deep.equal([10]);
  });

  it('keeps at most one run pending however often it is requested', () => {
    work.request(5);
    work.request(5);
    work.request(1);
    scheduler.flush();
    expect(runs).to.deep.equal([5]);
  });

  it('can be requested again after each run, including from inside the work', () => {
    let again = 3;
    const chained = new ScheduledWork(scheduler, owner, () => {
      runs.push(scheduler.now());
      if (--again > 0) chained.request(2);
    });
    chained.request(2);
    scheduler.flush();
    expect(runs).to.deep.equal([2, 4, 6]);
    work.request(1);
    scheduler.flush();
    expect(runs).to.deep.equal([2, 4, 6, 7]);
  });

  it('is cancelled with its owner subscription and ignores later requests', () => {
    work.request(5);
    owner.unsubscribe();
    scheduler.flush();
    work.request(1);
    scheduler.flush();
    expect(runs).to.deep.equal([]);
  });

  describe('on the real asyncScheduler', () => {
    const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

    it('runs a request without delay on the next turn of the event loop (setImmediate, in order)', async () => {
      const order: string[] = [];
      const real = new ScheduledWork(asyncScheduler, new Subscription(), () => order.push('work'));
      real.request(0);
      real.request(0);
      setImmediate(() => order.push('next turn'));
      expect(order).to.deep.equal([]);
      await turn();
      await turn();
      expect(order).to.deep.equal(['work', 'next turn']);
      real.request(0);
      await turn();
      expect(order).to.deep.equal(['work', 'next turn', 'work']);
    });

    it('is cancelled with its owner subscription', async () => {
      const realOwner = new Subscription();
      let ran = 0;
      const real = new ScheduledWork(asyncScheduler, realOwner, () => ran++);
      real.request(0);
      realOwner.unsubscribe();
      await turn();
      await turn();
      expect(ran).to.equal(0);
    });
  });
});
