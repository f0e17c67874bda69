import { expect } from 'chai';
import log from 'loglevel';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';

function environment(name: string): LocalEnvironment {
  log.getLogger(`sage-kernel:${name}`).setLevel('silent');
  return new LocalEnvironment(name, { jobManager: new JobManager(), logLevel: 'silent' });
}

describe('pipeline services', () => {
  it('lets one pipeline call another with callService: request in at its source, reply out at its sink', async () => {
    const env = environment('caller');
    env.registerPipelineService<string, string>('shout', (requests) =>
      requests
        .map(({ id, payload }) => ({ id, payload: payload.toUpperCase() }))
        .map(({ id, payload }) => ({ id, payload: `${payload}!` })),
    );
    const out: string[] = [];
    env
      .fromBatch(['hi', 'there'])
      .map(async function (this: MapFunction<string, string>, s: string) {
        return this.callService<string>('shout', s);
      })
      .sink((s) => {
        out.push(s);
      });
    const uuid = await env.submit({ autostop: true });
    expect(out).to.deep.equal(['HI!', 'THERE!']);
    const jobs = env.jobManager.listJobs();
    expect(jobs.map((j) => [j.name, j.status])).to.deep.include.members([
      ['caller', 'completed'],
      ['caller/shout', 'completed'],
    ]);
    const status = env.jobManager.getJobStatus(uuid);
    expect(status.status === 'completed' && status.services[0]).to.include({
      service: 'shout',
      calls: 2,
      replies: 2,
    });
  });

  it('matches replies by correlation id even when the pipeline reorders them (parallelism 4)', async () => {
    const env = environment('reorder');
    env.registerPipelineService<number, number>(
      'square',
      (requests) =>
        requests
          .keyBy((r) => r.payload % 4)
          .map(
            async ({ id, payload }) => {
              await new Promise((resolve) => setTimeout(resolve, (7 - payload) % 4));
              return { id, payload: payload * payload };
            },
            { parallelism: 4 },
          ),
      { concurrency: 8 },
    );
    const out: [number, number][] = [];
    env
      .fromBatch([1, 2, 3, 4, 5, 6, 7, 8])
      .map(
        async function (this: MapFunction<number, [number, number]>, x: number) {
          return [x, await this.callService<number>('square', x)] as [number, number];
        },
        { parallelism: 4 },
      )
      .sink((pair) => {
        out.push(pair);
      });
    await env.submit({ autostop: true });
    expect(out.sort((a, b) => a[0] - b[0])).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8].map((x) => [x, x * x]));
  });

  it("lets the served pipeline call the caller's services", async () => {
    class Prefix {
      process(s: string) {
        return `doc:${s}`;
      }
    }
    const env = environment('nested');
    env.registerService('prefix', Prefix);
    env.registerPipelineService<string, string>('lookup', (requests) =>
      requests.map(async function (this: MapFunction<unknown, unknown>, r: { id: number; payload: string }) {
        return { id: r.id, payload: await this.callService<string>('prefix', r.payload) };
      }),
    );
    const out: string[] = [];
    env
      .fromBatch(['a'])
      .map(async function (this: MapFunction<string, string>, s: string) {
        return this.callService<string>('lookup', s);
      })
      .sink((s) => {
        out.push(s);
      });
    await env.submit({ autostop: true });
    expect(out).to.deep.equal(['doc:a']);
  });

  it('keeps the served pipeline out of the main plan, and refuses a builder that returns no stream', () => {
    const env = environment('plan');
    const before = env.pipeline.length;
    const factory = env.registerPipelineService<number, number>('id', (r) => r);
    expect(env.pipeline.length).to.equal(before);
    expect(factory.pipeline.length).to.equal(2);
    expect(() => env.registerPipelineService('bad', () => 42 as never)).to.throw(TypeError, /reply stream/);
    expect(env.pipeline.length).to.equal(before);
  });
});
