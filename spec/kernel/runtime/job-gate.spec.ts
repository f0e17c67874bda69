import { expect } from 'chai';
import { JobGate } from '../../../src/kernel/runtime/job-gate.js';

describe('JobGate', () => {
  it('runs work at once while running', () => {
    const gate = new JobGate();
    const ran: number[] = [];
    gate.whenRunning(() => ran.push(1));
    expect(ran).to.deep.equal([1]);
    expect(gate.halted).to.equal(false);
  });

  it('defers work while paused and runs it in order on resume', () => {
    const gate = new JobGate();
    const ran: number[] = [];
    gate.pause();
    expect(gate.halted).to.equal(true);
    gate.whenRunning(() => ran.push(1));
    gate.whenRunning(() => ran.push(2));
    expect(ran).to.deep.equal([]);
    gate.resume();
    expect(ran).to.deep.equal([1, 2]);
    expect(gate.paused).to.equal(false);
  });

  it('keeps the rest deferred when deferred work pauses the job again', () => {
    const gate = new JobGate();
    const ran: number[] = [];
    gate.pause();
    gate.whenRunning(() => {
      ran.push(1);
      gate.pause();
    });
    gate.whenRunning(() => ran.push(2));
    gate.resume();
    expect(ran).to.deep.equal([1]);
    gate.resume();
    expect(ran).to.deep.equal([1, 2]);
  });

  it('drops deferred and new work once stopped', () => {
    const gate = new JobGate();
    const ran: number[] = [];
    gate.pause();
    gate.whenRunning(() => ran.push(1));
    gate.stop();
    gate.whenRunning(() => ran.push(2));
    gate.resume();
    expect(ran).to.deep.equal([]);
    expect(gate.halted).to.equal(true);
  });
});

describe('after a failure', () => {
  it('no record reaches a sink after the job failed, not even from the same cascade', async () => {
    const { LocalEnvironment } = await import('../../../src/core/api/local-environment.js');
    const { JobManager } = await import('../../../src/kernel/jobmanager/job-manager.js');
    const env = new LocalEnvironment('after-failure', {
      jobManager: new JobManager(),
      logLevel: 'silent',
      errorPolicy: 'fail',
    });
    const seen: number[] = [];
    const observed: number[] = [];
    let errors = 0;
    const items = env.fromBatch([1]).flatMap(() => [1, 2, 3, 4, 5]);
    items
      .map((x) => {
        if (x === 3) throw new Error('three');
        return x;
      })
      .sink(
        (x) => {
          seen.push(x);
        },
        { parallelism: 2 },
      );
    items.sink({
      next: (x: number) => observed.push(x),
      error: () => {
        errors++;
      },
    });
    let failure: unknown;
    try {
      await env.submit({ autostop: true });
    } catch (e) {
      failure = e;
    }
    expect((failure as Error).message).to.contain('three');
    expect(seen).to.deep.equal([1, 2]);
    expect(errors).to.equal(1);
    expect(observed).to.deep.equal([1, 2]);
  });
});
