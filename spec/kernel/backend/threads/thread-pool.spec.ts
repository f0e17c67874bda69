import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { ThreadPool } from '../../../../src/kernel/backend/threads/thread-pool.js';
import type { JobOrigin } from '../../../../src/kernel/jobmanager/job-origin.js';

/** A stand-in for a worker thread: it counts refs and says whether it was terminated. */
class FakeWorker extends EventEmitter {
  referenced = true;
  terminated = false;
  ref(): void {
    this.referenced = true;
  }
  unref(): void {
    this.referenced = false;
  }
  terminate(): Promise<number> {
    this.terminated = true;
    this.emit('exit', 1);
    return Promise.resolve(1);
  }
}

function origin(module: string, moduleHash: string): JobOrigin {
  return { module, moduleHash, exportName: 'default' } as JobOrigin;
}

function pool(maxIdle: number): { pool: ThreadPool; spawned: FakeWorker[] } {
  const spawned: FakeWorker[] = [];
  const p = new ThreadPool(() => {
    const w = new FakeWorker();
    spawned.push(w);
    return w as unknown as Worker;
  }, maxIdle);
  return { pool: p, spawned };
}

describe('ThreadPool', () => {
  const A = origin('file:///jobs/a.ts', 'a1');

  it('gives a released thread to the next job, unreferenced while it waits', () => {
    const { pool: p, spawned } = pool(4);
    const first = p.acquire(A);
    p.release(first);
    expect(spawned[0]?.referenced).to.equal(false);
    const again = p.acquire(origin('file:///jobs/b.ts', 'b1'));
    expect(again).to.equal(first);
    expect([spawned.length, spawned[0]?.referenced]).to.deep.equal([1, true]);
  });

  it('never gives a thread a module it imported from another file version', () => {
    const { pool: p, spawned } = pool(4);
    p.release(p.acquire(A));
    const changed = p.acquire(origin(A.module, 'a2'));
    expect(spawned).to.have.length(2);
    expect(changed.worker).to.equal(spawned[1]);
    p.release(changed);
    // Both are idle now: the same version goes to the thread that imported it.
    expect(p.acquire(A).worker).to.equal(spawned[0]);
  });

  it('terminates released threads beyond maxIdle, and drops an idle thread that exits', () => {
    const { pool: p, spawned } = pool(1);
    const a = p.acquire(A);
    const b = p.acquire(A);
    p.release(a);
    p.release(b);
    expect([p.size, spawned[1]?.terminated]).to.deep.equal([1, true]);
    spawned[0]?.emit('exit', 0);
    expect(p.size).to.equal(0);
    expect(p.acquire(A).worker).to.equal(spawned[2]);
  });

  it('warm(n) starts threads until n wait and resolves once each has loaded', async () => {
    const { pool: p, spawned } = pool(4);
    let warmed = false;
    const warming = p.warm(2).then(() => (warmed = true));
    expect([p.size, spawned.length]).to.deep.equal([2, 2]);
    spawned[0]?.emit('message', 'loaded');
    await Promise.resolve();
    expect(warmed).to.equal(false);
    spawned[1]?.emit('message', 'loaded');
    await warming;
    expect(spawned.map((w) => w.referenced)).to.deep.equal([false, false]);
    await p.warm(2);
    expect(spawned).to.have.length(2);
  });
});
