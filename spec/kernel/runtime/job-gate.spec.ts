import { expect } from 'chai';
import { JobGate } from '../../../src/kernel/runtime/job-gate.js';

describe('JobGate', () => {
  it('runs work at once while running', () => {
    const gate = new JobGate();
    const ran: number[] = [];
    gate.whenRunning(() => ran.push(1));
    expect(ran).to.deep.equal([1]);
    expect(gate.halted()).to.equal(false);
  });

  it('defers work while paused and runs it in order on resume', () => {
    const gate = new JobGate();
    const ran: number[] = [];
    gate.paused = true;
    expect(gate.halted()).to.equal(true);
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
    gate.paused = true;
    gate.whenRunning(() => {
      ran.push(1);
      gate.paused = true;
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
    gate.paused = true;
    gate.whenRunning(() => ran.push(1));
    gate.stop();
    gate.whenRunning(() => ran.push(2));
    gate.resume();
    expect(ran).to.deep.equal([]);
    expect(gate.halted()).to.equal(true);
  });
});
