import { expect } from 'chai';
import { existsSync, mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobFailedError } from '../../../../src/errors/job-failed-error.js';
import { PlanMismatchError } from '../../../../src/errors/plan-mismatch-error.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import type { JobStatus } from '../../../../src/kernel/jobmanager/job-status.js';
import type { JobSnapshot } from '../../../../src/kernel/runtime/state/job-snapshot.js';
import { threadPool } from '../../../../src/kernel/backend/threads/thread-pool.js';
import { waitFor } from '../../../helpers/wait-for.js';

const KEYED_SUM = new URL('../../../fixtures/jobs/keyed-sum.ts', import.meta.url);
const MISBEHAVING = new URL('../../../fixtures/jobs/misbehaving.ts', import.meta.url);
const CHECKPOINTED = new URL('../../../fixtures/jobs/checkpointed.ts', import.meta.url);
const LOOPING = new URL('../../../fixtures/jobs/looping.ts', import.meta.url);

describe('threads backend (real worker threads)', function () {
  this.timeout(20_000);

  before(async function () {
    // A thread imports the engine from source under tsx: 1–4 s of CPU each on a loaded 2-core machine. Threads
    // are kept between jobs, so the specs below start theirs from these (and from each other's).
    this.timeout(120_000);
    await threadPool.warm(3);
  });

  it('runs a keyed count over 2 workers: same counts and final keyed state as in-process', async () => {
    const args = { n: 3000, keys: 7, parallelism: 3, report: 'threads' };
    const jm = new JobManager();
    const threaded = await LocalEnvironment.fromModule(KEYED_SUM, { args, config: { jobManager: jm } });
    const uuid = await threaded.submit({
      backend: { kind: 'threads', workers: 2, batchSize: 100 },
      autostop: true,
    });
    const status = jm.getJobStatus(uuid) as JobStatus;
    expect(status.status).to.equal('completed');
    expect(status.backend).to.equal('threads');
    expect(status.workers?.map((w) => w.id)).to.deep.equal([0, 1]);
    for (const w of status.workers ?? []) {
      expect(w).to.include({ host: hostname(), pid: process.pid });
      expect(Date.parse(w.lastSeen)).to.be.a('number').and.not.NaN;
    }
    expect(status.workers?.flatMap((w) => w.tasks).sort()).to.include.members([
      'count#0',
      'count#1',
      'count#2',
    ]);
    const count = status.operators.find((o) => o.operator === 'count');
    expect([count?.in, count?.out, count?.parallelism]).to.deep.equal([3000, 3000, 3]);
    const local = await LocalEnvironment.fromModule(KEYED_SUM, { args, config: { jobManager: jm } });
    const localUuid = await local.submit({ autostop: true });
    const [a, b] = await Promise.all([jm.snapshotJob(uuid), jm.snapshotJob(localUuid)]);
    expect(a.operators.count).to.deep.equal(b.operators.count);
  });

  it('fails the job with PlanMismatchError when a worker builds another plan', async () => {
    const env = await LocalEnvironment.fromModule(KEYED_SUM, {
      export: 'random',
      config: { jobManager: new JobManager() },
    });
    const error = await env
      .submit({ backend: { kind: 'threads', workers: 2 }, autostop: true })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(PlanMismatchError).and.instanceOf(JobFailedError);
    expect((error as PlanMismatchError).worker).to.match(/^worker [01]$/);
    expect((error as Error).message)
      .to.include('Job random: worker')
      .and.include('built a different plan');
  });

  it('a worker that dies (process.exit in user code) fails the job', async () => {
    const env = await LocalEnvironment.fromModule(MISBEHAVING, {
      export: 'exits',
      config: { jobManager: new JobManager() },
    });
    const error = await env
      .submit({ backend: { kind: 'threads', workers: 2 }, autostop: true })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(JobFailedError);
    expect((error as Error).message).to.include('exited with code 3');
  });

  it('runs a job with a feedback loop and a service on 2 threads: the in-process output', async () => {
    const jm = new JobManager();
    const outputOf = async (submit: Parameters<LocalEnvironment['submit']>[0]): Promise<number[]> => {
      const env = await LocalEnvironment.fromModule(LOOPING, {
        args: { seeds: 20 },
        config: { jobManager: jm, logLevel: 'silent' },
      });
      const snapshot = await jm.snapshotJob(await env.submit({ ...submit, autostop: true }));
      return (snapshot.operators.keep ?? [])
        .flatMap((i) => (i.fields as { out?: number[] } | undefined)?.out ?? [])
        .sort((a, b) => a - b);
    };
    const threaded = await outputOf({ backend: { kind: 'threads', workers: 2 } });
    expect(threaded).to.have.length(200);
    expect(threaded).to.deep.equal(await outputOf(undefined));
  });

  it('a savepoint of a job on 2 threads restores in-process and on 3 threads at another parallelism', async () => {
    const jm = new JobManager();
    const args = { n: 40_000, keys: 13, sources: 2, parallelism: 2, work: 300 };
    const expected = await countsOf(jm, CHECKPOINTED, args, undefined);
    const env = await LocalEnvironment.fromModule(CHECKPOINTED, { args, config: { jobManager: jm } });
    const idle = threadPool.size;
    const uuid = await env.submit({ backend: { kind: 'threads', workers: 2 } });
    await waitFor(() => (jm.getJobStatus(uuid) as JobStatus).operators.some((o) => o.in > 100), {
      what: 'records through the job',
      timeoutMs: 15_000,
    });
    const savepoint = JSON.parse(JSON.stringify(await jm.stopJob(uuid, { savepoint: true }))) as JobSnapshot;
    expect(savepoint.checkpointId).to.equal(1);
    expect((jm.getJobStatus(uuid) as JobStatus).status).to.equal('stopped');
    // The stopped job's threads ended their shards and wait for the next job.
    await waitFor(() => threadPool.size === Math.min(threadPool.maxIdle, Math.max(idle, 2)), {
      what: "the stopped job's threads back in the pool",
      timeoutMs: 5000,
    });
    const inProcess = await countsOf(jm, CHECKPOINTED, { ...args, parallelism: 3 }, { restore: savepoint });
    expect(inProcess).to.deep.equal(expected);
    const threads = await countsOf(
      jm,
      CHECKPOINTED,
      { ...args, parallelism: 1 },
      { restore: savepoint, backend: { kind: 'threads', workers: 3 } },
    );
    expect(threads).to.deep.equal(expected);
  });

  it('a worker that dies restarts the job from its latest checkpoint: every count exact', async function () {
    // The second run starts one new thread in place of the one that died.
    this.timeout(30_000);
    const flag = join(mkdtempSync(join(tmpdir(), 'sage-threads-')), 'died');
    const jm = new JobManager();
    const args = { n: 60_000, keys: 11, sources: 2, parallelism: 2, work: 300 };
    const expected = await countsOf(jm, CHECKPOINTED, args, undefined);
    const env = await LocalEnvironment.fromModule(CHECKPOINTED, {
      args: { ...args, checkpointMs: 20, dieOnce: flag },
      config: { jobManager: jm, logLevel: 'silent' },
    });
    const uuid = await env.submit({ backend: { kind: 'threads', workers: 2 }, autostop: true });
    const status = jm.getJobStatus(uuid) as JobStatus;
    expect(existsSync(flag)).to.equal(true);
    expect([status.status, status.restarts]).to.deep.equal(['completed', 1]);
    expect(status.checkpoints.completed).to.be.greaterThan(0);
    expect(countsIn(await jm.snapshotJob(uuid))).to.deep.equal(expected);
  });
});

/** Runs the module to completion and returns its keyed counts and sums by key. */
async function countsOf(
  jm: JobManager,
  module: URL,
  args: Record<string, number>,
  submit: Parameters<LocalEnvironment['submit']>[0],
): Promise<string[]> {
  const env = await LocalEnvironment.fromModule(module, {
    args,
    config: { jobManager: jm, logLevel: 'silent' },
  });
  const uuid = await env.submit({ ...submit, autostop: true });
  return countsIn(await jm.snapshotJob(uuid));
}

/** The keyed state of operator `count` of a snapshot, as sorted `key state value` lines. */
function countsIn(snapshot: JobSnapshot): string[] {
  const out: string[] = [];
  for (const instance of snapshot.operators.count ?? []) {
    for (const states of Object.values(instance.keyed ?? {})) {
      for (const [name, column] of Object.entries(states)) {
        column.keys.forEach((key, i) => {
          out.push(`${JSON.stringify(key)} ${name} ${JSON.stringify(column.values[i])}`);
        });
      }
    }
  }
  return out.sort();
}
