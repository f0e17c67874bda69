import { expect } from 'chai';
import { adoptLogJobs } from '../../../src/kernel/jobmanager/adopt-log-jobs.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';
import { byKey, drive, harness, model, outputs, submitCounted } from '../backend/redis/log-job-harness.js';

describe('adoptLogJobs (a JobManager restart under the Redis backend)', () => {
  it('a new JobManager on the same log lists the jobs with their state and steers them', async () => {
    const h = harness(2);
    const args = { n: 400, keys: 5, parallelism: 2, out: 'out', everyMs: 3 };
    const uuid = await submitCounted(h, args);
    await drive(h.workers, () => h.log.entries('out').length >= 8, 'some output');
    h.jm.pauseJob(uuid);
    await drive(h.workers, async () => (await h.log.controls()).get(uuid) === 'paused', 'the paused flag');

    const second = new JobManager();
    const adopted = await adoptLogJobs(second, h.log, { pollMs: 20 });
    expect(adopted.map((j) => j.uuid)).to.deep.equal([uuid]);
    const listed = second.listJobs();
    expect(listed.map((j) => [j.uuid, j.name, j.status, j.backend])).to.deep.equal([
      [uuid, 'counted-batch', 'paused', 'redis'],
    ]);
    expect(listed[0]?.plan.map((v) => v.operators)).to.deep.equal([
      ['src', 'keyBy'],
      ['count', 'out'],
    ]);
    expect(await adoptLogJobs(second, h.log)).to.deep.equal([]);
    const third = new JobManager();
    expect(await adoptLogJobs(third, h.log, { skip: (id) => id === uuid })).to.deep.equal([]);
    expect(third.listJobs()).to.deep.equal([]);

    second.continueJob(uuid);
    await drive(h.workers, () => second.getJobStatus(uuid).status === 'completed', 'completion');
    expect(byKey(outputs(h.log, 'out'))).to.deep.equal(byKey(model(args)));
    const status = second.getJobStatus(uuid);
    expect(status.status === 'completed' && status.tasks?.every((t) => t.done)).to.equal(true);
    for (const w of h.workers) await w.stop();
  });

  it('sees a job stopped by another JobManager as stopped', async () => {
    const h = harness(1);
    const uuid = await submitCounted(h, { n: 400, keys: 5, parallelism: 2, out: 'out', everyMs: 3 });
    await drive(h.workers, () => h.log.entries('out').length >= 4, 'some output');
    h.jm.stopJob(uuid);
    await drive(h.workers, async () => (await h.log.controls()).get(uuid) === 'stopped', 'the stopped flag');
    const second = new JobManager();
    await adoptLogJobs(second, h.log);
    expect(second.getJobStatus(uuid).status).to.equal('stopped');
    for (const w of h.workers) await w.stop();
  });
});
