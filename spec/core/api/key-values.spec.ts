import { expect } from 'chai';
import { InnerHashJoin } from '../../../src/core/api/function/join/inner-hash-join.js';
import { MapFunction } from '../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { KeyEncodingError } from '../../../src/errors/key-encoding-error.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';

function newEnv(name: string): { env: LocalEnvironment; jm: JobManager } {
  const jm = new JobManager();
  return { env: new LocalEnvironment(name, { jobManager: jm, logLevel: 'silent' }), jm };
}

class CountPerKey extends MapFunction<unknown, number> {
  execute(): number {
    const n = this.ctx.state.value('n', 0);
    n.set(n.get() + 1);
    return n.get();
  }
}

describe('keys compare by value in jobs: routing, state and joins agree (DESIGN §7)', () => {
  for (const parallelism of [1, 3]) {
    it(`two different Date keys are two keys in keyed state; equal Dates are one (parallelism ${String(parallelism)})`, async () => {
      const { env } = newEnv('date-keys');
      const day = 86_400_000;
      const days = [...Array.from({ length: 100 }, (_, i) => i * day), 0, 0].map((t) => new Date(t));
      const out: [number, number][] = [];
      env
        .fromBatch(days)
        .keyBy((d) => new Date(d.getTime()))
        .map(CountPerKey, { parallelism })
        .map(async function (this: MapFunction<number, [number, number]>, n: number) {
          await Promise.resolve();
          return [(this.ctx.getKey() as Date).getTime(), n] as [number, number];
        })
        .sink((r) => {
          out.push(r);
        });
      await env.submit({ autostop: true });
      expect(out.sort((a, b) => a[0] - b[0] || a[1] - b[1])).to.deep.equal([
        [0, 1],
        [0, 2],
        [0, 3],
        ...Array.from({ length: 99 }, (_, i): [number, number] => [(i + 1) * day, 1]),
      ]);
    });
  }

  it('NaN is one key, -0 and 0 are one key', async () => {
    const { env } = newEnv('nan-keys');
    const out: number[] = [];
    env
      .fromBatch([NaN, 0, -0, NaN, 0])
      .keyBy((x) => x)
      .map(CountPerKey, { parallelism: 2 })
      .sink((n) => {
        out.push(n);
      });
    await env.submit({ autostop: true });
    expect(out.sort()).to.deep.equal([1, 1, 2, 2, 3]);
  });

  it('InnerHashJoin keeps records with different Date keys apart', async () => {
    const { env } = newEnv('date-join');
    const out: [string, string][] = [];
    const a = new Date('2024-01-01');
    const b = new Date('2024-01-02');
    env
      .fromBatch([
        { at: a, v: 'L-a' },
        { at: b, v: 'L-b' },
      ])
      .map((r) => r)
      .keyBy((r) => r.at)
      .connect(
        env
          .fromBatch([
            { at: new Date(a.getTime()), v: 'R-a' },
            { at: new Date(b.getTime()), v: 'R-b' },
          ])
          .keyBy((r) => r.at),
      )
      .join(InnerHashJoin, {
        args: [(l: { v: string }, r: { v: string }): [string, string] => [l.v, r.v]],
        parallelism: 2,
      })
      .sink((pair) => {
        out.push(pair);
      });
    await env.submit({ autostop: true });
    expect(out.sort()).to.deep.equal([
      ['L-a', 'R-a'],
      ['L-b', 'R-b'],
    ]);
  });

  it('a key that cannot be encoded is an error of its record under skip: the process and the job go on', async () => {
    const { env, jm } = newEnv('bad-keys');
    const circular: Record<string, unknown> = { id: 1 };
    circular.self = circular;
    const out: unknown[] = [];
    env
      .fromBatch<unknown>([{ id: 1 }, circular, { id: 2 }, () => 3])
      .keyBy((r) => r, { name: 'key' })
      .map((r) => r, { parallelism: 2 })
      .sink((r) => {
        out.push(r);
      });
    const uuid = await env.submit({ autostop: true });
    expect(out).to.have.length(2);
    const status = jm.getJobStatus(uuid);
    if (status.status === 'not_found') throw new Error('lost');
    expect(status.status).to.equal('completed');
    const key = status.operators.find((o) => o.operator === 'key');
    expect(key?.errors).to.equal(2);
    expect(key?.lastError).to.match(/key/i);
    expect(new KeyEncodingError('x')).to.be.instanceOf(Error);
  });
});
