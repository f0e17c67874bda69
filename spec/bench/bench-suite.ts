import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import type { BenchSizes } from './bench-sizes.js';
import type { ChildResult } from './child-result.js';
import { medianProcess } from './median-process.js';
import { compileBench } from './compile-bench.js';
import type { CostRow } from './cost-row.js';
import { machineLine } from './format-table.js';
import { checkOutcome, type Timing } from './measure.js';
import type { SlowStageReport } from './slow-stage-child.js';
import type { CheckpointBench } from './checkpoint.js';
import { WARM_UP_PIPELINES } from './warm-up.js';
import { benchCatalog } from './workload-catalog.js';

/** One workload measured twice: alone in a fresh process, and in the long-lived process after the warm-up. */
export interface BenchRow {
  readonly id: string;
  readonly title: string;
  readonly records: number;
  readonly detail?: string;
  /** What the baseline (RxJS) column ran when it is not plain RxJS. */
  readonly baseline?: string;
  readonly kind: 'throughput' | 'latency';
  readonly fresh: Timing;
  /** Engine ÷ RxJS in each fresh process, when the row was measured in more than one (`fresh` is the median). */
  readonly freshRatios?: readonly number[];
  readonly warm: Timing;
}

/** Workload f: the peak heap growth of each side, each in a fresh process. */
export interface SlowStageRow {
  readonly title: string;
  readonly records: number;
  readonly engine: SlowStageReport;
  readonly rxjs: SlowStageReport;
  /** After how many outputs the RxJS run stopped. */
  readonly rxjsRecords: number;
}

/** Everything one bench run measured, as written to `bench-results.json`. */
export interface BenchReport {
  /** When the run started (ISO 8601). */
  readonly date: string;
  readonly machine: string;
  readonly sizes: BenchSizes;
  /** The pipelines the long-lived process ran before its measurements. */
  readonly warmUp: readonly string[];
  readonly rows: readonly BenchRow[];
  readonly slowStage: SlowStageRow;
  /** Workload k: a checkpoint of many keys taken while records flow (absent in reports of older runs). */
  readonly checkpoint?: CheckpointBench;
  /**
   * What options cost against a baseline in the same process (metrics counters, service retry / rateLimit /
   * batching); absent in reports written before these rows existed.
   */
  readonly costs?: readonly CostRow[];
  /** Wall time of the whole run. */
  readonly seconds: number;
  /** The machine's 1-minute load average when the run started and when it ended (other work shares the cores). */
  readonly loadAverage: { readonly start: number; readonly end: number };
}

/** How to run the bench. */
export interface RunOptions {
  /** Called with one line per finished step. */
  readonly progress?: (line: string) => void;
  /**
   * How many child processes run at once (default 1). Above 1 the processes disturb each other's timing:
   * only for checking that everything runs (the spec does), never for figures.
   */
  readonly concurrency?: number;
}

const run = promisify(execFile);

/**
 * Runs every workload twice — (a) alone in a fresh `node --expose-gc` child process, one per workload, and
 * (b) all in one long-lived child process after a mixed warm-up of other pipelines — each time against plain
 * RxJS doing the same work in the same process; then workload f's heap test, one fresh process per side; then
 * the cost rows (metrics counters, service options), each against its baseline, in one fresh process.
 * Every run checks what the sinks saw first. Timing is never judged here: the report only holds figures.
 *
 * @example
 * ```ts
 * const report = await runBench(FULL_SIZES, { progress: (line) => console.error(line) });
 * console.log(resultsTable(report));
 * ```
 */
