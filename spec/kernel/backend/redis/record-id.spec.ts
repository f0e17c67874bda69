import { expect } from 'chai';
import { SinkFunction } from '../../../../src/core/api/function/sink-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { COMMIT_WRITER, type CommitWriter } from '../../../../src/kernel/backend/redis/commit-writer.js';
import { compileJob, type LoadedJob } from '../../../../src/kernel/backend/redis/load-job-module.js';
import { LogWorker } from '../../../../src/kernel/backend/redis/log-worker.js';
import { MemoryLog } from '../../../../src/kernel/backend/redis/memory-log.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';

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
  const load = (): Promise<LoadedJob> => {
    const env = new LocalEnvironment('ids', { logLevel: 'silent' });
    build(env);
    return Promise.resolve(compileJob(env, 'j', ''));
  };
  const job = await load();
  await log.putJob({
    id: 'j',
    module: 'm',
    exportName: 'default',
    args: undefined,
    fingerprint: job.fingerprint,
    leaseMs: 1000,
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
