import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { batchLatencyWorkload } from './batch-latency.js';
import { fanOutWorkload } from './fan-out.js';
import { formatCount, formatMs, formatRate, formatRatio, type Row } from './format-table.js';
import { keyedCountWorkload } from './keyed-count.js';
import { mapFilterWorkload } from './map-filter.js';
import { checkOutcome, measure, type MeasureOptions } from './measure.js';
import { serviceCallWorkload } from './service-call.js';
import type { SlowStageReport } from './slow-stage-child.js';

/** Sizes and repetitions of one bench run. */
export interface BenchSizes {
  /** (a) numbers through map → filter. */
  readonly mapFilter: number;
  /** (b) keyed records, and how many distinct keys. */
  readonly keyed: number;
  readonly keys: number;
  /** (c) service calls: the small and the large run (the large one is checked for linear cost). */
  readonly callsSmall: number;
  readonly callsLarge: number;
  /** (d) records of the small batch job. */
  readonly batch: number;
  /** (e) numbers fanned out to three sinks. */
  readonly fanOut: number;
  /** (f) records through the slow stage, and after how many outputs the RxJS run stops. */
  readonly slow: number;
  readonly slowRxjs: number;
  /** Timed runs of the throughput workloads (a, b, c, e) and of the latency workload (d). */
  readonly throughput: MeasureOptions;
  readonly latency: MeasureOptions;
}

/** The sizes of the issue: the numbers the README reports. */
export const FULL_SIZES: BenchSizes = {
  mapFilter: 1_000_000,
  keyed: 500_000,
  keys: 1_000,
  callsSmall: 25_000,
  callsLarge: 100_000,
  batch: 10,
  fanOut: 1_000_000,
  slow: 1_000_000,
  slowRxjs: 1_000,
  throughput: { iterations: 10, warmup: 3 },
  latency: { iterations: 500, warmup: 50 },
};

/** Progress callback: one line per finished workload. */
export type Progress = (line: string) => void;

const SLOW_STAGE_CHILD = fileURLToPath(new URL('./slow-stage-child.ts', import.meta.url));
const run = promisify(execFile);

/**
 * Runs every workload at the given sizes, checks that engine and RxJS sinks saw the expected records, and
 * returns one formatted row per workload, with its target and whether it was met.
 *
 * @example
 * ```ts
 * const rows = await runBench(FULL_SIZES, (line) => console.error(line));
 * console.log(markdownTable(rows));
 * ```
 */
