import { expect } from 'chai';
import fc from 'fast-check';
import { SinkFunction } from '../../../../src/core/api/function/sink-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { COMMIT_WRITER, type CommitWriter } from '../../../../src/kernel/backend/redis/commit-writer.js';
import { LogWorker } from '../../../../src/kernel/backend/redis/log-worker.js';
import { MemoryLog } from '../../../../src/kernel/backend/redis/memory-log.js';
import type { CommitResult, CommitTx } from '../../../../src/kernel/backend/redis/partitioned-log.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import { registerJob } from './register-job.js';

/** Appends `[record, ctx.recordId]` to stream `ids` inside the commit. */
class IdSink extends SinkFunction<number> {
  execute(x: number): void {
    const writer = this.ctx.config[COMMIT_WRITER] as CommitWriter;
    writer.append('ids', JSON.stringify([x, this.ctx.recordId ?? null]));
  }
}

/** Runs a job built by `build` under the log backend on a MemoryLog until every task is done. */
async function runLogJob(build: (env: LocalEnvironment) => void): Promise<[number, string | null][]> {
  const log = new MemoryLog();
  const { job, load } = await registerJob(log, () => {
    const env = new LocalEnvironment('ids', { logLevel: 'silent' });
    build(env);
    return env;
  });
  const worker = new LogWorker(log, {
    jobRoot: '.',
    id: 'w',
    load,
    task: { intervalMs: 1, recordsPerEntry: 3 },
  });
  const allDone = async (): Promise<boolean> => {
    for (const v of job.plan.vertices) {
      for (let i = 0; i < v.parallelism; i++) {
        if (!(await log.load(`j:${String(v.id)}:${String(i)}`)).done) return false;
      }
    }
    return true;
  };
  for (let i = 0; i < 400 && !(await allDone()); i++) {
    await worker.tick();
    await new Promise((r) => setTimeout(r, 5));
  }
  await worker.stop();
  expect(await allDone()).to.equal(true);
  return log.entries('ids').map((e) => JSON.parse(e.data) as [number, string | null]);
}

const input = Array.from({ length: 20 }, (_, i) => i);

describe('ctx.recordId under the log backend', () => {
  it('names each record of a stream-fed stage by task, input entry and index in the entry, uniquely', async () => {
    const ids = await runLogJob((env) => {
      env
        .fromBatch(input)
        .keyBy((x) => x % 2)
        .sink(IdSink, { name: 'ids', parallelism: 2 });
    });
    expect(ids.map(([x]) => x).sort((a, b) => a - b)).to.deep.equal(input);
    const names = ids.map(([, id]) => id);
    for (const id of names) expect(id).to.match(/^j:1:[01]\/\{j:0:0\}:x:0:[01]@[^/]+\/[0-2]$/);
    expect(new Set(names).size).to.equal(input.length);
  });

  it('names the record being processed, not the last one read, when an asynchronous operator queues records', async () => {
    const ids = await runLogJob((env) => {
      env
        .fromBatch(input)
        .keyBy((x) => x % 2)
        .map(
          async (x: number) => {
            await Promise.resolve();
            return x;
          },
          { parallelism: 2 },
        )
        .sink(IdSink, { name: 'ids', parallelism: 2 });
    });
    expect(ids.map(([x]) => x).sort((a, b) => a - b)).to.deep.equal(input);
    const names = ids.map(([, id]) => id);
    for (const id of names) expect(id).to.match(/^j:1:[01]\/\{j:0:0\}:x:0:[01]@[^/]+\/[0-2]$/);
    expect(new Set(names).size).to.equal(input.length);
  });

  it('is the same when the job is run again (a replay by the next owner names records alike)', async () => {
    const build = (env: LocalEnvironment): void => {
      env
        .fromBatch(input)
        .keyBy((x) => x % 2)
        .sink(IdSink, { name: 'ids', parallelism: 2 });
    };
    const first = await runLogJob(build);
    const second = await runLogJob(build);
    const byRecord = (ids: [number, string | null][]): Map<number, string | null> => new Map(ids);
    expect(byRecord(second)).to.deep.equal(byRecord(first));
  });

  it('in a stage that starts with a source, is the ordinal of the record in the replayed source', async () => {
    const ids = await runLogJob((env) => {
      env.fromBatch(input).sink(IdSink, { name: 'ids' });
    });
    expect(ids.map(([x]) => x)).to.deep.equal(input);
    ids.forEach(([, id], i) => {
      expect(id).to.match(new RegExp(`^j:\\d+:0/src/${String(i + 1)}$`));
    });
  });
});

/** What an at-least-once sink saw: `[record, ctx.recordId]` per call, including calls repeated after a failover. */
const seen: [number, string | undefined][] = [];

