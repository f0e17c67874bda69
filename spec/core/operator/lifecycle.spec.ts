import { expect } from 'chai';
import { Subject } from 'rxjs';
import { MapFunction } from '../../../src/core/api/function/map-function.js';
import { SinkFunction } from '../../../src/core/api/function/sink-function.js';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';
import { waitFor } from '../../helpers/wait-for.js';

const calls: string[] = [];

class Tracked extends SinkFunction<number> {
  execute(x: number): void {
    calls.push(`execute ${String(x)} @${String(this.ctx.parallelIndex)}`);
  }
  finish(): void {
    calls.push(`finish @${String(this.ctx.parallelIndex)}`);
  }
  close(): void {
    calls.push(`close @${String(this.ctx.parallelIndex)}`);
  }
}

/** Sums its input and emits the sum once, from finish(), at the end of input. */
class SumAtEnd extends MapFunction<number, number> {
  private sum = 0;
  execute(x: number): number | undefined {
    this.sum += x;
    return undefined;
  }
  finish(): number {
    return this.sum;
  }
  close(): void {
    calls.push('close sum');
  }
}

function newEnv(name: string, jm = new JobManager()): LocalEnvironment {
  return new LocalEnvironment(name, { jobManager: jm, logLevel: 'silent' });
}

describe('function lifecycle: finish() at end of input, close() exactly once however an instance ends', () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it('end of stream: finish() then close(), once per instance; finish() may emit', async () => {
    const env = newEnv('lifecycle-end');
    const out: number[] = [];
    env
      .fromBatch([1, 2, 3, 4])
      .map(SumAtEnd)
      .sink((x) => {
        out.push(x);
      });
    env.fromBatch([7]).sink(Tracked, { parallelism: 2 });
    await env.submit({ autostop: true });
    expect(out).to.deep.equal([10]);
    expect(calls.filter((c) => c === 'close sum')).to.have.length(1);
    for (const i of [0, 1]) {
      const mine = calls.filter((c) => c.endsWith(`@${String(i)}`) && !c.startsWith('execute'));
      expect(mine).to.deep.equal([`finish @${String(i)}`, `close @${String(i)}`]);
    }
  });

  it('stop: close() once, no finish(); pause never closes', async () => {
    const jm = new JobManager();
    const env = newEnv('lifecycle-stop', jm);
    const input = new Subject<number>();
    env.fromObservable(input).sink(Tracked);
    const uuid = await env.submit();
    input.next(1);
    jm.pauseJob(uuid);
    jm.continueJob(uuid);
    input.next(2);
    expect(calls).to.deep.equal(['execute 1 @0', 'execute 2 @0']);
    jm.stopJob(uuid);
    jm.stopJob(uuid);
    expect(calls).to.deep.equal(['execute 1 @0', 'execute 2 @0', 'close @0']);
  });

  it('failure: close() once on every instance, no finish(), and no user function afterwards', async () => {
    const env = new LocalEnvironment('lifecycle-fail', {
      jobManager: new JobManager(),
      logLevel: 'silent',
      errorPolicy: 'fail',
    });
    const seen: number[] = [];
    env
      .fromBatch([[1, 2, 3, 4]])
      .flatMap((xs) => xs)
      .map((x) => {
        if (x === 2) throw new Error('two');
        return x;
      })
      .map((x) => {
        seen.push(x);
        return x;
      })
      .sink(Tracked);
    let failed: unknown;
    await env.submit({ autostop: true }).catch((e: unknown) => {
      failed = e;
    });
    expect(failed).to.be.instanceOf(Error);
    expect(seen).to.deep.equal([1]);
    expect(calls).to.deep.equal(['execute 1 @0', 'close @0']);
  });

  it('an async close() is awaited before the job completes', async () => {
    const order: string[] = [];
    class SlowClose extends SinkFunction<number> {
      execute(): void {
        order.push('execute');
      }
      async close(): Promise<void> {
        await new Promise((resolve) => setImmediate(resolve));
        order.push('closed');
      }
    }
    const env = newEnv('lifecycle-async');
    env.fromBatch([1]).sink(SlowClose);
    await env.submit({ autostop: true });
    order.push('completed');
    await waitFor(() => order.length === 3);
    expect(order).to.deep.equal(['execute', 'closed', 'completed']);
  });
});