export async function runBench(sizes: BenchSizes, options: RunOptions = {}): Promise<BenchReport> {
  const { progress = () => undefined, concurrency = 1 } = options;
  const started = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  const date = new Date().toISOString();
  const child = compileBench('bench-child.ts');
  const slowChild = compileBench('slow-stage-child.ts');
  const costChild = compileBench('cost-child.ts');
  const sizesJson = JSON.stringify(sizes);
  const ids = benchCatalog(sizes).map((e) => e.id);

  const fresh = new Map<string, ChildResult[]>();
  const freshRuns = benchCatalog(sizes).flatMap((entry) =>
    Array.from({ length: entry.runs === 'throughput' ? sizes.freshProcesses : 1 }, () => async () => {
      const [result] = await childResults(child, [sizesJson, entry.id]);
      if (result === undefined) throw new Error(`bench child for "${entry.id}" printed no result`);
      fresh.set(entry.id, [...(fresh.get(entry.id) ?? []), result]);
      progress(`fresh process: ${describe(result)}`);
    }),
  );
  const warm = new Map<string, ChildResult>();
  const warmRun = async (): Promise<void> => {
    progress(`long-lived process: warm-up (${WARM_UP_PIPELINES.join(', ')}), then every workload`);
    for (const r of await childResults(child, [sizesJson, '--warm-up', ...ids])) {
      warm.set(r.id, r);
      progress(`after warm-up: ${describe(r)}`);
    }
  };
  const slow: Partial<Record<'engine' | 'rxjs', SlowStageReport>> = {};
  const slowRuns = (['engine', 'rxjs'] as const).map((side) => async () => {
    slow[side] = await slowStage(slowChild, side, sizes);
  });
  let checkpoint: CheckpointBench | undefined;
  const checkpointRun = async (): Promise<void> => {
    const { stdout } = await run(
      process.execPath,
      ['--expose-gc', compileBench('checkpoint.ts'), '--json', String(sizes.checkpointKeys)],
      { maxBuffer: 1 << 20 },
    );
    checkpoint = JSON.parse(stdout.trim().split('\n').pop() ?? '') as CheckpointBench;
    progress(
      `k. checkpoint of ${String(checkpoint.keys)} keys: ${checkpoint.checkpointMs.toFixed(0)} ms, longest pause ` +
        `${checkpoint.maxStallMs.toFixed(1)} ms (${checkpoint.baselineMaxStallMs.toFixed(1)} ms without one)`,
    );
  };
  let costs: CostRow[] = [];
  const costRun = async (): Promise<void> => {
    const { stdout } = await run(process.execPath, ['--expose-gc', costChild, sizesJson], {
      maxBuffer: 1 << 20,
    });
    costs = JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as CostRow[];
    for (const c of costs)
      progress(`${c.title}: ${c.ratio.toFixed(2)}× the time per ${c.unit} of ${c.baseline}`);
  };
  await inPool([...freshRuns, warmRun, ...slowRuns, costRun, checkpointRun], concurrency);

  const rows = ids.map((id): BenchRow => {
    const results = fresh.get(id);
    const w = warm.get(id);
    if (results === undefined || w === undefined) throw new Error(`no result for bench workload "${id}"`);
    const { median: f, ratios } = medianProcess(results);
    const { title, records, kind, detail, baseline } = f;
    return {
      id,
      title,
      records,
      kind,
      ...(detail === undefined ? {} : { detail }),
      ...(baseline === undefined ? {} : { baseline }),
      fresh: timing(f),
      ...(ratios.length > 1 ? { freshRatios: ratios } : {}),
      warm: timing(w),
    };
  });

  const { engine, rxjs } = slow;
  if (engine === undefined || rxjs === undefined) throw new Error('the slow-stage processes gave no report');
  progress(
    `${engine.title}: peak heap growth engine ${engine.peakMiB.toFixed(1)} MiB, RxJS ${rxjs.peakMiB.toFixed(1)} MiB`,
  );
  return {
    date,
    machine: machineLine(),
    sizes,
    warmUp: WARM_UP_PIPELINES,
    rows,
    slowStage: { title: engine.title, records: sizes.slow, engine, rxjs, rxjsRecords: sizes.slowRxjs },
    ...(checkpoint === undefined ? {} : { checkpoint }),
    costs,
    seconds: (performance.now() - started) / 1000,
    loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
  };
}

function timing(r: ChildResult): Timing {
  return r.heap === undefined
    ? { engineMs: r.engineMs, rxjsMs: r.rxjsMs }
    : { engineMs: r.engineMs, rxjsMs: r.rxjsMs, heap: r.heap };
}

function describe(r: ChildResult): string {
  return `${r.title}: engine ${r.engineMs.toFixed(2)} ms, RxJS ${r.rxjsMs.toFixed(2)} ms (${(r.rxjsMs / r.engineMs).toFixed(2)}×)`;
}

/** Runs the compiled bench child with `args` and parses the JSON line it prints per workload. */
async function childResults(script: string, args: readonly string[]): Promise<ChildResult[]> {
  const { stdout } = await run(process.execPath, ['--expose-gc', script, ...args], { maxBuffer: 1 << 24 });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as ChildResult);
}

/** Runs one side of workload f in a fresh process, so the heap holds nothing else, and checks its outcome. */
async function slowStage(
  script: string,
  side: 'engine' | 'rxjs',
  sizes: BenchSizes,
): Promise<SlowStageReport> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', script, side, String(sizes.slow), String(sizes.slowRxjs)],
    { maxBuffer: 1 << 20 },
  );
  const report = JSON.parse(stdout.trim().split('\n').pop() ?? '') as SlowStageReport;
  checkOutcome(report.title, side, report.outcome, report.expected);
  return report;
}

/** Runs the tasks, at most `concurrency` at a time, in order of the list. */
async function inPool(tasks: readonly (() => Promise<void>)[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++];
      if (task !== undefined) await task();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, worker));
}
