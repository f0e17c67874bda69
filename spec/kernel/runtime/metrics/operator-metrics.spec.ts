import { expect } from 'chai';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import type { OperatorMetrics } from '../../../../src/kernel/runtime/metrics/operator-metrics.js';
import { RECENT_ERRORS } from '../../../../src/kernel/runtime/metrics/record-error.js';
import { waitFor, within } from '../../../helpers/wait-for.js';

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function metricsOf(jm: JobManager, env: LocalEnvironment): OperatorMetrics[] {
  return jm.getJob(env.jobId as string)?.dispatcher.metrics() ?? [];
}

function one(all: readonly OperatorMetrics[], operator: string, instance = 0): OperatorMetrics {
  const m = all.find((x) => x.operator === operator && x.instance === instance);
  if (m === undefined) throw new Error(`no metrics for ${operator}#${String(instance)}`);
  return m;
}

describe('OperatorMetrics of a running job (gauges and recent errors)', () => {
  let jm: JobManager;

  beforeEach(() => {
    jm = new JobManager();
  });

  it('labels every operator with its plan vertex and instance', async () => {
    const env = new LocalEnvironment('places', { jobManager: jm });
    env
      .fromBatch([1, 2, 3], { name: 'nums' })
      .map((x) => x, { name: 'same' })
      .sink(() => undefined, { name: 'out', parallelism: 2 });
    await within(env.submit({ autostop: true }), 3000, 'the job to complete');
    const places = metricsOf(jm, env).map((m) => `${m.operator}@${String(m.vertex)}#${String(m.instance)}`);
    expect(places).to.deep.equal(['nums@0#0', 'same@0#0', 'out@1#0', 'out@1#1']);
  });

  it('accumulates the time an upstream instance is pressed by a slow sink', async () => {
    const env = new LocalEnvironment('pressed', { jobManager: jm, highWaterMark: 4 });
    env
      .fromBatch(
        Array.from({ length: 60 }, (_, i) => i),
        { name: 'nums' },
      )
      .sink(() => tick(1), { name: 'slow', parallelism: 2 });
    await within(env.submit({ autostop: true }), 5000, 'the job to complete');
    const all = metricsOf(jm, env);
    const source = one(all, 'nums').probe;
    expect(source?.pressedMs()).to.be.greaterThan(0);
    const sink = one(all, 'slow').probe;
    expect(sink?.pressedMs()).to.equal(0);
  });

  it('counts async calls in flight and shows the queue waiting behind them', async () => {
    const waiting: (() => void)[] = [];
    const seen: number[] = [];
    let n = 0;
    const env = new LocalEnvironment('inflight', { jobManager: jm });
    env
      .fromSource(() => (n < 4 ? ++n : undefined), { name: 'nums', delay: 1 })
      .map(
        (x) =>
          new Promise<number>((resolve) => {
            waiting.push(() => {
              resolve(x);
            });
          }),
        { name: 'slow', parallelism: 2 },
      )
      .sink((x) => void seen.push(x), { name: 'out' });
    await env.submit();
    await waitFor(() => waiting.length === 2 && n === 4, { what: 'two calls started, four records read' });
    const all = metricsOf(jm, env);
    expect(all.filter((m) => m.operator === 'slow').map((m) => m.inFlight)).to.deep.equal([1, 1]);
    expect(all.filter((m) => m.operator === 'slow').map((m) => m.probe?.queued)).to.deep.equal([1, 1]);
    expect(one(all, 'out').inFlight).to.equal(0);
    await waitFor(
      () => {
        waiting.shift()?.();
        return seen.length === 4;
      },
      { what: 'every record at the sink' },
    );
    expect(metricsOf(jm, env).map((m) => m.inFlight)).to.deep.equal([0, 0, 0, 0]);
    expect(metricsOf(jm, env).map((m) => m.probe?.queued)).to.deep.equal([0, 0, 0, 0]);
    env.stop();
  });

  it(`keeps the latest ${String(RECENT_ERRORS)} errors of an instance with their time, oldest first`, async () => {
    const env = new LocalEnvironment('errors', { jobManager: jm, logLevel: 'silent' });
    const total = RECENT_ERRORS + 5;
    env
      .fromBatch(Array.from({ length: total }, (_, i) => i))
      .map(
        (x) => {
          throw new Error(`bad ${String(x)}`);
        },
        { name: 'thrower' },
      )
      .sink(() => undefined);
    await within(env.submit({ autostop: true }), 3000, 'the job to complete');
    const thrower = one(metricsOf(jm, env), 'thrower');
    expect(thrower.errors).to.equal(total);
    expect(thrower.recentErrors.map((e) => e.message)).to.deep.equal(
      Array.from({ length: RECENT_ERRORS }, (_, i) => `bad ${String(i + 5)}`),
    );
    for (const e of thrower.recentErrors) expect(e.time).to.be.a('number').and.greaterThan(0);
  });
});