/** An at-least-once sink (outside the commit): it sees the records of a batch again when the batch is replayed. */
class SeenSink extends SinkFunction<number> {
  execute(x: number): void {
    seen.push([x, this.ctx.recordId]);
  }
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

type Step =
  | { kind: 'tick'; worker: number }
  | { kind: 'crash'; worker: number }
  | { kind: 'expire' }
  | { kind: 'run'; turns: number };

/** A keyed job whose second stage ends in `SeenSink`, on a MemoryLog whose clock the spec moves. */
async function seenJob(n: number): Promise<{
  log: MemoryLog;
  records: number[];
  spawn: () => LogWorker;
  advance: (ms: number) => void;
  done: () => Promise<boolean>;
}> {
  seen.length = 0;
  let now = 0;
  const log = new MemoryLog(() => now);
  const records = Array.from({ length: n }, (_, i) => i);
  const { job, load } = await registerJob(log, () => {
    const env = new LocalEnvironment('ids', { logLevel: 'silent' });
    env
      .fromBatch(records)
      .keyBy((x) => x % 3)
      .sink(SeenSink, { name: 'seen', parallelism: 2 });
    return env;
  });
  let generation = 0;
  const spawn = (): LogWorker =>
    new LogWorker(log, {
      jobRoot: '.',
      id: `w${String(generation++)}`,
      leaseMs: 1000,
      load,
      task: { intervalMs: 0, entriesPerRead: 1, maxBuffered: 5, recordsPerEntry: 2 },
    });
  const done = async (): Promise<boolean> => {
    for (const v of job.plan.vertices) {
      for (let i = 0; i < v.parallelism; i++) {
        if (!(await log.load(`j:${String(v.id)}:${String(i)}`)).done) return false;
      }
    }
    return true;
  };
  return {
    log,
    records,
    spawn,
    advance: (ms) => {
      now += ms;
    },
    done,
  };
}

/** Every record was seen, each always with the same string id, and different records with different ids. */
function expectStableIds(records: readonly number[]): void {
  const idOf = new Map<number, string | undefined>();
  for (const [x, id] of seen) {
    expect(id).to.be.a('string');
    if (idOf.has(x)) expect(id).to.equal(idOf.get(x));
    else idOf.set(x, id);
  }
  expect([...idOf.keys()].sort((a, b) => a - b)).to.deep.equal(records);
  expect(new Set(idOf.values()).size).to.equal(records.length);
}

describe('ctx.recordId across failover', () => {
  it('a batch whose commit was refused is processed again with the same ids', async () => {
    const { log, records, spawn, done } = await seenJob(40);
    // The first commit of every consumer task that moves an input position is refused (its lease was lost).
    const refused = new Set<string>();
    const commit = log.commit.bind(log);
    log.commit = (tx: CommitTx): Promise<CommitResult> => {
      if (tx.positions.some((p) => p.field.startsWith('in:')) && !refused.has(tx.lease.task)) {
        refused.add(tx.lease.task);
        return Promise.resolve('fenced');
      }
      return commit(tx);
    };
    const worker = spawn();
    for (let round = 0; round < 400 && !(await done()); round++) {
      await worker.tick();
      for (let t = 0; t < 5; t++) await turn();
    }
    await worker.stop();
    expect(await done()).to.equal(true);
    expect(refused.size).to.equal(2);
    expect(seen.length).to.be.greaterThan(records.length); // the refused batches were processed twice
    expectStableIds(records);
  });

  it('is stable under random crashes, lease expiries and takeovers (property)', async () => {
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('tick' as const), worker: fc.nat(1) }),
      fc.record({ kind: fc.constant('crash' as const), worker: fc.nat(1) }),
      fc.record({ kind: fc.constant('expire' as const) }),
      fc.record({ kind: fc.constant('run' as const), turns: fc.integer({ min: 1, max: 20 }) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.array(step, { maxLength: 30 }),
        async (n, steps) => {
          const { records, spawn, advance, done } = await seenJob(n);
          const workers = [spawn(), spawn()];
          for (const s of steps) {
            if (s.kind === 'tick') await workers[s.worker]?.tick();
            else if (s.kind === 'crash') {
              workers[s.worker]?.crash();
              workers[s.worker] = spawn();
            } else if (s.kind === 'expire') advance(1001);
            else for (let t = 0; t < s.turns; t++) await turn();
          }
          for (let round = 0; round < 400 && !(await done()); round++) {
            advance(300);
            for (const w of workers) await w.tick();
            for (let t = 0; t < 10; t++) await turn();
          }
          for (const w of workers) await w.stop();
          expect(await done()).to.equal(true);
          expectStableIds(records);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('ctx.recordId in-process', () => {
  it('is undefined', async () => {
    const seen: (string | undefined)[] = [];
    class Probe extends SinkFunction<number> {
      execute(): void {
        seen.push(this.ctx.recordId);
      }
    }
    const env = new LocalEnvironment('ids', { jobManager: new JobManager(), logLevel: 'silent' });
    env.fromBatch([1, 2]).sink(Probe);
    await env.submit({ autostop: true });
    expect(seen).to.deep.equal([undefined, undefined]);
  });
});
