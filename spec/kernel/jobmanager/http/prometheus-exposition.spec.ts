import { expect } from 'chai';
import fc from 'fast-check';
import { LATENCY_BUCKETS_SECONDS } from '../../../../src/kernel/jobmanager/http/job-manager-metrics-source.js';
import type {
  InstanceMetrics,
  JobMetrics,
  ServiceMetrics,
} from '../../../../src/kernel/jobmanager/http/metrics-source.js';
import { renderPrometheus } from '../../../../src/kernel/jobmanager/http/prometheus-exposition.js';

const OPERATOR_FAMILIES = [
  'sage_records_in_total',
  'sage_records_out_total',
  'sage_records_errors_total',
  'sage_queue_length',
  'sage_backpressure_ratio',
  'sage_records_filtered_total',
  'sage_async_in_flight',
  'sage_records_in_per_second',
  'sage_records_out_per_second',
] as const;

const ALL_FAMILIES = [
  ...OPERATOR_FAMILIES,
  'sage_service_call_duration_seconds',
  'sage_checkpoints_total',
  'sage_job_restarts_total',
  'sage_service_batch_size',
  'sage_latency_seconds',
  'sage_job_uptime_seconds',
  'sage_checkpoint_last_duration_seconds',
  'sage_checkpoint_last_size_bytes',
];

