import { Counter, Gauge, Registry } from 'prom-client';
import type { JobMetrics } from './metrics-source.js';
import { SnapshotHistogram } from './snapshot-histogram.js';

/**
 * The Content-Type of the Prometheus text exposition format that `renderPrometheus` writes.
 *
 * @example
 * ```ts
 * response.writeHead(200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE });
 * ```
 */
export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

const OPERATOR_LABELS = ['job', 'job_name', 'operator', 'instance'] as const;
const SERVICE_LABELS = ['job', 'job_name', 'service'] as const;
const JOB_LABELS = ['job', 'job_name'] as const;
const RATE_LABELS = [...OPERATOR_LABELS, 'window'] as const;

/**
 * Writes the numbers of `jobs` in the Prometheus text exposition format (with prom-client): per operator
 * instance `sage_records_in_total`, `sage_records_out_total`, `sage_records_filtered_total`,
 * `sage_records_errors_total`, `sage_queue_length`, `sage_backpressure_ratio`, `sage_async_in_flight` and the
 * rates `sage_records_in_per_second` and `sage_records_out_per_second` (label `window`: `1s` or `1m`); per
 * sink instance the histogram `sage_latency_seconds` (source to sink, from latency markers); per
 * service the histograms `sage_service_call_duration_seconds` and `sage_service_batch_size`; per job
 * `sage_checkpoints_total`, `sage_job_restarts_total`, `sage_job_uptime_seconds`,
 * `sage_checkpoint_last_duration_seconds` and `sage_checkpoint_last_size_bytes`. Every series of every job is written, zeros included;
 * a source has no records in. Each call builds a fresh registry, so concurrent scrapes never mix.
 *
 * @example
 * ```ts
 * const text = await renderPrometheus(new JobManagerMetricsSource(jm).jobs());
 * // sage_records_out_total{job="…",job_name="wordcount",operator="split",instance="0"} 1234
 * ```
 */
export async function renderPrometheus(jobs: readonly JobMetrics[]): Promise<string> {
  const registry = new Registry();
  const registers = [registry];
  const recordsIn = new Counter({
    name: 'sage_records_in_total',
    help: 'Records that entered an operator instance (sources count none).',
    labelNames: OPERATOR_LABELS,
    registers,
  });
  const recordsOut = new Counter({
    name: 'sage_records_out_total',
    help: 'Records an operator instance emitted.',
    labelNames: OPERATOR_LABELS,
    registers,
  });
  const recordErrors = new Counter({
    name: 'sage_records_errors_total',
    help: 'User-code errors caught in an operator instance.',
    labelNames: OPERATOR_LABELS,
    registers,
  });
  const queueLength = new Gauge({
    name: 'sage_queue_length',
    help: "Records waiting in an operator instance's input queue.",
    labelNames: OPERATOR_LABELS,
    registers,
  });
  const backpressure = new Gauge({
    name: 'sage_backpressure_ratio',
    help: 'Share of recent time (0 to 1) an operator instance spent pressed by a full downstream queue.',
    labelNames: OPERATOR_LABELS,
    registers,
  });
  const recordsFiltered = new Counter({
    name: 'sage_records_filtered_total',
    help: 'Records an operator instance removed on purpose (a filter said no, a map returned undefined).',
    labelNames: OPERATOR_LABELS,
    registers,
  });
  const inFlight = new Gauge({
    name: 'sage_async_in_flight',
    help: 'Asynchronous calls of an operator instance started and not settled yet.',
    labelNames: OPERATOR_LABELS,
    registers,
  });
  const inRate = new Gauge({
    name: 'sage_records_in_per_second',
    help: 'Records in per second of an operator instance over the last second or minute (label window).',
    labelNames: RATE_LABELS,
    registers,
  });
  const outRate = new Gauge({
    name: 'sage_records_out_per_second',
    help: 'Records out per second of an operator instance over the last second or minute (label window).',
    labelNames: RATE_LABELS,
    registers,
  });
  const serviceLatency = new SnapshotHistogram(
    'sage_service_call_duration_seconds',
    'Duration of service calls, from call to reply or error.',
    SERVICE_LABELS,
  );
  registry.registerMetric(serviceLatency);
  const batchSize = new SnapshotHistogram(
    'sage_service_batch_size',
    'Requests per processBatch invocation of a batching service.',
    SERVICE_LABELS,
  );
  registry.registerMetric(batchSize);
  const endToEnd = new SnapshotHistogram(
    'sage_latency_seconds',
    'Source-to-sink latency of latency markers at a sink instance (config latencyTrackingIntervalMs).',
    OPERATOR_LABELS,
  );
  registry.registerMetric(endToEnd);
  const latencies = [];
  const checkpoints = new Counter({
    name: 'sage_checkpoints_total',
    help: 'Checkpoints a job completed.',
    labelNames: JOB_LABELS,
    registers,
  });
  const restarts = new Counter({
    name: 'sage_job_restarts_total',
    help: 'Times a job was restarted after a failure.',
    labelNames: JOB_LABELS,
    registers,
  });
  const uptime = new Gauge({
    name: 'sage_job_uptime_seconds',
    help: 'Time a job has run.',
    labelNames: JOB_LABELS,
    registers,
  });
  const checkpointDuration = new Gauge({
    name: 'sage_checkpoint_last_duration_seconds',
    help: 'Duration of the latest completed checkpoint of a job (0 when none).',
    labelNames: JOB_LABELS,
    registers,
  });
  const checkpointSize = new Gauge({
    name: 'sage_checkpoint_last_size_bytes',
    help: 'Size of the latest completed checkpoint of a job (0 when none).',
    labelNames: JOB_LABELS,
    registers,
  });
  const histograms = [];
  const batches = [];
  for (const job of jobs) {
    const jobLabels = { job: job.job, job_name: job.jobName };
    checkpoints.inc(jobLabels, job.checkpoints.count);
    restarts.inc(jobLabels, job.restarts);
    uptime.set(jobLabels, job.uptimeMs / 1000);
    checkpointDuration.set(jobLabels, job.checkpoints.lastDurationMs / 1000);
    checkpointSize.set(jobLabels, job.checkpoints.lastSizeBytes);
    for (const i of job.instances) {
      const labels = { ...jobLabels, operator: i.operator, instance: String(i.instance) };
      recordsIn.inc(labels, i.source ? 0 : i.in);
      recordsOut.inc(labels, i.out);
      recordErrors.inc(labels, i.errors);
      queueLength.set(labels, i.queueLength);
      backpressure.set(labels, i.backpressureRatio);
      recordsFiltered.inc(labels, i.filtered);
      inFlight.set(labels, i.inFlight);
      inRate.set({ ...labels, window: '1s' }, i.source ? 0 : i.inRate1s);
      inRate.set({ ...labels, window: '1m' }, i.source ? 0 : i.inRate1m);
      outRate.set({ ...labels, window: '1s' }, i.outRate1s);
      outRate.set({ ...labels, window: '1m' }, i.outRate1m);
      if (i.endToEndLatency !== undefined) latencies.push({ labels, histogram: i.endToEndLatency });
    }
    for (const s of job.services) {
      const labels = { ...jobLabels, service: s.service };
      histograms.push({ labels, histogram: s.latency });
      const b = s.batchSizes;
      batches.push({
        labels,
        histogram: { bucketsSeconds: b.buckets, counts: b.counts, count: b.count, sumSeconds: b.sum },
      });
    }
  }
  serviceLatency.setSeries(histograms);
  batchSize.setSeries(batches);
  endToEnd.setSeries(latencies);
  return registry.metrics();
}
