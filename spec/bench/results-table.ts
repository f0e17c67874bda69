import type { BenchReport, BenchRow } from './bench-suite.js';
import { costTable } from './cost-row.js';
import {
  formatBytes,
  formatCount,
  formatMs,
  formatRate,
  formatRatio,
  markdownTable,
} from './format-table.js';
import type { Timing } from './measure.js';

const HEADER = [
  'Workload',
  'Records',
  'Fresh: engine',
  'Fresh: RxJS',
  'Fresh: engine ÷ RxJS',
  'After warm-up: engine',
  'After warm-up: RxJS',
  'After warm-up: engine ÷ RxJS',
  'Heap held (fresh)',
];

/**
 * The report as a markdown table: one row per workload with, for each column (fresh process, long-lived
 * process after the warm-up), the engine's rate, the plain-RxJS rate and how many times faster the engine is;
 * then workload f's peak heap, then the cost rows (each option against its baseline) when the report has them.
 *
 * @example
 * ```ts
 * console.log(resultsTable(await runBench(TINY_SIZES)));
 * ```
 */
export function resultsTable(report: BenchReport): string {
  const rows = report.rows.map((row) => [
    row.title,
    row.detail === undefined ? formatCount(row.records) : `${formatCount(row.records)} (${row.detail})`,
    ...column(row, row.fresh, row.freshRatios),
    ...column(row, row.warm),
    heapCell(row.fresh),
  ]);
  const f = report.slowStage;
  const stopped = f.rxjsRecords < f.records ? `, stopped after ${formatCount(f.rxjsRecords)} outputs` : '';
  const slow = markdownTable(
    ['Workload', 'Records', 'Engine: peak heap growth', 'RxJS: peak heap growth', 'RxJS ÷ engine'],
    [
      [
        f.title,
        formatCount(f.records),
        `${f.engine.peakMiB.toFixed(1)} MiB (${formatMs(f.engine.ms)})`,
        `${f.rxjs.peakMiB.toFixed(1)} MiB (${formatMs(f.rxjs.ms)}${stopped})`,
        formatRatio(f.rxjs.peakMiB / Math.max(f.engine.peakMiB, 0.1)),
      ],
    ],
  );
  const k = report.checkpoint;
  const checkpoint =
    k === undefined
      ? ''
      : `\n\n${markdownTable(
          [
            'k. Checkpoint while records flow',
            'Completes in',
            'Size',
            'Longest record-flow pause during it',
            'Same, without a checkpoint',
          ],
          [
            [
              `${formatCount(k.keys)} keys in \`ctx.state\``,
              formatMs(k.checkpointMs),
              formatBytes(k.sizeBytes),
              formatMs(k.maxStallMs),
              formatMs(k.baselineMaxStallMs),
            ],
          ],
        )}`;
  const costs =
    report.costs === undefined || report.costs.length === 0 ? '' : `\n\n${costTable(report.costs)}`;
  return `${markdownTable(HEADER, rows)}\n\n${slow}${costs}${checkpoint}`;
}

function column(row: BenchRow, t: Timing, ratios?: readonly number[]): string[] {
  const cell = (ms: number): string =>
    row.kind === 'latency' ? `${formatMs(ms)} median` : formatRate(row.records, ms);
  const base = row.baseline === undefined ? '' : ` (${row.baseline})`;
  const range =
    ratios === undefined
      ? ''
      : ` (median of ${String(ratios.length)} processes: ${formatRatio(Math.min(...ratios))}–${formatRatio(Math.max(...ratios))})`;
  return [cell(t.engineMs), `${cell(t.rxjsMs)}${base}`, `${formatRatio(t.rxjsMs / t.engineMs)}${range}`];
}

function heapCell(t: Timing): string {
  if (t.heap === undefined) return '';
  const { per, engineBytes, rxjsBytes } = t.heap;
  const engine = `engine ${formatBytes(engineBytes)}/${per}`;
  return rxjsBytes === undefined ? engine : `${engine}, RxJS ${formatBytes(rxjsBytes)}/${per}`;
}
