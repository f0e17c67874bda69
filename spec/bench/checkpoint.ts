/**
 * Checkpoint benchmark (row k of `npm run bench`, which runs it in a fresh process with `--json`), or on its
 * own: `npx tsx --expose-gc spec/bench/checkpoint.ts [keys]`.
 * A keyed running count holds `keys` keys (default 1,000,000) in `ctx.state`; records keep flowing while a
 * savepoint (the same aligned-barrier cut as a periodic checkpoint) is taken. Prints how long the checkpoint
 * took to complete, its size, and the longest pause of record flow at the sink during it, against the longest
 * pause in an equal window without a checkpoint (the pull loop's own yields), and the longest garbage-collection
 * pause in each (a longer record-flow pause than that was the checkpoint's own work or the machine's load).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { JobManager, LocalEnvironment, MapFunction, SourceFunction, StopSignal } from '../../src/index.js';

/** Emits 0, 1, 2, … until told to stop. */
class Counter extends SourceFunction<number> {
  private n = 0;
  constructor(private readonly stop: { now: boolean }) {
    super();
  }
  execute(): number | StopSignal {
    return this.stop.now ? new StopSignal() : this.n++;
  }
}

/** A running count per key in managed state. */
class CountInState extends MapFunction<number, number> {
  execute(): number {
    const n = this.ctx.state.value('n', 0);
    n.set(n.get() + 1);
    return n.get();
  }
}

/** What one checkpoint run measured. */
export interface CheckpointBench {
  readonly keys: number;
  readonly checkpointMs: number;
  readonly sizeBytes: number;
  readonly maxStallMs: number;
  readonly baselineMaxStallMs: number;
  readonly recordsDuring: number;
  /** Longest garbage-collection pause during the checkpoint (what a pause longer than this was not). */
  readonly maxGcPauseMs?: number;
  /** Longest garbage-collection pause in the window without a checkpoint. */
  readonly baselineMaxGcPauseMs?: number;
}

/** Start and duration of every garbage collection from now on (until `stop()`). */
function watchGc(): { pauses: { start: number; ms: number }[]; stop: () => void } {
  const pauses: { start: number; ms: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ start: e.startTime, ms: e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    pauses,
    stop: () => {
      observer.disconnect();
    },
  };
}

/** The longest of `pauses` that started between `from` and `to`. */
function longest(pauses: readonly { start: number; ms: number }[], from: number, to: number): number {
  return pauses.filter((p) => p.start >= from && p.start <= to).reduce((max, p) => Math.max(max, p.ms), 0);
}

/** Loads `keys` keys, then measures a savepoint taken while records flow. */
export async function benchCheckpoint(keys: number): Promise<CheckpointBench> {
  const jm = new JobManager();
  const env = new LocalEnvironment('checkpoint-bench', { jobManager: jm, logLevel: 'silent' });
  const stop = { now: false };
  let seen = 0;
  let last = 0;
  let maxGap = 0;
  let measuring = false;
  env
    .fromSource(Counter, { args: [stop] })
    .keyBy((i) => (i < keys ? i : i % 1000))
    .map(CountInState)
    .sink(() => {
      seen++;
      if (!measuring) return;
      const now = performance.now();
      if (now - last > maxGap) maxGap = now - last;
      last = now;
    });
  const gc = watchGc();
  const uuid = await env.submit();
  while (seen < keys) await new Promise((resolve) => setTimeout(resolve, 5));
  const window = async (ms: number): Promise<number> => {
    maxGap = 0;
    last = performance.now();
    measuring = true;
    await new Promise((resolve) => setTimeout(resolve, ms));
    measuring = false;
    return maxGap;
  };
  maxGap = 0;
  last = performance.now();
  measuring = true;
  const before = seen;
  const started = performance.now();
  const snapshot = await jm.snapshotJob(uuid);
  const checkpointMs = performance.now() - started;
  measuring = false;
  const maxStallMs = maxGap;
  const recordsDuring = seen - before;
  const ended = performance.now();
  const baselineMaxStallMs = await window(Math.max(50, checkpointMs));
  const baselineEnded = performance.now();
  // GC entries are delivered after the collection: let the last ones arrive.
  await new Promise((resolve) => setTimeout(resolve, 20));
  gc.stop();
  stop.now = true;
  jm.stopJob(uuid);
  return {
    keys,
    checkpointMs,
    sizeBytes: Buffer.byteLength(JSON.stringify(snapshot)),
    maxStallMs,
    baselineMaxStallMs,
    recordsDuring,
    maxGcPauseMs: longest(gc.pauses, started, ended),
    baselineMaxGcPauseMs: longest(gc.pauses, ended, baselineEnded),
  };
}

async function main(): Promise<void> {
  const json = process.argv[2] === '--json';
  const keys = Number(process.argv[json ? 3 : 2] ?? 1_000_000);
  const r = await benchCheckpoint(keys);
  if (json) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const mb = (r.sizeBytes / 1024 / 1024).toFixed(1);
  process.stdout.write(
    `| keys held | checkpoint completes | size | longest record-flow pause during it | same without a checkpoint | records during it | longest GC pause during it | same without |\n` +
      `|---|---|---|---|---|---|---|---|\n` +
      `| ${r.keys.toLocaleString('en')} | ${r.checkpointMs.toFixed(0)} ms | ${mb} MiB | ${r.maxStallMs.toFixed(1)} ms | ${r.baselineMaxStallMs.toFixed(1)} ms | ${r.recordsDuring.toLocaleString('en')} | ${(r.maxGcPauseMs ?? 0).toFixed(1)} ms | ${(r.baselineMaxGcPauseMs ?? 0).toFixed(1)} ms |\n`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