/** The plain model: Prometheus label escaping and one expected line per series. */
function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labels(pairs: Record<string, string>): string {
  return `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${escape(v)}"`)
    .join(',')}}`;
}

function expectedLines(jobs: readonly JobMetrics[]): string[] {
  const lines: string[] = [];
  for (const job of jobs) {
    const j = { job: job.job, job_name: job.jobName };
    lines.push(`sage_checkpoints_total${labels(j)} ${job.checkpoints.count}`);
    lines.push(`sage_job_restarts_total${labels(j)} ${job.restarts}`);
    lines.push(`sage_job_uptime_seconds${labels(j)} ${job.uptimeMs / 1000}`);
    lines.push(`sage_checkpoint_last_duration_seconds${labels(j)} ${job.checkpoints.lastDurationMs / 1000}`);
    lines.push(`sage_checkpoint_last_size_bytes${labels(j)} ${job.checkpoints.lastSizeBytes}`);
    for (const i of job.instances) {
      const l = labels({ ...j, operator: i.operator, instance: String(i.instance) });
      lines.push(`sage_records_in_total${l} ${i.source ? 0 : i.in}`);
      lines.push(`sage_records_out_total${l} ${i.out}`);
      lines.push(`sage_records_errors_total${l} ${i.errors}`);
      lines.push(`sage_queue_length${l} ${i.queueLength}`);
      lines.push(`sage_backpressure_ratio${l} ${i.backpressureRatio}`);
      lines.push(`sage_records_filtered_total${l} ${i.filtered}`);
      lines.push(`sage_async_in_flight${l} ${i.inFlight}`);
      for (const [window, inRate, outRate] of [
        ['1s', i.inRate1s, i.outRate1s],
        ['1m', i.inRate1m, i.outRate1m],
      ] as const) {
        const w = labels({ ...j, operator: i.operator, instance: String(i.instance), window });
        lines.push(`sage_records_in_per_second${w} ${i.source ? 0 : inRate}`);
        lines.push(`sage_records_out_per_second${w} ${outRate}`);
      }
      const e2e = i.endToEndLatency;
      if (e2e !== undefined) {
        const base = { ...j, operator: i.operator, instance: String(i.instance) };
        e2e.bucketsSeconds.forEach((le, k) => {
          lines.push(`sage_latency_seconds_bucket${labels({ ...base, le: String(le) })} ${e2e.counts[k]}`);
        });
        lines.push(`sage_latency_seconds_bucket${labels({ ...base, le: '+Inf' })} ${e2e.count}`);
        lines.push(`sage_latency_seconds_sum${labels(base)} ${e2e.sumSeconds}`);
        lines.push(`sage_latency_seconds_count${labels(base)} ${e2e.count}`);
      }
    }
    for (const s of job.services) {
      const base = { ...j, service: s.service };
      s.latency.bucketsSeconds.forEach((le, k) => {
        lines.push(
          `sage_service_call_duration_seconds_bucket${labels({ ...base, le: String(le) })} ${s.latency.counts[k]}`,
        );
      });
      lines.push(
        `sage_service_call_duration_seconds_bucket${labels({ ...base, le: '+Inf' })} ${s.latency.count}`,
      );
      lines.push(`sage_service_call_duration_seconds_sum${labels(base)} ${s.latency.sumSeconds}`);
      lines.push(`sage_service_call_duration_seconds_count${labels(base)} ${s.latency.count}`);
      s.batchSizes.buckets.forEach((le, k) => {
        lines.push(
          `sage_service_batch_size_bucket${labels({ ...base, le: String(le) })} ${s.batchSizes.counts[k]}`,
        );
      });
      lines.push(`sage_service_batch_size_bucket${labels({ ...base, le: '+Inf' })} ${s.batchSizes.count}`);
      lines.push(`sage_service_batch_size_sum${labels(base)} ${s.batchSizes.sum}`);
      lines.push(`sage_service_batch_size_count${labels(base)} ${s.batchSizes.count}`);
    }
  }
  return lines;
}

const count = fc.nat({ max: 1_000_000 });
const rate = fc.double({ min: 0, max: 1e6, noNaN: true });

/** Cumulative counts of `perBucket`. */
function cumulative(perBucket: readonly number[]): number[] {
  const out: number[] = [];
  perBucket.reduce((acc, n) => {
    out.push(acc + n);
    return acc + n;
  }, 0);
  return out;
}

const BATCH_BUCKETS = [1, 2, 4, 8];

const histogramArb = fc
  .array(fc.nat({ max: 1000 }), {
    minLength: LATENCY_BUCKETS_SECONDS.length,
    maxLength: LATENCY_BUCKETS_SECONDS.length,
  })
  .map((per) => {
    const counts = cumulative(per);
    return {
      bucketsSeconds: LATENCY_BUCKETS_SECONDS,
      counts,
      count: (counts.at(-1) ?? 0) + 1,
      sumSeconds: 12.5,
    };
  });

const instanceArb = (operator: string, instance: number): fc.Arbitrary<InstanceMetrics> =>
  fc
    .record({
      operator: fc.constant(operator),
      vertex: fc.nat({ max: 5 }),
      instance: fc.constant(instance),
      source: fc.boolean(),
      in: count,
      out: count,
      filtered: count,
      errors: count,
      queueLength: count,
      backpressureRatio: fc.double({ min: 0, max: 1, noNaN: true }),
      inFlight: count,
      inRate1s: rate,
      inRate1m: rate,
      outRate1s: rate,
      outRate1m: rate,
    })
    .chain((i) =>
      fc
        .option(histogramArb, { nil: undefined })
        .map((h) => (h === undefined ? i : { ...i, endToEndLatency: h })),
    );

const serviceArb = (service: string): fc.Arbitrary<ServiceMetrics> =>
  fc
    .array(fc.nat({ max: 1000 }), {
      minLength: LATENCY_BUCKETS_SECONDS.length,
      maxLength: LATENCY_BUCKETS_SECONDS.length,
    })
    .chain((perBucket) => {
      const counts = cumulative(perBucket);
      const below = counts.at(-1) ?? 0;
      return fc.record({
        service: fc.constant(service),
        calls: count,
        errors: count,
        timeouts: count,
        pending: count,
        latencyMs: fc.record({ p50: fc.nat(), p99: fc.nat() }),
        latency: fc.record({
          bucketsSeconds: fc.constant(LATENCY_BUCKETS_SECONDS),
          counts: fc.constant(counts),
          count: fc.integer({ min: below, max: below + 100 }),
          sumSeconds: fc.double({ min: 0, max: 1e6, noNaN: true }),
        }),
        batchSizes: fc
          .array(fc.nat({ max: 100 }), { minLength: BATCH_BUCKETS.length, maxLength: BATCH_BUCKETS.length })
          .map((per) => {
            const c = cumulative(per);
            return { buckets: BATCH_BUCKETS, counts: c, count: (c.at(-1) ?? 0) + 3, sum: 1000 };
          }),
      });
    });

const name = fc.string({ minLength: 1, maxLength: 12 });

const jobArb: fc.Arbitrary<JobMetrics> = fc
  .record({
    job: fc.uuid(),
    jobName: name,
    operators: fc.uniqueArray(name, { maxLength: 4 }),
    parallelism: fc.integer({ min: 1, max: 3 }),
    services: fc.uniqueArray(name, { maxLength: 2 }),
    checkpoints: count,
    restarts: count,
  })
  .chain((j) =>
    fc.record({
      job: fc.constant(j.job),
      jobName: fc.constant(j.jobName),
      status: fc.constantFrom('running' as const, 'paused' as const, 'completed' as const),
      uptimeMs: count,
      instances: fc.tuple(
        ...j.operators.flatMap((op) => Array.from({ length: j.parallelism }, (_, i) => instanceArb(op, i))),
      ),
      services: fc.tuple(...j.services.map(serviceArb)),
      checkpoints: fc.constant({ count: j.checkpoints, failed: 0, lastDurationMs: 0, lastSizeBytes: 0 }),
      restarts: fc.constant(j.restarts),
      recentErrors: fc.constant([]),
    }),
  );

function sampleLines(text: string): string[] {
  return text.split('\n').filter((line) => line.length > 0 && !line.startsWith('#'));
}

describe('renderPrometheus', () => {
  it('writes HELP and TYPE of every family even with no job', async () => {
    const text = await renderPrometheus([]);
    for (const family of ALL_FAMILIES) expect(text).to.match(new RegExp(`^# TYPE ${family} \\w+$`, 'm'));
    expect(text).to.contain('# TYPE sage_service_call_duration_seconds histogram');
    expect(text).to.contain('# TYPE sage_records_in_total counter');
    expect(text).to.contain('# TYPE sage_queue_length gauge');
    expect(sampleLines(text)).to.deep.equal([]);
  });

  it('writes every series of every job, zeros included, and nothing else (property, against a plain model)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(jobArb, { selector: (j) => j.job, maxLength: 3 }), async (jobs) => {
        const lines = sampleLines(await renderPrometheus(jobs));
        expect([...lines].sort()).to.deep.equal(expectedLines(jobs).sort());
      }),
      { numRuns: 60 },
    );
  });

  it('counts no records in for a source', async () => {
    const job: JobMetrics = {
      job: 'j',
      jobName: 'n',
      status: 'running',
      uptimeMs: 1,
      instances: [
        {
          operator: 'src',
          vertex: 0,
          instance: 0,
          source: true,
          in: 5,
          out: 7,
          filtered: 0,
          errors: 0,
          queueLength: 0,
          backpressureRatio: 0,
          inFlight: 0,
          inRate1s: 4,
          inRate1m: 4,
          outRate1s: 3,
          outRate1m: 3,
        },
      ],
      services: [],
      checkpoints: { count: 0, failed: 0, lastDurationMs: 0, lastSizeBytes: 0 },
      restarts: 0,
      recentErrors: [],
    };
    const text = await renderPrometheus([job]);
    expect(text).to.contain('sage_records_in_total{job="j",job_name="n",operator="src",instance="0"} 0\n');
    expect(text).to.contain('sage_records_out_total{job="j",job_name="n",operator="src",instance="0"} 7\n');
    expect(text).to.contain(
      'sage_records_in_per_second{job="j",job_name="n",operator="src",instance="0",window="1s"} 0\n',
    );
    expect(text).to.contain(
      'sage_records_out_per_second{job="j",job_name="n",operator="src",instance="0",window="1m"} 3\n',
    );
  });
});
