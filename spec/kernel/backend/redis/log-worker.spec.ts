import { expect } from 'chai';
import fc from 'fast-check';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { compileJob, type LoadedJob } from '../../../../src/kernel/backend/redis/load-job-module.js';
import { LogWorker } from '../../../../src/kernel/backend/redis/log-worker.js';
import { MemoryLog } from '../../../../src/kernel/backend/redis/memory-log.js';
import { buildKeyedCount, keyedCountModel } from './keyed-count-job.js';
import { registerJob } from './register-job.js';

/** Every key's output `[value, count]` sequence, in stream order. */
function outputsByKey(log: MemoryLog, stream: string): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const e of log.entries(stream)) {
    const [k, v, n] = JSON.parse(e.data) as [string, number, number];
    out.set(k, [...(out.get(k) ?? []), [v, n]]);
  }
  return out;
}

/** The final count of each key, read from the committed state of the count tasks. */
async function committedCounts(log: MemoryLog, job: LoadedJob, id: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const vertex = job.plan.vertices.find((v) => v.operators.some((o) => o.name === 'count'));
  for (let i = 0; i < (vertex?.parallelism ?? 0); i++) {
    const task = await log.load(`${id}:${String(vertex?.id)}:${String(i)}`);
    for (const [field, value] of task.state) {
      const parts = JSON.parse(field) as [string, number?, string?];
      if (parts.length !== 3) continue;
      const key = parts[2] as string;
      counts.set(key, (JSON.parse(value) as { count: number }).count);
    }
  }
  return counts;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

type Step =
  | { kind: 'tick'; worker: number }
  | { kind: 'crash'; worker: number }
  | { kind: 'expire' }
  | { kind: 'run'; turns: number };

describe('LogWorker over a MemoryLog', () => {
  it('runs a keyed count to its end: every key counted once, in order', async () => {
    const log = new MemoryLog();
    const records = Array.from({ length: 60 }, (_, i) => ({ k: `k${String(i % 4)}`, v: i }));
    const { job, load } = await registerJob(log, () => {
      const env = new LocalEnvironment('count');
      buildKeyedCount(env, records, 2, 'out');
      return env;
    });
    const worker = new LogWorker(log, { jobRoot: '.', id: 'w', load, task: { intervalMs: 1 } });
    for (let i = 0; i < 200 && log.entries('out').length < 60; i++) {
      await worker.tick();
      for (let t = 0; t < 20; t++) await turn();
    }
    await worker.stop();
    expect(outputsByKey(log, 'out')).to.deep.equal(keyedCountModel(records));
    expect(await committedCounts(log, job, 'j')).to.deep.equal(
      new Map([
        ['k0', 15],
        ['k1', 15],
        ['k2', 15],
        ['k3', 15],
      ]),
    );
  });

  it('refuses the commits of a worker frozen past its lease (a zombie): exact after its successor takes over', async () => {
    let now = 0;
    const log = new MemoryLog(() => now);
    const records = Array.from({ length: 300 }, (_, i) => ({ k: `k${String(i % 7)}`, v: i }));
    const { job, load } = await registerJob(log, () => {
      const env = new LocalEnvironment('count');
      buildKeyedCount(env, records, 2, 'out');
      return env;
    });
    const task = { intervalMs: 0, entriesPerRead: 1, maxBuffered: 10 };
    const zombie = new LogWorker(log, { jobRoot: '.', id: 'a', leaseMs: 1000, load, task });
    const successor = new LogWorker(log, { jobRoot: '.', id: 'b', leaseMs: 1000, load, task });
    await zombie.tick();
    for (let t = 0; t < 5; t++) await turn();
    now += 1001; // a stops ticking (frozen control loop) while its tasks keep going: its leases expire
    await successor.tick(); // b is the only live worker now, and takes every task
    expect(successor.tasks).to.have.length(3);
    // Rounds until done (bounded): a loaded process may need more turns, never a different outcome.
    for (let round = 0; round < 3000 && !(await allDone(log, job)); round++) {
      for (let t = 0; t < 5; t++) await turn();
      await successor.tick();
    }
    expect(await allDone(log, job), 'every task of the job committed its end').to.equal(true);
    await zombie.tick(); // a wakes up: its renewals fail
    expect(zombie.tasks).to.deep.equal([]);
    await zombie.stop();
    await successor.stop();
    expect(log.fenced + log.conflicts).to.be.greaterThan(0);
    expect(outputsByKey(log, 'out')).to.deep.equal(keyedCountModel(records));
  });

  it('refuses a job whose plan differs from the submitted fingerprint, saying why', async () => {
    const log = new MemoryLog();
    const load = (): Promise<LoadedJob> => {
      const env = new LocalEnvironment('count');
      buildKeyedCount(env, [{ k: 'a', v: 1 }], 2, 'out');
      return Promise.resolve(compileJob(env, 'j', ''));
    };
    await log.putJob({
      id: 'j',
      module: 'm',
      exportName: 'default',
      args: undefined,
      fingerprint: 'other',
      leaseMs: 1000,
    });
    const worker = new LogWorker(log, { jobRoot: '.', id: 'w', load });
    await worker.tick();
    expect(await log.jobFailure('j')).to.match(/built a different plan/);
    expect(worker.tasks).to.deep.equal([]);
  });

  it('refuses a job with a feedback loop, saying how to run it instead', async () => {
    const log = new MemoryLog();
    const { load } = await registerJob(log, () => {
      const env = new LocalEnvironment('loop');
      const loop = env.fromFuture<number>('loop');
      const all = env
        .fromBatch([0])
        .connect(loop)
        .map((d) => d);
      all.sink(() => undefined);
      all
        .filter((d) => d < 5)
        .map((d) => d + 1)
        .fillFuture(loop);
      return env;
    });
    const worker = new LogWorker(log, { jobRoot: '.', id: 'w', load });
    await worker.tick();
    expect(await log.jobFailure('j')).to.match(/feedback loop .* run it in-process or on threads/);
    expect(worker.tasks).to.deep.equal([]);
  });

  it('is exact under random crashes, lease expiries (zombies) and takeovers: outputs and state equal a plain model', async () => {
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('tick' as const), worker: fc.nat(2) }),
      fc.record({ kind: fc.constant('crash' as const), worker: fc.nat(2) }),
      fc.record({ kind: fc.constant('expire' as const) }),
      fc.record({ kind: fc.constant('run' as const), turns: fc.integer({ min: 1, max: 30 }) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ k: fc.constantFrom('a', 'b', 'c', 'd', 'e'), v: fc.nat(1000) }), {
          maxLength: 80,
        }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(step, { maxLength: 40 }),
        async (records, parallelism, steps) => {
          let now = 0;
          const log = new MemoryLog(() => now);
          const { job, load } = await registerJob(log, () => {
            const env = new LocalEnvironment('count');
            buildKeyedCount(env, records, parallelism, 'out');
            return env;
          });
          let generation = 0;
          const spawn = (): LogWorker =>
            new LogWorker(log, {
              jobRoot: '.',
              id: `w${String(generation++)}`,
              leaseMs: 1000,
              load,
              task: { intervalMs: 0, entriesPerRead: 2, maxBuffered: 7 },
            });
          const workers = [spawn(), spawn(), spawn()];
          for (const s of steps) {
            if (s.kind === 'tick') await workers[s.worker]?.tick();
            else if (s.kind === 'crash') {
              workers[s.worker]?.crash();
              workers[s.worker] = spawn();
            } else if (s.kind === 'expire') now += 1001;
            else for (let t = 0; t < s.turns; t++) await turn();
          }
          const total = records.length;
          for (let round = 0; round < 400; round++) {
            if (log.entries('out').length >= total && round > 0 && (await allDone(log, job))) break;
            now += 300;
            for (const w of workers) await w.tick();
            for (let t = 0; t < 10; t++) await turn();
          }
          for (const w of workers) await w.stop();
          expect(outputsByKey(log, 'out')).to.deep.equal(keyedCountModel(records));
          const counts = await committedCounts(log, job, 'j');
          expect(counts).to.deep.equal(
            new Map([...keyedCountModel(records)].map(([k, seq]) => [k, seq.length])),
          );
        },
      ),
      { numRuns: 40, examples: [[[{ k: 'a', v: 0 }], 1, []]] },
    );
  });
});

async function allDone(log: MemoryLog, job: LoadedJob): Promise<boolean> {
  for (const v of job.plan.vertices) {
    for (let i = 0; i < v.parallelism; i++) {
      if (!(await log.load(`j:${String(v.id)}:${String(i)}`)).done) return false;
    }
  }
  return true;
}
