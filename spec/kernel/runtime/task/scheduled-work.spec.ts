import { expect } from 'chai';
import { Subscription } from 'rxjs';
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
});