export async function runBench(sizes: BenchSizes, progress: Progress = () => undefined): Promise<Row[]> {
  const rows: Row[] = [];
  const add = (row: Row): void => {
    rows.push(row);
    progress(`${row.workload}: engine ${row.engine}, RxJS ${row.rxjs}, ${row.ratio}`);
  };

  const a = mapFilterWorkload(sizes.mapFilter);
  const ta = await measure(a, sizes.throughput);
  const ra = ta.rxjsMs / ta.engineMs;
  add({
    ...throughputRow(a.title, a.records, ta.engineMs, ta.rxjsMs),
    target: '≥ 1.0× (stretch 2×)',
    met: ra >= 2 ? 'yes, stretch too' : verdict(ra >= 1),
  });

  for (const parallelism of [1, 4]) {
    const b = keyedCountWorkload(sizes.keyed, sizes.keys, parallelism);
    const tb = await measure(b, sizes.throughput);
    add({
      ...throughputRow(b.title, b.records, tb.engineMs, tb.rxjsMs),
      records: `${formatCount(b.records)} (${formatCount(sizes.keys)} keys)`,
      target: '≥ 0.5×',
      met: verdict(tb.rxjsMs / tb.engineMs >= 0.5),
    });
  }

  // The same number of runs as the other workloads: with fewer, one collection of the Promises a run leaves
  // behind can land in the median and break the linearity check at random.
  const callOptions: MeasureOptions = sizes.throughput;
  const cSmall = serviceCallWorkload(sizes.callsSmall);
  const tcSmall = await measure(cSmall, callOptions);
  const rateSmall = (cSmall.records * 1000) / tcSmall.engineMs;
  add({
    ...throughputRow(cSmall.title, cSmall.records, tcSmall.engineMs, tcSmall.rxjsMs),
    target: '≥ 300k calls/s',
    met: verdict(rateSmall >= 300_000),
  });
  const cLarge = serviceCallWorkload(sizes.callsLarge);
  const tcLarge = await measure(cLarge, callOptions);
  const rateLarge = (cLarge.records * 1000) / tcLarge.engineMs;
  const growth = tcLarge.engineMs / tcSmall.engineMs;
  const rxjsGrowth = tcLarge.rxjsMs / tcSmall.rxjsMs;
  const factor = cLarge.records / cSmall.records;
  add({
    ...throughputRow(cLarge.title, cLarge.records, tcLarge.engineMs, tcLarge.rxjsMs),
    target: `≤ ${factor * 1.25}× the ${formatCount(cSmall.records)} time (engine ${growth.toFixed(1)}×, RxJS ${rxjsGrowth.toFixed(1)}×), ≥ 300k calls/s`,
    met: verdict(growth <= factor * 1.25 && rateLarge >= 300_000),
  });

  const d = batchLatencyWorkload(sizes.batch);
  const td = await measure(d, sizes.latency);
  add({
    workload: d.title,
    records: formatCount(d.records),
    engine: `${formatMs(td.engineMs)} median`,
    rxjs: `${formatMs(td.rxjsMs)} median`,
    ratio: formatRatio(td.rxjsMs / td.engineMs),
    target: '< 1 ms median',
    met: verdict(td.engineMs < 1),
  });

  const e = fanOutWorkload(sizes.fanOut);
  const te = await measure(e, sizes.throughput);
  add({ ...throughputRow(e.title, e.records, te.engineMs, te.rxjsMs), target: '—', met: '—' });

  const fEngine = await slowStageInChild('engine', sizes.slow, sizes.slowRxjs);
  const fRxjs = await slowStageInChild('rxjs', sizes.slow, sizes.slowRxjs);
  const title = fEngine.title;
  const slowNote =
    sizes.slowRxjs < sizes.slow ? `, stopped after ${formatCount(sizes.slowRxjs)} outputs` : '';
  add({
    workload: `${title}: peak heap growth`,
    records: formatCount(sizes.slow),
    engine: `${fEngine.report.peakMiB.toFixed(1)} MiB (${formatMs(fEngine.report.ms)})`,
    rxjs: `${fRxjs.report.peakMiB.toFixed(1)} MiB (${formatMs(fRxjs.report.ms)}${slowNote})`,
    ratio: `${formatRatio(fRxjs.report.peakMiB / Math.max(fEngine.report.peakMiB, 0.1))} less heap`,
    target: '< 64 MiB',
    met: verdict(fEngine.report.peakMiB < 64),
  });
  return rows;
}

function throughputRow(workload: string, records: number, engineMs: number, rxjsMs: number): Row {
  return {
    workload,
    records: formatCount(records),
    engine: `${formatMs(engineMs)} (${formatRate(records, engineMs)})`,
    rxjs: `${formatMs(rxjsMs)} (${formatRate(records, rxjsMs)})`,
    ratio: formatRatio(rxjsMs / engineMs),
    target: '',
    met: '',
  };
}

function verdict(ok: boolean): string {
  return ok ? 'yes' : '**no**';
}

/** Runs one side of (f) in a fresh `node --expose-gc` process, so the heap holds nothing else. */
async function slowStageInChild(
  side: 'engine' | 'rxjs',
  records: number,
  rxjsRecords: number,
): Promise<{ title: string; report: SlowStageReport }> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', SLOW_STAGE_CHILD, side, String(records), String(rxjsRecords)],
    { maxBuffer: 1 << 20 },
  );
  const report = JSON.parse(stdout.trim().split('\n').pop() ?? '') as SlowStageReport;
  checkOutcome(report.title, side, report.outcome, report.expected);
  return { title: report.title, report };
}
