import { expect } from 'chai';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobFailedError } from '../../../../src/errors/job-failed-error.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import type { JobStatus } from '../../../../src/kernel/jobmanager/job-status.js';
import type { RestartStrategy } from '../../../../src/kernel/runtime/restart/restart-strategy.js';

/** A map whose constructor throws: the job's start fails. */
class Unbuildable extends MapFunction<number, number> {
  constructor() {
    super();
    throw new Error('cannot connect');
  }

  execute(x: number): number {
    return x;
  }
}

describe('RestartingRunner', () => {
  const strategies: readonly (RestartStrategy | undefined)[] = [
    undefined, // with checkpointing: exponential-delay without an attempt limit
    { kind: 'fixed-delay', attempts: 3, delayMs: 0 },
  ];
  for (const strategy of strategies) {
    it(`a job whose start throws ends failed at once, with no restart (${strategy?.kind ?? 'default'} strategy)`, async () => {
      const jm = new JobManager();
      const env = new LocalEnvironment('unbuildable', { jobManager: jm, logLevel: 'silent' });
      env.enableCheckpointing(10);
      if (strategy !== undefined) env.setRestartStrategy(strategy);
      env
        .fromBatch([1, 2])
        .map(Unbuildable)
        .sink(() => undefined);

      let error: unknown;
      await env.submit({ autostop: true }).catch((e: unknown) => (error = e));

      expect(error).to.be.instanceOf(JobFailedError);
      const [job] = jm.listJobs();
      const status = jm.getJobStatus(job?.uuid ?? '') as JobStatus;
      expect(status.status).to.equal('failed');
      expect(status.restarts).to.equal(0);
      // No restart is pending: a later look finds the same.
      await new Promise((resolve) => setImmediate(resolve));
      expect((jm.getJobStatus(status.uuid) as JobStatus).status).to.equal('failed');
    });
  }
});
