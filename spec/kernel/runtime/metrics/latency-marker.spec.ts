import { expect } from 'chai';
import { delay, of, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobManagerMetricsSource } from '../../../../src/kernel/jobmanager/http/job-manager-metrics-source.js';
import type { JobMetrics } from '../../../../src/kernel/jobmanager/http/metrics-source.js';
import { renderPrometheus } from '../../../../src/kernel/jobmanager/http/prometheus-exposition.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import type { OperatorMetrics } from '../../../../src/kernel/runtime/metrics/operator-metrics.js';

/** Runs a job that reads one record per ms and spends 3 ms per record in `slow`, for 200 ms of virtual time. */
function run(config: Record<string, unknown>): { metrics: OperatorMetrics[]; job: JobMetrics | undefined } {
  const scheduler = new VirtualTimeScheduler(VirtualAction, 200);
  const jm = new JobManager();
  const env = new LocalEnvironment('markers', { jobManager: jm, scheduler, ...config });
  let n = 0;
  env
    .fromSource(() => (n++ % 2 === 0 ? n : undefined), { name: 'nums', delay: 1 })
    .map((x: number) => of(x).pipe(delay(3, scheduler)), { name: 'slow', parallelism: 2 })
    .map((x: number) => x, { name: 'again', parallelism: 3 })
    .sink(() => undefined, { name: 'out', parallelism: 3 });
  void env.submit();
  scheduler.flush();
  const metrics = jm.getJob(env.jobId as string)?.dispatcher.metrics() ?? [];
  const job = new JobManagerMetricsSource(jm).job(env.jobId as string);
  env.stop();
  return { metrics, job };
}

describe('latency markers (config latencyTrackingIntervalMs)', () => {
  it('travel from every source instance to every sink instance behind the records, which record their age', () => {
    const { metrics } = run({ latencyTrackingIntervalMs: 10 });
    const sinks = metrics.filter((m) => m.operator === 'out');
    expect(sinks).to.have.length(3);
    for (const sink of sinks) {
      const seen = sink.latency?.snapshot();
      expect(seen?.count).to.be.greaterThan(5);
      // records queue up in `slow` (3 ms each, one every 2 ms), so markers waited behind them
      expect(seen?.sum).to.be.greaterThan(0);
    }
    for (const m of metrics.filter((x) => x.operator !== 'out')) expect(m.latency).to.equal(undefined);
  });

  it('are not sent without the option (sinks keep an empty histogram)', () => {
    const sinks = run({}).metrics.filter((m) => m.operator === 'out');
    for (const sink of sinks) expect(sink.latency?.snapshot().count).to.equal(0);
  });

  it('are exposed per sink instance by the metrics source and as sage_latency_seconds', async () => {
    const { job } = run({ latencyTrackingIntervalMs: 10 });
    if (job === undefined) throw new Error('the job is unknown to the source');
    const sinks = job.instances.filter((i) => i.operator === 'out');
    for (const i of sinks) expect(i.endToEndLatency?.count).to.be.greaterThan(5);
    expect(job.instances.filter((i) => i.endToEndLatency !== undefined)).to.deep.equal(sinks);
    const text = await renderPrometheus([job]);
    expect(text).to.match(/^sage_latency_seconds_count\{[^}]*operator="out",instance="2"\} [1-9]\d*$/m);
  });
});
