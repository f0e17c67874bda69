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

/**
 * Writes the numbers of `jobs` in the Prometheus text exposition format (with prom-client): per operator
 * instance `sage_records_in_total`, `sage_records_out_total`, `sage_records_errors_total`, `sage_queue_length`
 * and `sage_backpressure_ratio`; per service `sage_service_call_duration_seconds`; per job
 * `sage_checkpoints_total` and `sage_job_restarts_total`. Every series of every job is written, zeros included;
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
  const serviceLatency = new SnapshotHistogram(
    'sage_service_call_duration_seconds',
    'Duration of service calls, from call to reply or error.',
    SERVICE_LABELS,
  );
  registry.registerMetric(serviceLatency);
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
  const histograms = [];
  for (const job of jobs) {
    const jobLabels = { job: job.job, job_name: job.jobName };
    checkpoints.inc(jobLabels, job.checkpoints.count);
    restarts.inc(jobLabels, job.restarts);
    for (const i of job.instances) {
      const labels = { ...jobLabels, operator: i.operator, instance: String(i.instance) };
      recordsIn.inc(labels, i.source ? 0 : i.in);
      recordsOut.inc(labels, i.out);
      recordErrors.inc(labels, i.errors);
      queueLength.set(labels, i.queueLength);
      backpressure.set(labels, i.backpressureRatio);
    }
    for (const s of job.services) {
      histograms.push({ labels: { ...jobLabels, service: s.service }, histogram: s.latency });
    }
  }
  serviceLatency.setSeries(histograms);
  return registry.metrics();
}
