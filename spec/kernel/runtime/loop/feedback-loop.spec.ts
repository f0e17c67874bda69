import { expect } from 'chai';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import { LoopTracker } from '../../../../src/kernel/runtime/loop/loop-tracker.js';

function newEnv(name: string): LocalEnvironment {
  return new LocalEnvironment(name, { jobManager: new JobManager(), logLevel: 'silent' });
}

describe('feedback loops', () => {
  it('0 → d+1 while d < 5 gives [0, 1, 2, 3, 4, 5] and completes', async () => {
    const env = newEnv('count-up');
    const out: number[] = [];
    const loop = env.fromFuture<number>('loop');
    const all = env
      .fromBatch([0])
      .connect(loop)
      .map((d) => d);
    all.sink((d) => {
      out.push(d);
    });
    all
      .filter((d) => d < 5)
      .map((d) => d + 1)
      .fillFuture(loop);
    const uuid = await env.submit({ autostop: true });
    expect(out).to.deep.equal([0, 1, 2, 3, 4, 5]);
    expect(env.jobManager.getJobStatus(uuid).status).to.equal('completed');
  });

  it('waits for async work inside the loop and for every seed', async () => {
    const env = newEnv('async-loop');
    const out: number[] = [];
    const loop = env.fromFuture<number>('back');
    const all = env
      .fromBatch([0, 100])
      .connect(loop)
      .map(async (d) => {
        await Promise.resolve();
        return d;
      });
    all.sink((d) => {
      out.push(d);
    });
    all
      .filter((d) => d % 100 < 3)
      .map((d) => d + 1)
      .fillFuture(loop);
    await env.submit({ autostop: true });
    expect([...out].sort((a, b) => a - b)).to.deep.equal([0, 1, 2, 3, 100, 101, 102, 103]);
  });

  it('runs at parallelism 2 inside the loop', async () => {
    const env = newEnv('parallel-loop');
    const out: number[] = [];
    const loop = env.fromFuture<number>('back');
    const all = env
      .fromBatch([0, 10, 20, 30])
      .connect(loop)
      .map((d) => d, { parallelism: 2 });
    all.sink((d) => {
      out.push(d);
    });
    all
      .filter((d) => d % 10 < 4)
      .map((d) => d + 1, { parallelism: 2 })
      .fillFuture(loop);
    await env.submit({ autostop: true });
    const expected = [0, 10, 20, 30].flatMap((base) => [0, 1, 2, 3, 4].map((i) => base + i));
    expect([...out].sort((a, b) => a - b)).to.deep.equal(expected);
  });
});

describe('LoopTracker', () => {
  it('releases only when outside inputs ended and no record is in flight', () => {
    let released = 0;
    const t = new LoopTracker(2, () => {
      released++;
    });
    t.entered();
    t.outsideEnded(2);
    expect(released).to.equal(0, 'a record is still in flight');
    t.entered();
    t.finished();
    expect(released).to.equal(0);
    t.finished();
    expect(released).to.equal(1);
    t.entered();
    t.finished();
    t.check();
    expect(released).to.equal(1, 'released once');
    expect(t.done).to.equal(true);
  });
});
