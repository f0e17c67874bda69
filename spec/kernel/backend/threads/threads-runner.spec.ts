import { expect } from 'chai';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { BackendUnavailableError } from '../../../../src/errors/backend-unavailable-error.js';
import { JobFailedError } from '../../../../src/errors/job-failed-error.js';
import { PlanMismatchError } from '../../../../src/errors/plan-mismatch-error.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import type { JobStatus } from '../../../../src/kernel/jobmanager/job-status.js';

const KEYED_SUM = new URL('../../../fixtures/jobs/keyed-sum.ts', import.meta.url);
const MISBEHAVING = new URL('../../../fixtures/jobs/misbehaving.ts', import.meta.url);

describe('threads backend (real worker threads)', function () {
  // Two worker threads import the engine from source under tsx: 1–4 s on a loaded 2-core machine.
  this.timeout(20_000);

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
    expect(error).to.be.instanceOf(JobFailedError);
    expect((error as JobFailedError).cause).to.be.instanceOf(PlanMismatchError);
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

  it('refuses what it cannot do yet: a restore and checkpointing', async () => {
    const jm = new JobManager();
    const env = await LocalEnvironment.fromModule(KEYED_SUM, { config: { jobManager: jm } });
    const restore = { job: 'x', takenAt: '', maxParallelism: 128, operators: {} };
    const refused = await env
      .submit({ backend: { kind: 'threads', workers: 2 }, restore })
      .catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(BackendUnavailableError);
    expect((refused as Error).message).to.include('not supported yet');
    env.enableCheckpointing(1000);
    const checkpointed = await env
      .submit({ backend: { kind: 'threads', workers: 2 } })
      .catch((e: unknown) => e);
    expect(checkpointed).to.be.instanceOf(BackendUnavailableError);
  });
});
