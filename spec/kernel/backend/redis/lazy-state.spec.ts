import { expect } from 'chai';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { LogWorker } from '../../../../src/kernel/backend/redis/log-worker.js';
import { MemoryLog } from '../../../../src/kernel/backend/redis/memory-log.js';
import type { CommitResult, CommitTx } from '../../../../src/kernel/backend/redis/partitioned-log.js';
import { buildKeyedCount, type KeyedRecord } from './keyed-count-job.js';
import { registerJob } from './register-job.js';

/** A MemoryLog that notes, at the first commit of a task under a lease of `worker`, how much state it had loaded. */
class WatchedLog extends MemoryLog {
  readonly firstCommit = new Map<string, { fieldsLoaded: number; stateSize: number }>();
  constructor(
    now: () => number,
    private readonly worker: string,
  ) {
    super(now);
  }

  override async commit(tx: CommitTx): Promise<CommitResult> {
    if (tx.lease.token.startsWith(`${this.worker}:`) && !this.firstCommit.has(tx.lease.task)) {
      const { stateSize } = await this.loadHead(tx.lease.task);
      this.firstCommit.set(tx.lease.task, { fieldsLoaded: this.fieldsLoaded, stateSize });
    }
    return super.commit(tx);
  }
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('LogWorker: lazy state loading on takeover', () => {
  it('a task taking over a large state starts before loading it all, loads keys on first touch, and stays exact', async () => {
    let now = 0;
    const log = new WatchedLog(() => now, 'b');
    const keys = 100;
    const records: KeyedRecord[] = Array.from({ length: 600 }, (_, i) => ({
      k: `k${String(i % keys)}`,
      v: i,
    }));
    const { job, load } = await registerJob(log, () => {
      const env = new LocalEnvironment('count');
      buildKeyedCount(env, records, 2, 'out');
      return env;
    });
    const task = { intervalMs: 0, entriesPerRead: 1, recordsPerEntry: 5, maxBuffered: 20, lazyStateFrom: 10 };
    const a = new LogWorker(log, { jobRoot: '.', id: 'a', leaseMs: 1000, load, task });
    await a.tick();
    for (let t = 0; t < 5000 && log.entries('out').length < 200; t++) await turn();
    a.crash();
    now += 1001;
    const count = job.plan.vertices.find((v) => v.operators.some((o) => o.name === 'count'));
    const countTasks = [0, 1].map((i) => `j:${String(count?.id)}:${String(i)}`);
    const before = await Promise.all(countTasks.map(async (t) => (await log.loadHead(t)).stateSize));
    expect(before[0] ?? 0, 'committed state fields at the takeover').to.be.greaterThan(20);
    expect(before[1] ?? 0, 'committed state fields at the takeover').to.be.greaterThan(20);
    const allDone = async (): Promise<boolean> =>
      (
        await Promise.all(
          job.plan.vertices.flatMap((v) =>
            Array.from({ length: v.parallelism }, (_, i) => log.load(`j:${String(v.id)}:${String(i)}`)),
          ),
        )
      ).every((t) => t.done);

    const b = new LogWorker(log, { jobRoot: '.', id: 'b', leaseMs: 1000, load, task });
    for (let round = 0; round < 400 && !(await allDone()); round++) {
      await b.tick();
      for (let t = 0; t < 20; t++) await turn();
    }
    await b.stop();

    // The successor's first commit of the first count task it ran came before it had loaded all the state.
    const firsts = countTasks.map((t) => log.firstCommit.get(t));
    expect(firsts, 'commits of the successor').to.not.include(undefined);
    const earliest = Math.min(...firsts.map((f) => f?.fieldsLoaded ?? Infinity));
    expect(earliest, 'fields loaded before its first commit').to.be.greaterThan(0);
    expect(earliest, 'fields loaded before its first commit').to.be.lessThan(Math.min(...before));
    // Every key's outputs come once, in order, counted from where the crashed worker left them.
    const seen = new Map<string, number[]>();
    for (const e of log.entries('out')) {
      const [k, v, n] = JSON.parse(e.data) as [string, number, number];
      const values = seen.get(k) ?? [];
      expect(n, `count of ${k}`).to.equal(values.length + 1);
      values.push(v);
      seen.set(k, values);
    }
    for (let i = 0; i < keys; i++) {
      expect(seen.get(`k${String(i)}`)).to.deep.equal(
        Array.from({ length: records.length / keys }, (_, j) => i + j * keys),
      );
    }
    const state = new Map<string, string>();
    for (const t of countTasks) for (const [f, v] of (await log.load(t)).state) state.set(f, v);
    for (let i = 0; i < keys; i++) {
      const field = [...state.keys()].find(
        (f) => f.endsWith(`,"k${String(i)}"]`) && f.startsWith('["count"'),
      );
      expect(JSON.parse(state.get(field ?? '') ?? '{}')).to.deep.equal({ count: records.length / keys });
    }
  });
});
