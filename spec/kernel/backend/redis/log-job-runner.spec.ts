import { expect } from 'chai';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { BackendUnavailableError } from '../../../../src/errors/backend-unavailable-error.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import { MemoryLog } from '../../../../src/kernel/backend/redis/memory-log.js';
import type { JobStatus } from '../../../../src/kernel/jobmanager/job-status.js';
import { byKey, drive, harness, model, outputs, submitCounted } from './log-job-harness.js';

function status(jm: JobManager, uuid: string): JobStatus {
  const s = jm.getJobStatus(uuid);
  if (s.status === 'not_found') throw new Error(`job ${uuid} not found`);
  return s;
}

describe('Redis backend steered by a JobManager (MemoryLog)', () => {
  it('refuses an inline job with BackendUnavailableError', async () => {
    const jm = new JobManager({ connectLog: () => Promise.resolve(new MemoryLog()) });
    const env = new LocalEnvironment('inline', { jobManager: jm });
    env.fromBatch([1, 2]).sink(() => undefined);
    let error: unknown;
    try {
      await env.submit({ backend: { kind: 'redis', url: 'redis://memory' } });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(BackendUnavailableError);
    expect((error as Error).message)
      .to.match(/redis/)
      .and.match(/fromModule/);
  });

  it('registers the job, runs it on the workers and reports backend, workers, owners, counts and completion', async () => {
    const h = harness(2);
    const args = { n: 240, keys: 6, parallelism: 2, out: 'out', everyMs: 3 };
    const uuid = await submitCounted(h, args);
    await drive(h.workers, async () => (await h.log.jobs()).length === 1, 'the job record');
    expect((await h.log.jobs())[0]?.id).to.equal(uuid);
    // Held mid-stream, every unfinished task keeps its owner: the status must show them.
    await drive(h.workers, () => h.log.entries('out').length >= 8, 'some output');
    h.jm.pauseJob(uuid);
    await drive(
      h.workers,
      () => {
        const s = status(h.jm, uuid);
        return (
          s.backend === 'redis' &&
          (s.workers ?? []).length === 2 &&
          (s.tasks ?? []).every((t) => t.done || t.owner !== undefined)
        );
      },
      'both workers and the owner of every unfinished task in the status',
    );
    const held = status(h.jm, uuid);
    const ids = h.workers.map((w) => w.id);
    const owners = new Map((held.tasks ?? []).map((t) => [t.name, t.owner]));
    for (const w of h.workers) for (const t of w.tasks) expect(owners.get(t)).to.equal(w.id);
    expect(held.workers?.map((w) => w.id)).to.deep.equal([...ids].sort());
    for (const w of held.workers ?? []) {
      const [host, pid] = String(w.id).split(':');
      expect(w).to.include({ host, pid: Number(pid) });
    }
    expect(held.queued).to.equal((held.tasks ?? []).reduce((n, t) => n + t.lag, 0));
    h.jm.continueJob(uuid);
    await drive(h.workers, () => status(h.jm, uuid).status === 'completed', 'completion');
    expect(byKey(outputs(h.log, 'out'))).to.deep.equal(byKey(model(args)));
    const done = status(h.jm, uuid);
    const tasks = done.tasks ?? [];
    expect(tasks.map((t) => t.task)).to.deep.equal(['src#0', 'count#0', 'count#1']);
    expect(tasks.every((t) => t.done && t.lag === 0)).to.equal(true);
    expect(tasks[0]?.recordsOut).to.equal(args.n);
    expect((tasks[1]?.recordsIn ?? 0) + (tasks[2]?.recordsIn ?? 0)).to.equal(args.n);
    expect((tasks[1]?.recordsOut ?? 0) + (tasks[2]?.recordsOut ?? 0)).to.equal(args.n);
    for (const w of h.workers) await w.stop();
  });

  it('pause holds every task within a tick (no output, no commit), continue finishes exactly', async () => {
    const h = harness(2);
    const args = { n: 400, keys: 5, parallelism: 2, out: 'out', everyMs: 3 };
    const uuid = await submitCounted(h, args);
    await drive(h.workers, () => h.log.entries('out').length >= 20, 'some output');
    h.jm.pauseJob(uuid);
    expect(status(h.jm, uuid).status).to.equal('paused');
    await drive(h.workers, async () => (await h.log.controls()).get(uuid) === 'paused', 'the paused flag');
    for (const w of h.workers) await w.tick();
    const held = h.log.entries('out').length;
    const progress = JSON.stringify(
      await Promise.all(['0', '1', '2'].map((i) => h.log.progress(`${uuid}:${i}:0`))),
    );
    for (let i = 0; i < 30; i++) {
      for (const w of h.workers) await w.tick();
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(h.log.entries('out').length).to.equal(held);
    expect(
      JSON.stringify(await Promise.all(['0', '1', '2'].map((i) => h.log.progress(`${uuid}:${i}:0`)))),
    ).to.equal(progress);
    expect(held).to.be.below(args.n);
    h.jm.continueJob(uuid);
    await drive(h.workers, () => status(h.jm, uuid).status === 'completed', 'completion after continue');
    expect(byKey(outputs(h.log, 'out'))).to.deep.equal(byKey(model(args)));
    for (const w of h.workers) await w.stop();
  });

  it('stop releases every task and the job ends stopped', async () => {
    const h = harness(2);
    const args = { n: 400, keys: 5, parallelism: 2, out: 'out', everyMs: 3 };
    const uuid = await submitCounted(h, args);
    await drive(h.workers, () => h.log.entries('out').length >= 20, 'some output');
    h.jm.stopJob(uuid);
    expect(status(h.jm, uuid).status).to.equal('stopped');
    await drive(
      h.workers,
      async () =>
        (await h.log.controls()).get(uuid) === 'stopped' && h.workers.every((w) => w.tasks.length === 0),
      'the workers to release the tasks',
    );
    const leases = await Promise.all(['0:0', '1:0', '1:1'].map((t) => h.log.progress(`${uuid}:${t}`)));
    expect(leases.map((p) => p.lease)).to.deep.equal([undefined, undefined, undefined]);
    const held = h.log.entries('out').length;
    for (const w of h.workers) await w.tick();
    expect(h.log.entries('out').length).to.equal(held);
    for (const w of h.workers) await w.stop();
  });
});
