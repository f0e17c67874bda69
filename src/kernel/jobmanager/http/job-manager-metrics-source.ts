import type { BucketSnapshot } from '../../runtime/metrics/bucket-counts.js';
import type { OperatorMetrics } from '../../runtime/metrics/operator-metrics.js';
import { RECENT_ERRORS } from '../../runtime/metrics/record-error.js';
import type { ServiceStats } from '../../runtime/service/service-stats.js';
import type { JobManager } from '../job-manager.js';
import type { JobStatus, PlanSummary } from '../job-status.js';
import type {
  BucketHistogram,
  InstanceMetrics,
  JobMetrics,
  LatencyHistogram,
  MetricsSource,
  RecordErrorEntry,
  ServiceMetrics,
} from './metrics-source.js';
import { RateSampler, type InstanceRates } from './rate-sampler.js';

/**
 * Upper bounds (seconds) of the service-latency histogram buckets: Prometheus' defaults.
 *
 * @example
 * ```ts
 * const empty = { bucketsSeconds: LATENCY_BUCKETS_SECONDS, counts: LATENCY_BUCKETS_SECONDS.map(() => 0), count: 0, sumSeconds: 0 };
 * ```
 */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** Upper bounds of the batch-size buckets reported when a service's stats carry none. */
const BATCH_SIZE_BUCKETS: readonly number[] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

/**
 * The `MetricsSource` of a `JobManager`: per-instance record counters and gauges (queue length, async calls in
 * flight, time pressed) from each job's runner, service counters and histograms and the plan from its status.
 * Rates (1 s and 1 min) and the backpressure ratio come from a `RateSampler` that samples the counters at each
 * look, off the per-record path; the first look at a job answers zero rates.
 *
 * @example
 * ```ts
 * const source = new JobManagerMetricsSource(jobManager);
 * const job = source.job(uuid);
 * console.log(job?.instances.map((i) => `${i.operator}#${i.instance}: ${i.out}`));
 * ```
 */
export class JobManagerMetricsSource implements MetricsSource {
  private readonly sampler = new RateSampler();

  constructor(private readonly jobManager: JobManager) {}

  /**
   * Every job of the JobManager, in submit order.
   *
   * @example
   * ```ts
   * const names = source.jobs().map((j) => j.jobName);
   * ```
   */
  jobs(): readonly JobMetrics[] {
    const all = this.jobManager.listJobs();
    this.sampler.retain(new Set(all.map((s) => s.uuid)));
    return all.map((status) => this.metricsOf(status));
  }

  /**
   * One job's numbers, or `undefined` when the JobManager does not know the uuid.
   *
   * @example
   * ```ts
   * const errors = source.job(uuid)?.instances.reduce((n, i) => n + i.errors, 0);
   * ```
   */
  job(uuid: string): JobMetrics | undefined {
    const status = this.jobManager.getJobStatus(uuid);
    return status.status === 'not_found' ? undefined : this.metricsOf(status);
  }

  private metricsOf(status: JobStatus): JobMetrics {
    const runner = this.jobManager.getJob(status.uuid)?.dispatcher;
    const counters = runner?.metrics() ?? [];
    const rates = this.sampler.sample(status.uuid, counters);
    return {
      job: status.uuid,
      jobName: status.name,
      status: status.status,
      uptimeMs: status.runtimeMs,
      instances: instancesOf(status.plan, counters, rates),
      services: status.services.map(serviceMetricsOf),
      checkpoints: {
        count: status.checkpoints.completed,
        failed: status.checkpoints.failed,
        lastDurationMs: status.checkpoints.lastDurationMs,
        lastSizeBytes: status.checkpoints.lastSizeBytes,
      },
      restarts: status.restarts,
      recentErrors: recentErrorsOf(counters),
      ...(status.error !== undefined ? { error: status.error } : {}),
    };
  }
}

/**
 * Labels each runner counter with its vertex and instance. The runner lists its instances' counters vertex by
 * vertex, instance by instance, fused operator by fused operator; when the plan and the list disagree (a
 * runner with another order), instances are numbered by their order of appearance per operator name.
 */
