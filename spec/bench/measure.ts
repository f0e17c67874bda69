import { Bench } from 'tinybench';
import type { HeapFigures, Outcome, Workload } from './workload.js';

/** How often to time each side. */
export interface MeasureOptions {
  /** Timed runs per side. */
  readonly iterations: number;
  /** Untimed runs per side first (JIT warm-up). */
  readonly warmup: number;
  /**
   * Keep timing each side until its runs took this long in all (default 0): gives the fast side of a slow
   * workload enough runs for a steady median.
   */
  readonly minMs?: number;
}

/** Median wall time of one run of each side, in milliseconds, and the heap figures of workloads that give them. */
export interface Timing {
  readonly engineMs: number;
  readonly rxjsMs: number;
  readonly heap?: HeapFigures;
}

/**
 * Checks that `got` equals `expected`, or throws an Error saying both.
 *
 * @example
 * ```ts
 * checkOutcome(w.title, 'engine', await w.engine(), w.expected);
 * ```
 */
export function checkOutcome(title: string, side: string, got: Outcome, expected: Outcome): void {
  if (got.count !== expected.count || got.sum !== expected.sum) {
    throw new Error(
      `${title}: the ${side} sink saw ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}; ` +
        'the benchmark would measure broken work: fix the workload or the engine first',
    );
  }
}

/**
 * Prepares the workload, runs both sides once and checks what their sinks saw, then times them with tinybench
 * and returns the median run of each, plus the workload's heap figures when it measures any.
 *
 * @example
 * ```ts
 * const { engineMs, rxjsMs } = await measure(mapFilterWorkload(1_000_000), { iterations: 15, warmup: 3 });
 * ```
 */
export async function measure(workload: Workload, options: MeasureOptions): Promise<Timing> {
  await workload.prepare?.();
  checkOutcome(workload.title, 'engine', await workload.engine(), workload.expected);
  checkOutcome(workload.title, 'RxJS', await workload.rxjs(), workload.expected);
  const bench = new Bench({
    time: options.minMs ?? 0,
    iterations: options.iterations,
    warmupIterations: options.warmup,
    warmupTime: 0,
    throws: true,
  });
  // Collect garbage once before each side's runs (when node runs with --expose-gc, as `npm run bench` does),
  // so that one side never pays for the garbage the other side or an earlier workload left behind. (Not
  // before every run: forced full collections also flush compiled code, which would slow both sides.)
  const collect = (): void => {
    (globalThis as { gc?: () => void }).gc?.();
  };
  bench.add('engine', () => workload.engine(), { beforeAll: collect });
  bench.add('rxjs', () => workload.rxjs(), { beforeAll: collect });
  await bench.run();
  const timing = { engineMs: median(bench, 'engine'), rxjsMs: median(bench, 'rxjs') };
  const heap = await workload.heap?.();
  return heap === undefined ? timing : { ...timing, heap };
}

function median(bench: Bench, name: string): number {
  const result = bench.getTask(name)?.result;
  if (result === undefined || !('latency' in result)) throw new Error(`tinybench gave no timing for ${name}`);
  return result.latency.p50;
}
