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

  it("create an instance's logger only when its function first uses it, and never keep one made after the end", async () => {
    const jm = new JobManager();
    const env = new LocalEnvironment('lazy-loggers', { jobManager: jm, logLevel: 'silent' });
    let during: string[] = [];
    let late: (() => void) | undefined;
    env
      .fromBatch([1, 2])
      .map(function (this: { logger: { info(...a: unknown[]): void } }, x) {
        this.logger.info('seen', x);
        return x;
      })
      .filter(() => true)
      .sink(function (this: { ctx: { jobId: string; logger: { info(...a: unknown[]): void } } }) {
        const id = this.ctx.jobId;
        during = Object.keys(log.getLoggers()).filter((n) => n.includes(id));
        const ctx = this.ctx;
        late = () => {
          ctx.logger.info('after the end');
        };
      });
    const uuid = await env.submit({ autostop: true });
    expect(during.sort()).to.deep.equal([
      `sage-kernel:lazy-loggers:${uuid}`,
      `sage-kernel:lazy-loggers:${uuid}:map#0`,
    ]);
    late?.();
    expect(Object.keys(log.getLoggers()).filter((n) => n.includes(uuid))).to.deep.equal([]);
  });
});