function instancesOf(
  plan: readonly PlanSummary[],
  counters: readonly OperatorMetrics[],
  rates: readonly InstanceRates[],
): InstanceMetrics[] {
  const expected: { operator: string; vertex: number; instance: number; source: boolean }[] = [];
  for (const vertex of plan) {
    for (let instance = 0; instance < vertex.parallelism; instance++) {
      vertex.operators.forEach((operator, i) => {
        expected.push({
          operator,
          vertex: vertex.vertex,
          instance,
          source: vertex.inputs.length === 0 && i === 0,
        });
      });
    }
  }
  const matches =
    expected.length === counters.length && expected.every((e, i) => e.operator === counters[i]?.operator);
  const seen = new Map<string, number>();
  return counters.map((m, i) => {
    const place = matches ? expected[i] : undefined;
    const nth = seen.get(m.operator) ?? 0;
    seen.set(m.operator, nth + 1);
    const vertex =
      place?.vertex ??
      (m.vertex >= 0 ? m.vertex : undefined) ??
      plan.find((v) => v.operators.includes(m.operator))?.vertex ??
      -1;
    const r = rates[i];
    const source = place?.source ?? plan.some((v) => v.inputs.length === 0 && v.operators[0] === m.operator);
    return {
      operator: m.operator,
      vertex,
      instance: place?.instance ?? nth,
      source,
      in: source ? 0 : m.in,
      out: m.out,
      filtered: m.filtered,
      errors: m.errors,
      queueLength: m.probe?.queued ?? 0,
      backpressureRatio: r?.backpressureRatio ?? 0,
      inFlight: m.inFlight,
      inRate1s: source ? 0 : (r?.inRate1s ?? 0),
      inRate1m: source ? 0 : (r?.inRate1m ?? 0),
      outRate1s: r?.outRate1s ?? 0,
      outRate1m: r?.outRate1m ?? 0,
      ...(m.latency !== undefined ? { endToEndLatency: secondsOf(m.latency.snapshot()) } : {}),
    };
  });
}

function serviceMetricsOf(stats: ServiceStats): ServiceMetrics {
  return {
    service: stats.service,
    calls: stats.calls,
    errors: stats.errors,
    timeouts: stats.timeouts,
    pending: stats.pending,
    latencyMs: stats.latencyMs,
    latency: stats.latencyBuckets !== undefined ? secondsOf(stats.latencyBuckets) : emptyHistogram(),
    batchSizes:
      stats.batchSizes !== undefined
        ? {
            buckets: stats.batchSizes.bounds,
            counts: stats.batchSizes.counts,
            count: stats.batchSizes.count,
            sum: stats.batchSizes.sum,
          }
        : emptyBatchSizes(),
  };
}

/** A runtime histogram in ms as the seconds Prometheus expects. */
function secondsOf(ms: BucketSnapshot): LatencyHistogram {
  return {
    bucketsSeconds: ms.bounds.map((b) => b / 1000),
    counts: ms.counts,
    count: ms.count,
    sumSeconds: ms.sum / 1000,
  };
}

function emptyBatchSizes(): BucketHistogram {
  return { buckets: BATCH_SIZE_BUCKETS, counts: BATCH_SIZE_BUCKETS.map(() => 0), count: 0, sum: 0 };
}

/** The job's latest record errors over all its instances, oldest first, at most `RECENT_ERRORS`. */
function recentErrorsOf(counters: readonly OperatorMetrics[]): RecordErrorEntry[] {
  const all: { time: number; entry: RecordErrorEntry }[] = [];
  for (const m of counters) {
    for (const e of m.recentErrors) {
      all.push({
        time: e.time,
        entry: {
          time: new Date(e.time).toISOString(),
          operator: m.operator,
          instance: m.instance,
          message: e.message,
        },
      });
    }
  }
  all.sort((a, b) => a.time - b.time);
  return all.slice(-RECENT_ERRORS).map((e) => e.entry);
}

function emptyHistogram(): LatencyHistogram {
  return {
    bucketsSeconds: LATENCY_BUCKETS_SECONDS,
    counts: LATENCY_BUCKETS_SECONDS.map(() => 0),
    count: 0,
    sumSeconds: 0,
  };
}
