import { expect } from 'chai';
import { formatSeconds, operatorRates, redraw, table, watchLines } from '../../src/cli/watch-view.js';
import type { JobStatus } from '../../src/kernel/jobmanager/job-status.js';

function status(runtimeMs: number, counts: [number, number][], extra: { error?: string } = {}): JobStatus {
  return {
    uuid: 'u-1',
    name: 'demo',
    status: 'running',
    startTime: '2024-01-01T00:00:00.000Z',
    runtimeMs,
    autostop: false,
    operators: counts.map(([i, o], n) => ({
      operator: `op${n}`,
      parallelism: 2,
      in: i,
      out: o,
      filtered: 0,
      dropped: 0,
      errors: n,
    })),
    queued: 3,
    restarts: 0,
    checkpoints: { completed: 0, failed: 0, lastId: 0, lastDurationMs: 0, lastSizeBytes: 0 },
    plan: [],
    services: [],
    ...extra,
  };
}

describe('watch view', () => {
  it('computes per-operator rates from the in/out deltas over the job time', () => {
    const before = status(1000, [
      [0, 100],
      [100, 50],
    ]);
    const after = status(3000, [
      [0, 300],
      [300, 250],
    ]);
    expect(operatorRates(before, after).map((r) => [r.operator, r.inRate, r.outRate])).to.deep.equal([
      ['op0', 0, 100],
      ['op1', 100, 100],
    ]);
  });

  it('gives rate 0 without a previous snapshot, when no time passed, or for a new operator', () => {
    const s = status(1000, [[10, 10]]);
    expect(operatorRates(undefined, s)[0]).to.include({ inRate: 0, outRate: 0, in: 10 });
    expect(operatorRates(s, status(1000, [[20, 20]]))[0]).to.include({ inRate: 0 });
    expect(operatorRates(status(0, []), status(1000, [[5, 5]]))[0]).to.include({ inRate: 0, outRate: 0 });
  });

  it('shows a header, one row per operator and the error', () => {
    const lines = watchLines(
      status(2500, [[0, 7]], { error: 'boom' }),
      operatorRates(undefined, status(2500, [[0, 7]])),
    );
    expect(lines[0]).to.equal('job demo (u-1)  running  runtime 2.5s  queued 3');
    expect(lines[1]).to.match(/^operator\s+par\s+in\s+in\/s\s+out\s+out\/s\s+errors$/);
    expect(lines[2]).to.match(/^op0\s+2\s+0\s+0\.0\s+7\s+0\.0\s+0$/);
    expect(lines[3]).to.equal('error: boom');
  });

  it('redraws in place with ANSI cursor-up and clear-line sequences', () => {
    expect(redraw(0, ['a', 'b'])).to.equal('\x1b[2Ka\n\x1b[2Kb\n\x1b[0J');
    expect(redraw(2, ['c'])).to.equal('\x1b[2A\x1b[2Kc\n\x1b[0J');
  });

  it('aligns table columns', () => {
    expect(
      table(
        [
          ['name', 'n'],
          ['a', '10'],
        ],
        [1],
      ),
    ).to.deep.equal(['name   n', 'a     10']);
    expect(formatSeconds(12345)).to.equal('12.3s');
  });
});
