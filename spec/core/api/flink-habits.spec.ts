import { expect } from 'chai';
import { BatchFunction } from '../../../src/core/api/function/batch-function.js';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { InvalidFunctionError } from '../../../src/errors/invalid-function-error.js';
import { StateAccessError } from '../../../src/errors/state-access-error.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';

function newEnv(name: string): LocalEnvironment {
  return new LocalEnvironment(name, { jobManager: new JobManager(), logLevel: 'silent' });
}

describe('Flink habits', () => {
  it('union(...others) merges every record of each stream, and stays keyed when every input is', async () => {
    const env = newEnv('union');
    const out: number[] = [];
    const a = env.fromBatch([1, 2]);
    const b = env.fromBatch([3]);
    const c = env.fromBatch([4, 5]);
    a.union(b, c).sink((x) => {
      out.push(x);
    });
    const keyed = env
      .fromBatch([1, 2])
      .keyBy((x) => x % 2)
      .union(env.fromBatch([3, 4]).keyBy((x) => x % 2));
    const counts: [unknown, number][] = [];
    keyed
      .reduce((acc, x) => acc + x, { parallelism: 2 })
      .map(function (this: { ctx: { getKey(): unknown } }, x: number) {
        counts.push([this.ctx.getKey(), x]);
        return x;
      });
    await env.submit({ autostop: true });
    expect(out.sort()).to.deep.equal([1, 2, 3, 4, 5]);
    const finals = new Map<unknown, number>();
    for (const [k, x] of counts) finals.set(k, Math.max(finals.get(k) ?? 0, x));
    expect(Object.fromEntries(finals)).to.deep.equal({ 0: 6, 1: 4 });
  });

  it('reduce on a keyed stream emits the running value per key, in order', async () => {
    const env = newEnv('reduce');
    const out: { k: string; n: number }[] = [];
    env
      .fromBatch([
        { k: 'a', n: 1 },
        { k: 'b', n: 10 },
        { k: 'a', n: 2 },
        { k: 'a', n: 3 },
      ])
      .keyBy((r) => r.k)
      .reduce((acc, r) => ({ k: acc.k, n: acc.n + r.n }))
      .sink((r) => {
        out.push(r);
      });
    await env.submit({ autostop: true });
    expect(out.filter((r) => r.k === 'a').map((r) => r.n)).to.deep.equal([1, 3, 6]);
    expect(out.filter((r) => r.k === 'b').map((r) => r.n)).to.deep.equal([10]);
  });

  it('reduce on a stream that is not keyed throws StateAccessError at the call, saying to keyBy', () => {
    const env = newEnv('reduce-unkeyed');
    expect(() => env.fromBatch([1, 2]).reduce((a, b) => a + b)).to.throw(StateAccessError, /keyBy/);
  });

  it('fromCollection given an array says to use fromBatch', () => {
    const env = newEnv('from-collection');
    expect(() => env.fromCollection([1, 2, 3] as unknown as new () => BatchFunction<number>)).to.throw(
      InvalidFunctionError,
      /fromBatch/,
    );
  });
});
