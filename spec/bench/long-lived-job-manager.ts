import { filter, from, map } from 'rxjs';
import { JobManager, LocalEnvironment } from '../../src/index.js';
import { formatCount } from './format-table.js';
import { settledHeap } from './heap-probe.js';
import { drain, tally, type Outcome, type Workload } from './workload.js';

const double = (x: number): number => x * 2;
const notMultipleOf3 = (x: number): boolean => x % 3 !== 0;

/** Runs one small map → filter → sink job (10 records) named `name` on `jobManager` to completion. */
async function smallJob(jobManager: JobManager, name: string): Promise<void> {
  const env = new LocalEnvironment(name, { jobManager, logLevel: 'silent' });
  env
    .fromBatch([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    .map(double)
    .filter(notMultipleOf3)
    .sink(() => undefined);
  await env.submit({ autostop: true });
}

/**
 * Workload i: one JobManager that has run `finished` small jobs (each with its own name, all kept queryable as
 * a long-lived server keeps them), then `n` numbers through map → filter → sink on it, against RxJS
 * `from(array).pipe(map, filter)`. Compare with workload a for the same job on a fresh JobManager; `heap()`
 * gives what each finished job holds.
 *
 * @example
 * ```ts
 * const w = longLivedJobManagerWorkload(1_000_000, 1_000);
 * await w.prepare?.();
 * ```
 */
export function longLivedJobManagerWorkload(n: number, finished: number): Workload {
  const numbers = Array.from({ length: n }, (_, i) => i);
  const expected: Outcome = { count: 0, sum: 0 };
  for (const x of numbers) {
    const y = double(x);
    if (notMultipleOf3(y)) {
      expected.count++;
      expected.sum += y;
    }
  }
  const jobManager = new JobManager({ maxFinishedJobs: finished });
  let bytesPerJob = Number.NaN;
  return {
    title: `i. map → filter → sink on a JobManager holding ${formatCount(finished)} finished jobs`,
    records: n,
    expected,
    async prepare() {
      const before = settledHeap();
      for (let i = 0; i < finished; i++) await smallJob(jobManager, `bench-finished-${String(i)}`);
      bytesPerJob = (settledHeap() - before) / finished;
      const kept = jobManager.listJobs().length;
      if (kept !== finished) {
        throw new Error(`the long-lived JobManager keeps ${String(kept)} jobs, expected ${String(finished)}`);
      }
    },
    async engine() {
      const env = new LocalEnvironment('bench-long-lived', { jobManager, logLevel: 'silent' });
      const { outcome, add } = tally();
      env.fromBatch(numbers).map(double).filter(notMultipleOf3).sink(add);
      await env.submit({ autostop: true });
      return outcome;
    },
    rxjs: () => drain(from(numbers).pipe(map(double), filter(notMultipleOf3))),
    heap: () => Promise.resolve({ per: 'finished job', engineBytes: bytesPerJob }),
  };
}
