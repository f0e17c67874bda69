import type { OperatorMetrics } from '../../runtime/metrics/operator-metrics.js';
import type { ServiceStats } from '../../runtime/service/service-stats.js';
import type { JobManager } from '../job-manager.js';
import type { JobStatus, PlanSummary } from '../job-status.js';
import type {
  InstanceMetrics,
  JobMetrics,
  LatencyHistogram,
  MetricsSource,
  ServiceMetrics,
} from './metrics-source.js';

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

/**
 * The `MetricsSource` of a `JobManager`: per-instance record counters from each job's runner, service counters
 * and the plan from its status. Numbers the runtime does not keep yet are reported as 0: per-instance queue
 * length, backpressure ratio and async calls in flight, service latency histograms and the recent record
 * errors.
 *
 * @example
 * ```ts
 * const source = new JobManagerMetricsSource(jobManager);
 * const job = source.job(uuid);
 * console.log(job?.instances.map((i) => `${i.operator}#${i.instance}: ${i.out}`));
 * ```
 */
export class JobManagerMetricsSource implements MetricsSource {
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
    return this.jobManager.listJobs().map((status) => this.metricsOf(status));
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
    return {
      job: status.uuid,
      jobName: status.name,
      status: status.status,
      uptimeMs: status.runtimeMs,
      instances: instancesOf(status.plan, runner?.metrics() ?? []),
      services: status.services.map(serviceMetricsOf),
      checkpoints: {
        count: status.checkpoints.completed,
        failed: status.checkpoints.failed,
        lastDurationMs: status.checkpoints.lastDurationMs,
        lastSizeBytes: status.checkpoints.lastSizeBytes,
      },
      restarts: status.restarts,
      recentErrors: [],
      ...(status.error !== undefined ? { error: status.error } : {}),
    };
  }
}

/**
 * Labels each runner counter with its vertex and instance. The runner lists its instances' counters vertex by
 * vertex, instance by instance, fused operator by fused operator; when the plan and the list disagree (a
 * runner with another order), instances are numbered by their order of appearance per operator name.
 */
function instancesOf(plan: readonly PlanSummary[], counters: readonly OperatorMetrics[]): InstanceMetrics[] {
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
    const vertex = place?.vertex ?? plan.find((v) => v.operators.includes(m.operator))?.vertex ?? -1;
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
      queueLength: 0,
      backpressureRatio: 0,
      inFlight: 0,
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
    latency: emptyHistogram(),
  };
}

function emptyHistogram(): LatencyHistogram {
  return {
    bucketsSeconds: LATENCY_BUCKETS_SECONDS,
    counts: LATENCY_BUCKETS_SECONDS.map(() => 0),
    count: 0,
    sumSeconds: 0,
  };
}
