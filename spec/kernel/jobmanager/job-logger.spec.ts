import { expect } from 'chai';
import log from 'loglevel';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';

describe('job loggers', () => {
  it('are released when their job ends: a long-lived process does not keep one per job name', async () => {
    const jm = new JobManager();
    const before = Object.keys(log.getLoggers()).length;
    for (let i = 0; i < 50; i++) {
      const env = new LocalEnvironment(`distinct-name-${String(i)}`, { jobManager: jm, logLevel: 'silent' });
      env
        .fromBatch([1, 2])
        .map((x) => x + 1)
        .sink(() => undefined);
      await env.submit({ autostop: true });
    }
    const names = Object.keys(log.getLoggers()).filter((n) => n.includes('distinct-name-'));
    expect(names).to.deep.equal([]);
    expect(Object.keys(log.getLoggers()).length).to.be.at.most(before + 2);
  });
});
