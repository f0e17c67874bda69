import { expect } from 'chai';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import {
  JobManagerMetricsSource,
  LATENCY_BUCKETS_SECONDS,
} from '../../../../src/kernel/jobmanager/http/job-manager-metrics-source.js';
import type { JobRunner } from '../../../../src/kernel/runtime/job-runner.js';
import { OperatorMetrics } from '../../../../src/kernel/runtime/metrics/operator-metrics.js';
import { waitFor } from '../../../helpers/wait-for.js';

class Echo {
  process(x: number): number {
    return x;
  }
}

describe('JobManagerMetricsSource', () => {
  it('labels each instance with its vertex and index, counts no records in for a source, zeros the rest', async () => {
    const jm = new JobManager();
    const env = new LocalEnvironment('metrics', { jobManager: jm });
    env.registerService('echo', Echo);
    env
      .fromBatch([1, 2, 3, 4, 5, 6, 7, 8], { name: 'nums' })
      .filter((x) => x !== 3, { name: 'not3' })
      .keyBy((x) => x % 2, { name: 'parity' })
      .map((x) => x * 10, { name: 'times', parallelism: 2 })
      .sink(() => undefined, { name: 'out' });
    const uuid = await env.submit({ autostop: true });
    const job = new JobManagerMetricsSource(jm).job(uuid);
    if (job === undefined) throw new Error('the job is unknown to the source');
    expect(job).to.include({ job: uuid, jobName: 'metrics', status: 'completed', restarts: 0 });
    expect(job.checkpoints).to.deep.equal({ count: 0, failed: 0, lastDurationMs: 0, lastSizeBytes: 0 });
    expect(job.recentErrors).to.deep.equal([]);
    const places = job.instances.map((i) => `${i.operator}@${i.vertex}#${i.instance}`);
    expect(places).to.deep.equal(['nums@0#0', 'not3@0#0', 'parity@0#0', 'times@1#0', 'times@1#1', 'out@2#0']);
    const nums = job.instances[0];
    expect(nums).to.include({ source: true, in: 0, out: 8 });
    expect(job.instances.find((i) => i.operator === 'not3')).to.include({
      source: false,
      in: 8,
      out: 7,
      filtered: 1,
    });
    const times = job.instances.filter((i) => i.operator === 'times');
    expect(times.reduce((n, i) => n + i.in, 0)).to.equal(7);
    for (const i of job.instances)
      expect(i).to.include({ queueLength: 0, backpressureRatio: 0, inFlight: 0 });
    expect(job.services.map((s) => s.service)).to.deep.equal(['echo']);
    expect(job.services[0]?.latency).to.deep.equal({
      bucketsSeconds: LATENCY_BUCKETS_SECONDS,
      counts: LATENCY_BUCKETS_SECONDS.map(() => 0),
      count: 0,
      sumSeconds: 0,
    });
  });

  it('lists every job in submit order and answers undefined for an unknown one', async () => {
    const jm = new JobManager();
    const uuids = [];
    for (const name of ['a', 'b']) {
      const env = new LocalEnvironment(name, { jobManager: jm });
      env.fromBatch([1]).sink(() => undefined);
      uuids.push(await env.submit({ autostop: true }));
    }
    const source = new JobManagerMetricsSource(jm);
    expect(source.jobs().map((j) => j.job)).to.deep.equal(uuids);
    expect(source.job('nope')).to.equal(undefined);
  });

  it('numbers instances by order of appearance when a runner lists them in another order than the plan', () => {
    const counters = ['sink', 'map', 'src', 'map'].map((name) => new OperatorMetrics(name));
    const runner: JobRunner = {
      state: 'running',
      error: undefined,
      onEnd: () => undefined,
      start: () => undefined,
      pause: () => undefined,
      resume: () => undefined,
      stop: () => undefined,
      metrics: () => counters,
      queued: () => 0,
      snapshot: () => {
        throw new Error('not used by the metrics source');
      },
    };
    const jm = new JobManager({ backend: () => runner });
    const env = new LocalEnvironment('odd', { jobManager: jm });
    env
      .fromBatch([1], { name: 'src' })
      .map((x) => x, { name: 'map', parallelism: 2 })
      .sink(() => undefined, { name: 'sink' });
    const uuid = jm.startJob(env).uuid;
    const job = new JobManagerMetricsSource(jm).job(uuid);
    expect(job?.instances.map((i) => `${i.operator}#${i.instance}:${String(i.source)}`)).to.deep.equal([
      'sink#0:false',
      'map#0:false',
      'src#0:true',
      'map#1:false',
    ]);
  });

  it('reads async calls in flight, queue lengths, service histograms and the latest record errors of a job', async () => {
    const jm = new JobManager();
    const env = new LocalEnvironment('live', { jobManager: jm, logLevel: 'silent' });
    env.registerService('echo', Echo);
    const waiting: (() => void)[] = [];
    let n = 0;
    env
      .fromSource(() => (n < 3 ? ++n : undefined), { name: 'nums', delay: 1 })
      .map(
        async function (this: { callService: (name: string, x: number) => Promise<number> }, x: number) {
          if (x === 2) throw new Error('two is bad');
          return this.callService('echo', x);
        },
        { name: 'ask', parallelism: 2 },
      )
      .map(
        (x: number) =>
          new Promise<number>((resolve) => {
            waiting.push(() => {
              resolve(x);
            });
          }),
        { name: 'hold' },
      )
      .sink(() => undefined, { name: 'out' });
    await env.submit();
    const source = new JobManagerMetricsSource(jm);
    const uuid = env.jobId as string;
    const holdOf = () => source.job(uuid)?.instances.find((i) => i.operator === 'hold');
    try {
      await waitFor(() => waiting.length === 1 && holdOf()?.queueLength === 1, {
        what: 'one call held, one record queued behind it',
      });
      const job = source.job(uuid);
      if (job === undefined) throw new Error('the job is unknown to the source');
      expect(holdOf()).to.include({ inFlight: 1, queueLength: 1 });
      expect(job.recentErrors.map((e) => ({ ...e, time: typeof e.time }))).to.deep.equal([
        { time: 'string', operator: 'ask', instance: 1, message: 'two is bad' },
      ]);
      const echo = job.services[0];
      expect(echo?.latency.count).to.equal(2);
      expect(echo?.latency.counts.at(-1)).to.be.at.most(2);
      expect(echo?.batchSizes.count).to.equal(0);
      await waitFor(
        () => {
          waiting.shift()?.();
          return holdOf()?.out === 2 && source.job(uuid)?.instances.every((x) => x.inFlight === 0) === true;
        },
        { what: 'every call settled' },
      );
    } finally {
      env.stop();
    }
  });
});
