import { fileURLToPath } from 'node:url';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { LogWorker } from '../../../../src/kernel/backend/redis/log-worker.js';
import { MemoryLog } from '../../../../src/kernel/backend/redis/memory-log.js';
import { JobManager } from '../../../../src/kernel/jobmanager/job-manager.js';
import type { CountedArgs } from './jobs/counted-batch.js';

export const JOBS = fileURLToPath(new URL('./jobs/', import.meta.url));
export const MODULE = new URL('./jobs/counted-batch.ts', import.meta.url);

/** A MemoryLog, a JobManager whose Redis jobs live in it, and workers on it (ticked by hand). */
export interface Harness {
  readonly log: MemoryLog;
  readonly jm: JobManager;
  readonly workers: LogWorker[];
}

/** Builds a harness with `workers` workers (small batches, so that a job commits often). */
export function harness(workers = 2): Harness {
  const log = new MemoryLog();
  const jm = new JobManager({ connectLog: () => Promise.resolve(log) });
  return {
    log,
    jm,
    workers: Array.from(
      { length: workers },
      (_, i) =>
        new LogWorker(log, {
          jobRoot: JOBS,
          id: `host-${String(i)}:${String(100 + i)}:w`,
          leaseMs: 5000,
          task: { intervalMs: 1, entriesPerRead: 1, recordsPerEntry: 4 },
        }),
    ),
  };
}

/** Submits the counted-batch module to the harness's JobManager on the Redis backend. */
export async function submitCounted(h: Harness, args: CountedArgs): Promise<string> {
  const env = await LocalEnvironment.fromModule(MODULE, {
    args: { ...args },
    config: { jobManager: h.jm },
  });
  return env.submit({ backend: { kind: 'redis', url: 'redis://memory', leaseMs: 5000 } });
}

/** Ticks every worker and waits a little, until `condition` holds (fails after 5 s). */
export async function drive(
  workers: readonly LogWorker[],
  condition: () => boolean | Promise<boolean>,
  what: string,
): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    for (const w of workers) await w.tick();
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** The `[key, value, count]` outputs of `stream`, in stream order. */
export function outputs(log: MemoryLog, stream: string): [string, number, number][] {
  return log.entries(stream).map((e) => JSON.parse(e.data) as [string, number, number]);
}

/** The plain model of the keyed count: each record with its key's running count. */
export function model(args: CountedArgs): [string, number, number][] {
  const seen = new Map<string, number>();
  return Array.from({ length: args.n }, (_, i) => {
    const k = `k${String(i % args.keys)}`;
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    return [k, i, n];
  });
}

/** Outputs grouped by key (order within a key is what must hold). */
export function byKey(records: readonly [string, number, number][]): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const [k, v, n] of records) out.set(k, [...(out.get(k) ?? []), [v, n]]);
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}
