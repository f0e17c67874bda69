import { Histogram } from 'prom-client';
import type { LatencyHistogram } from './metrics-source.js';

/** One labelled series of a {@link SnapshotHistogram}. */
export interface HistogramSeries<L extends string> {
  readonly labels: Readonly<Record<L, string>>;
  readonly histogram: LatencyHistogram;
}

interface ExportedValue {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
  readonly metricName: string;
}

/**
 * A prom-client histogram whose series are given as already-aggregated buckets (as a runtime keeps them off
 * the per-record path) instead of being observed one value at a time. The registry formats it like any
 * histogram: cumulative `_bucket{le=…}` lines, `+Inf`, `_sum` and `_count`.
 *
 * @example
 * ```ts
 * const h = new SnapshotHistogram('sage_service_call_duration_seconds', 'Service call durations', ['service']);
 * h.setSeries([{ labels: { service: 'llm' }, histogram }]);
 * registry.registerMetric(h);
 * ```
 */
export class SnapshotHistogram<L extends string> extends Histogram<L> {
  private series: readonly HistogramSeries<L>[] = [];

  constructor(
    private readonly metricName: string,
    private readonly helpText: string,
    labelNames: readonly L[],
  ) {
    super({ name: metricName, help: helpText, labelNames, registers: [] });
  }

  /**
   * Replaces every series with `series`.
   *
   * @example
   * ```ts
   * h.setSeries([{ labels: { service: 'llm' }, histogram: { bucketsSeconds: [1], counts: [3], count: 4, sumSeconds: 5.5 } }]);
   * ```
   */
  setSeries(series: readonly HistogramSeries<L>[]): void {
    this.series = series;
  }

  /**
   * The series as prom-client's metric objects: cumulative `_bucket` values per `le`, then `_sum` and `_count`.
   *
   * @example
   * ```ts
   * const { values } = await h.get();
   * ```
   */
  override get(): Promise<Exported<L>> {
    const values: ExportedValue[] = [];
    const name = this.metricName;
    for (const { labels, histogram } of this.series) {
      histogram.bucketsSeconds.forEach((le, i) => {
        values.push({
          labels: { ...labels, le },
          value: histogram.counts[i] ?? 0,
          metricName: `${name}_bucket`,
        });
      });
      values.push({
        labels: { ...labels, le: '+Inf' },
        value: histogram.count,
        metricName: `${name}_bucket`,
      });
      values.push({ labels: { ...labels }, value: histogram.sumSeconds, metricName: `${name}_sum` });
      values.push({ labels: { ...labels }, value: histogram.count, metricName: `${name}_count` });
    }
    // prom-client's typings call `type` an enum, but its registry prints the string it holds.
    const exported = {
      name,
      help: this.helpText,
      type: 'histogram',
      aggregator: 'sum',
      collect: noop,
      values,
    };
    return Promise.resolve(exported as unknown as Exported<L>);
  }

  /**
   * What prom-client's registry reads when it formats the text exposition: the same values.
   *
   * @example
   * ```ts
   * const { values } = await h.getForPromString();
   * ```
   */
  getForPromString(): Promise<Exported<L>> {
    return this.get();
  }
}

type Exported<L extends string> = Awaited<ReturnType<Histogram<L>['get']>>;

function noop(): void {
  // nothing to collect: the series are set before each scrape
}
