import { expect } from 'chai';
import { autostopLine } from '../../src/cli/autostop-line.js';
import type { JobStatus } from '../../src/kernel/jobmanager/job-status.js';

function status(runtimeMs: number, sinkIn: number, printIn: number): JobStatus {
  const op = (operator: string, n: number) => ({
    operator,
    parallelism: 1,
    in: n,
    out: n,
    filtered: 0,
    dropped: 0,
    errors: 0,
  });
  return {
    uuid: 'u',
    name: 'clicks',
    status: 'running',
    startTime: '2024-01-01T00:00:00.000Z',
    runtimeMs,
    autostop: true,
    operators: [op('source', sinkIn), op('map', sinkIn), op('store', sinkIn), op('print', printIn)],
    queued: 0,
    restarts: 0,
    checkpoints: { completed: 0, failed: 0, lastId: 0, lastDurationMs: 0, lastSizeBytes: 0 },
    services: [],
    plan: [
      { vertex: 0, operators: ['source', 'map'], parallelism: 1, inputs: [] },
      {
        vertex: 1,
        operators: ['store'],
        parallelism: 1,
        inputs: [{ from: 0, partitioning: 'forward', input: 0 }],
      },
      {
        vertex: 2,
        operators: ['print'],
        parallelism: 1,
        inputs: [{ from: 0, partitioning: 'forward', input: 0 }],
      },
    ],
  };
}

describe('autostopLine', () => {
  it('shows the elapsed time and every sink with its rate since the previous status and its total', () => {
    const line = autostopLine(status(1000, 100, 10), status(3000, 4100, 30));
    expect(line).to.equal('job clicks running 3.0s | store 2,000 rec/s (4,100) | print 10 rec/s (30)');
  });

  it('shows rate 0 on the first status, and never counts operators that feed others as sinks', () => {
    const line = autostopLine(undefined, status(500, 7, 7));
    expect(line).to.equal('job clicks running 0.5s | store 0 rec/s (7) | print 0 rec/s (7)');
    expect(line).to.not.contain('map');
  });
});
