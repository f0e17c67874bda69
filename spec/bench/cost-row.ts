import { formatCount, formatRate, markdownTable } from './format-table.js';

/** What an option costs per call or record, against a baseline measured in the same process and rounds. */
export interface CostRow {
  readonly title: string;
  /** What one unit of work is. */
  readonly unit: 'call' | 'record';
  /** Units per run with the option. */
  readonly units: number;
  /** Median wall time of one run with the option, in ms. */
  readonly ms: number;
  /** What the option is compared with, e.g. `no options`. */
  readonly baseline: string;
  /** Units per run of the baseline. */
  readonly baselineUnits: number;
  /** Median wall time of one baseline run, in ms. */
  readonly baselineMs: number;
  /**
   * Median over the rounds of (time per unit with the option) ÷ (time per unit of the baseline), both taken
   * in the same round: 1 means the option costs nothing.
   */
  readonly ratio: number;
  /** Said under the table. */
  readonly note?: string;
}

const HEADER = [
  'Option',
  'Per run',
  'With the option',
  'Baseline (same process, same rounds)',
  'Baseline',
  'Time per unit: option ÷ baseline',
];

/**
 * The cost rows as a markdown table: the option's rate and time per unit, its baseline's, and the paired
 * ratio with the time it adds per unit; notes follow as a list.
 *
 * @example
 * ```ts
 * console.log(costTable(report.costs));
 * ```
 */
export function costTable(costs: readonly CostRow[]): string {
  const rows = costs.map((r) => {
    const perUnit = (r.baselineMs * 1e6) / r.baselineUnits;
    const added = (r.ratio - 1) * perUnit;
    return [
      r.title,
      `${formatCount(r.units)} ${r.unit}s`,
      figure(r.units, r.ms, r.unit),
      `${r.baseline}, ${formatCount(r.baselineUnits)} ${r.unit}s`,
      figure(r.baselineUnits, r.baselineMs, r.unit),
      `${r.ratio.toFixed(2)}× (${added >= 0 ? '+' : '−'}${formatNs(Math.abs(added))}/${r.unit})`,
    ];
  });
  const notes = costs.filter((r) => r.note !== undefined).map((r) => `- ${r.title}: ${r.note ?? ''}`);
  const table = markdownTable(HEADER, rows);
  return notes.length === 0 ? table : `${table}\n\n${notes.join('\n')}`;
}

function figure(units: number, ms: number, unit: string): string {
  return `${formatRate(units, ms)} (${formatNs((ms * 1e6) / units)}/${unit})`;
}

/**
 * A duration per unit in nanoseconds: `1.8 ns`, `658 ns`, `1.25 µs`.
 *
 * @example
 * ```ts
 * formatNs(657.6); // '658 ns'
 * ```
 */
export function formatNs(ns: number): string {
  if (ns >= 1000) return `${(ns / 1000).toFixed(2)} µs`;
  return `${ns.toFixed(ns < 10 ? 1 : 0)} ns`;
}
