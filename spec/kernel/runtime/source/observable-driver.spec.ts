import { expect } from 'chai';
import { Observable, Subject } from 'rxjs';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import { ObservableDriver } from '../../../../src/kernel/runtime/source/observable-driver.js';
import { fakeSourceHarness } from '../../../helpers/fake-runtime.js';

describe('ObservableDriver', () => {
  it('an erroring source still delivers the records it had buffered, then applies the policy once', () => {
    const h = fakeSourceHarness();
    const subject = new Subject<number>();
    h.open = false;
    const driver = new ObservableDriver(h.rt, h.control, subject, 100, 'error');
    driver.start();
    subject.next(1);
    subject.next(2);
    subject.error(new Error('source broke'));
    expect(h.emitted).to.deep.equal([]);
    expect(h.errors).to.deep.equal([]);
    h.open = true;
    driver.resume();
    expect(h.emitted).to.deep.equal([1, 2]);
    expect(h.errors.map((e) => (e as Error).message)).to.deep.equal(['source broke']);
    expect(h.ended).to.equal(1);
  });

  it('keeps memory proportional to the records held while a slow consumer drains it for a long time', () => {
    const h = fakeSourceHarness();
    const subject = new Subject<number>();
    const driver = new ObservableDriver(h.rt, h.control, subject, 5000, 'error');
    driver.start();
    h.open = false;
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < 500; i++) subject.next(i);
      h.open = true;
      // drain all but 10 records each round: the buffer never empties completely
      let n = 0;
      h.control.ready = () => n++ < 490 && h.open;
      driver.resume();
      h.open = false;
    }
    expect(driver.buffered).to.equal(200 * 10);
    expect(h.emitted).to.have.length(200 * 490);
  });

  it("in a job under 'skip', a failing fromObservable completes the job with every record it emitted", async () => {
    const jm = new JobManager();
    const env = new LocalEnvironment('obs-fail', { jobManager: jm, logLevel: 'silent' });
    const subject = new Subject<number>();
    const out: number[] = [];
    env
      .fromObservable(subject, { name: 'src' })
      .map(async (x) => {
        await new Promise((resolve) => setImmediate(resolve));
        return x;
      })
      .sink((x) => {
        out.push(x);
      });
    const done = env.submit({ autostop: true });
    for (let i = 0; i < 20; i++) subject.next(i);
    subject.error(new Error('boom'));
    await done;
    expect(out).to.deep.equal(Array.from({ length: 20 }, (_, i) => i));
    const status = jm.listJobs()[0];
    expect(status?.operators.find((o) => o.operator === 'src')).to.include({ errors: 1, lastError: 'boom' });
  });

  describe('a re-entrant Observable (it emits while its own record is being processed)', () => {
    it('delivers what a sink pushes back into the source Subject, in order, and completes', async () => {
      const env = new LocalEnvironment('reentrant', { jobManager: new JobManager(), logLevel: 'silent' });
      const subject = new Subject<number>();
      const out: number[] = [];
      env.fromObservable(subject).sink((x) => {
        out.push(x);
        if (x < 5) subject.next(x + 1);
        else subject.complete();
      });
      const done = env.submit({ autostop: true });
      subject.next(1);
      await done;
      expect(out).to.deep.equal([1, 2, 3, 4, 5]);
    });

    it('delivers the values emitted inside a record right after it, before the next outside value', async () => {
      const env = new LocalEnvironment('reentrant-burst', {
        jobManager: new JobManager(),
        logLevel: 'silent',
      });
      const subject = new Subject<string>();
      const out: string[] = [];
      env.fromObservable(subject).sink((x) => {
        out.push(x);
        if (x === 'a') {
          subject.next('a1');
          subject.next('a2');
        }
      });
      const done = env.submit({ autostop: true });
      subject.next('a');
      expect(out).to.deep.equal(['a', 'a1', 'a2']);
      subject.next('b');
      subject.complete();
      await done;
      expect(out).to.deep.equal(['a', 'a1', 'a2', 'b']);
    });
  });

  it('a synchronous source that emits while its subscriber is open stops as soon as the job stops', () => {
    const env = new LocalEnvironment('sync-stop', { jobManager: new JobManager(), logLevel: 'silent' });
    let produced = 0;
    // The usual RxJS shape of an endless synchronous producer (capped here so that a failure cannot hang).
    const endless = new Observable<number>((subscriber) => {
      while (!subscriber.closed && produced < 1000) subscriber.next(produced++);
    });
    const seen: number[] = [];
    env.fromObservable(endless).sink((x) => {
      seen.push(x);
      if (x === 2) env.stop();
    });
    void env.submit();
    expect(seen).to.deep.equal([0, 1, 2]);
    expect(produced).to.equal(3);
  });
});
