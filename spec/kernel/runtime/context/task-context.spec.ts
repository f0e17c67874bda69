import { expect } from 'chai';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';

describe('TaskContext', () => {
  it('gives functions their identity, the environment config (unknown keys kept) and the current key', async () => {
    const seen: unknown[] = [];
    class Probe extends MapFunction<number, number> {
      execute(x: number): number {
        seen.push({
          name: this.ctx.name,
          index: this.ctx.parallelIndex,
          parallelism: this.ctx.parallelism,
          env: this.ctx.envName,
          threshold: this.ctx.config.threshold,
          key: this.ctx.getKey(),
          input: this.ctx.getInputIndex(),
          job: typeof this.ctx.jobId,
        });
        return x;
      }
    }
    const env = new LocalEnvironment('ctx-env', {
      jobManager: new JobManager(),
      logLevel: 'silent',
      threshold: 7,
    });
    env
      .fromBatch([1])
      .keyBy((x) => `k${String(x)}`)
      .map(Probe, { name: 'probe' })
      .sink(() => undefined);
    await env.submit({ autostop: true });
    expect(seen).to.deep.equal([
      {
        name: 'probe_0',
        index: 0,
        parallelism: 1,
        env: 'ctx-env',
        threshold: 7,
        key: 'k1',
        input: 0,
        job: 'string',
      },
    ]);
  });
});
