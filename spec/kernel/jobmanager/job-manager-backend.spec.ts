import { expect } from 'chai';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';
import { Dispatcher } from '../../../src/kernel/runtime/dispatcher.js';
import type { ExecutionBackend } from '../../../src/kernel/runtime/job-runner.js';

describe('JobManager execution backend seam', () => {
  it('runs every job through the backend it was given, with the compiled plan', async () => {
    const plans: number[] = [];
    const backend: ExecutionBackend = (plan, options) => {
      plans.push(plan.vertices.length);
      return new Dispatcher(plan, options);
    };
    const jm = new JobManager({ backend });
    const env = new LocalEnvironment('seam', { jobManager: jm, logLevel: 'silent' });
    const out: number[] = [];
    env
      .fromBatch([1, 2, 3])
      .map((x) => x + 1, { parallelism: 2 })
      .sink((x) => {
        out.push(x);
      });
    const uuid = await env.submit({ autostop: true });
    expect(plans).to.deep.equal([3], 'source, map ×2, sink');
    expect([...out].sort()).to.deep.equal([2, 3, 4]);
    expect(jm.getJobStatus(uuid).status).to.equal('completed');
  });

  it('still accepts a number as maxFinishedJobs', async () => {
    const jm = new JobManager(1);
    for (let i = 0; i < 3; i++) {
      const env = new LocalEnvironment(`keep-${String(i)}`, { jobManager: jm, logLevel: 'silent' });
      env.fromBatch([i]).sink(() => undefined);
      await env.submit({ autostop: true });
    }
    expect(jm.listJobs().map((j) => j.name)).to.deep.equal(['keep-2']);
  });
});
