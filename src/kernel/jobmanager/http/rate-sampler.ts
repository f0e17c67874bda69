import type { OperatorMetrics } from '../../runtime/metrics/operator-metrics.js';

/** Rates and the backpressure ratio of one operator instance, computed from samples of its counters. */
export interface InstanceRates {
  /** Records in per second over the last second (about: between the two samples nearest that window). */
  readonly inRate1s: number;
  readonly outRate1s: number;
  /** Records in per second over the last minute (or since the first sample, when younger). */
  readonly inRate1m: number;
  readonly outRate1m: number;
  /** Share of the last second (0 to 1) the instance spent pressed by a full downstream queue. */
  readonly backpressureRatio: number;
}

interface Sample {
  readonly t: number;
  readonly in: readonly number[];
  readonly out: readonly number[];
  readonly pressed: readonly number[];
}

/** Samples closer together than this are not kept (a new look still computes rates against the ring). */
const MIN_GAP_MS = 250;
const SECOND_MS = 1000;
const MINUTE_MS = 60_000;
/** Most samples kept per job: a minute of samples at the minimum gap, and one older. */
const MAX_SAMPLES = MINUTE_MS / MIN_GAP_MS + 1;

const ZERO: InstanceRates = { inRate1s: 0, outRate1s: 0, inRate1m: 0, outRate1m: 0, backpressureRatio: 0 };

/**
 * Rates per operator instance computed off the per-record path: each look at a job (a dashboard poll, a
 * Prometheus scrape) samples its counters with the job scheduler's time, keeps a small ring of samples per job
 * (a minute's worth, at most one per 250 ms), and answers records per second over the last second and the last
 * minute, and the share of the last second an instance spent pressed. The first look at a job answers zeros.
 * When a job's counters go back (a restart with fresh instances) its ring starts again.
 *
 * @example
 * ```ts
 * const sampler = new RateSampler();
 * const rates = sampler.sample(uuid, dispatcher.metrics());
 * console.log(rates[0]?.outRate1s);
 * ```
 */
export class RateSampler {
  private readonly rings = new Map<string, Sample[]>();

  /**
   * Samples the counters of job `uuid` now and returns the rates of each instance, in the order given.
   *
   * @example
   * ```ts
   * const [first] = sampler.sample(uuid, metrics);
   * ```
   */
  sample(
    uuid: string,
    metrics: readonly OperatorMetrics[],
    fallbackNow: () => number = Date.now,
  ): InstanceRates[] {
    const probe = metrics.find((m) => m.probe !== undefined)?.probe;
    const now = probe !== undefined ? probe.now() : fallbackNow();
    const current: Sample = {
      t: now,
      in: metrics.map((m) => m.in),
      out: metrics.map((m) => m.out),
      pressed: metrics.map((m) => m.probe?.pressedMs() ?? 0),
    };
    let ring = this.rings.get(uuid);
    if (ring !== undefined && !continues(ring[ring.length - 1] as Sample, current)) ring = undefined;
    if (ring === undefined) {
      this.rings.set(uuid, [current]);
      return metrics.map(() => ZERO);
    }
    const second = before(ring, now - SECOND_MS);
    const minute = before(ring, now - MINUTE_MS);
    const rates = metrics.map((_, i) => ratesOf(i, current, second, minute));
    const last = ring[ring.length - 1] as Sample;
    if (now - last.t >= MIN_GAP_MS) ring.push(current);
    while (ring.length > MAX_SAMPLES || (ring.length > 1 && (ring[1] as Sample).t <= now - MINUTE_MS))
      ring.shift();
    return rates;
  }

  /**
   * Forgets the samples of every job not in `uuids` (deleted jobs).
   *
   * @example
   * ```ts
   * sampler.retain(new Set(jobManager.listJobs().map((s) => s.uuid)));
   * ```
   */
  retain(uuids: ReadonlySet<string>): void {
    for (const uuid of this.rings.keys()) if (!uuids.has(uuid)) this.rings.delete(uuid);
  }
}

/** True when `next` can follow `prev`: the same instances, no counter gone back, time not gone back. */
function continues(prev: Sample, next: Sample): boolean {
  if (prev.in.length !== next.in.length || next.t < prev.t) return false;
  for (let i = 0; i < prev.in.length; i++) {
    if (
      (next.in[i] as number) < (prev.in[i] as number) ||
      (next.out[i] as number) < (prev.out[i] as number)
    ) {
      return false;
    }
  }
  return true;
}

/** The newest sample taken at or before `t`, else the oldest one. */
function before(ring: readonly Sample[], t: number): Sample {
  for (let i = ring.length - 1; i >= 0; i--) if ((ring[i] as Sample).t <= t) return ring[i] as Sample;
  return ring[0] as Sample;
}

function ratesOf(i: number, now: Sample, second: Sample, minute: Sample): InstanceRates {
  const perSecond = (from: Sample, field: 'in' | 'out'): number => {
    const dt = now.t - from.t;
    return dt <= 0 ? 0 : (((now[field][i] as number) - (from[field][i] as number)) * SECOND_MS) / dt;
  };
  const dt = now.t - second.t;
  const pressed = dt <= 0 ? 0 : ((now.pressed[i] as number) - (second.pressed[i] as number)) / dt;
  return {
    inRate1s: perSecond(second, 'in'),
    outRate1s: perSecond(second, 'out'),
    inRate1m: perSecond(minute, 'in'),
    outRate1m: perSecond(minute, 'out'),
    backpressureRatio: Math.min(1, Math.max(0, pressed)),
  };
}
