/**
 * The threads bench (`npm run bench:threads [-- --records N --rounds R]`, and the last section of `npm run bench`):
 * keyBy → keyed count with about 1 µs of user CPU per record, in one thread and on 2 worker threads (one source,
 * then sources split by `ctx.parallelIndex`); the CPU cost of a record crossing a thread and the break-even user
 * work per record; and the memory bound of a fast source feeding a slow stage in another thread. Figures are
 * printed, never asserted.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { JobManager, LocalEnvironment } from '../../src/index.js';
import type { ShardStats } from '../../src/kernel/backend/threads/threads-protocol.js';
import { burn, type ThreadsJobArgs } from './threads-job.js';

const JOB = new URL('./threads-job.ts', import.meta.url);

/** One timed run: wall ms, process CPU µs (every thread), records crossing a thread. */
interface Run {
  readonly wallMs: number;
  readonly cpuUs: number;
  readonly crossings: number;
  /** CPU ms of this (the main) thread during the run: all of an in-process run's work. */
  readonly mainThreadCpuMs: number;
  readonly peakRssGrowthMiB: number;
  /** Each worker's time and channel counters (threads runs). */
  readonly workers: readonly (ShardStats | undefined)[];
}

/** This thread's CPU ms (Linux: `/proc/thread-self/stat`, 10 ms steps), NaN elsewhere. */
function threadCpuMs(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

function cpuNow(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** Multiply-add steps of `burn` per µs of CPU on this machine (best of 5). */
function stepsPerMicrosecond(): number {
  let best = Infinity;
  const steps = 2_000_000;
  for (let i = 0; i < 5; i++) {
    const t = process.cpuUsage();
    burn(i, steps);
    const u = process.cpuUsage(t);
    best = Math.min(best, u.user + u.system);
  }
  return steps / Math.max(1, best);
}

async function run(args: ThreadsJobArgs, workers: number | undefined): Promise<Run> {
  const jobManager = new JobManager();
  const env = await LocalEnvironment.fromModule(JOB, { args: { ...args }, config: { jobManager } });
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const cpu = process.cpuUsage();
  const mainCpu = threadCpuMs();
  const start = performance.now();
  const uuid = await env.submit({
    autostop: true,
    ...(workers !== undefined ? { backend: { kind: 'threads' as const, workers } } : {}),
  });
  const end = performance.now();
  const used = process.cpuUsage(cpu);
  const mainThreadCpuMs = threadCpuMs() - mainCpu;
  clearInterval(sampler);
  // Threads: time from the moment every worker had started up (threads, module imports, compiling).
  const since = jobManager.getJob(uuid)?.placement?.startedRunning();
  const wallMs = end - (since?.wallMs ?? start);
  const cpuUs = since === undefined ? used.user + used.system : cpuNow() - since.cpuUs;
  const metrics = jobManager.getJob(uuid)?.dispatcher.metrics() ?? [];
  // With 2 workers, count#0 runs on worker 1 and the source and sink on worker 0: its records cross twice.
  const count0 = metrics.find((m) => m.operator === 'count' && m.instance === 0)?.in ?? 0;
  return {
    wallMs,
    cpuUs,
    crossings: workers === undefined ? 0 : 2 * count0,
    mainThreadCpuMs,
    peakRssGrowthMiB: (peak - base) / 2 ** 20,
    workers: jobManager.getJob(uuid)?.placement?.workerStats?.() ?? [],
  };
}

/** The run of median wall time. */
function median(runs: readonly Run[]): Run {
  return [...runs].sort((a, b) => a.wallMs - b.wallMs)[runs.length >> 1] as Run;
}

/**
 * Runs the threads bench over `records` records (the first three rows `rounds` times, interleaved: medians) and returns its report as text.
 *
 * @example
 * ```ts
 * process.stdout.write(await threadsBench(2_000_000));
 * ```
 */
export async function threadsBench(records: number, rounds = 1): Promise<string> {
  const perUs = stepsPerMicrosecond();
  const work = Math.round(perUs);
  const job = (w: number, sources: number, slow = 0): ThreadsJobArgs => ({
    n: records,
    keys: 1000,
    sources,
    work: w,
    slow,
  });
  const warm = { ...job(work, 1), n: Math.min(records, 100_000) };
  await run(warm, undefined);
  await run(warm, 2);
  // Rounds of the three runs interleaved (the machine's load drifts); each row is its median round.
  const ones: Run[] = [];
  const twos: Run[] = [];
  const splits: Run[] = [];
  for (let r = 0; r < rounds; r++) {
    ones.push(await run(job(work, 1), undefined));
    twos.push(await run(job(work, 1), 2));
    splits.push(await run(job(work, 2), 2));
  }
  const one = median(ones);
  const two = median(twos);
  const split = median(splits);
  const bare1 = await run(job(0, 1), undefined);
  const bare2 = await run(job(0, 1), 2);
  const workerRows = (label: string, r: Run): string[] =>
    r.workers.map((w, id) => {
      if (w === undefined) return `| ${label} | ${String(id)} | ? | | | | | | | |`;
      const sum = (f: (p: NonNullable<ShardStats['peers'][number]>) => number): number =>
        w.peers.reduce((n, p) => n + (p === null ? 0 : f(p)), 0);
      return (
        `| ${label} | ${String(id)} | ${w.cpuMs === undefined ? '?' : `${w.cpuMs.toFixed(0)} ms`} | ${w.activeMs.toFixed(0)} ms | ${w.idleMs.toFixed(0)} ms | ${w.gcMs.toFixed(0)} ms | ` +
        `${sum((p) => p.sent).toLocaleString('en')} (${sum((p) => p.entriesSent).toLocaleString('en')} entries) | ` +
        `${sum((p) => p.fullFlushes).toLocaleString('en')} / ${sum((p) => p.timerFlushes).toLocaleString('en')} / ${sum((p) => p.creditFlushes).toLocaleString('en')} | ` +
        `${sum((p) => p.received).toLocaleString('en')} | ${sum((p) => p.starvations).toLocaleString('en')} (${sum((p) => p.starvedMs).toFixed(0)} ms), ${sum((p) => p.withheld).toLocaleString('en')} withheld |`
      );
    });
  // The one-thread run's thread CPU against the busiest worker thread's CPU: the speed-up two idle cores would
  // give if neither thread ever waited for the other (load-independent, unlike the wall times; GC and compiler
  // helper threads are left out on both sides).
  const bound = (r: Run): string => {
    const busiest = Math.max(...r.workers.map((w) => w?.cpuMs ?? NaN));
    const ratio = one.mainThreadCpuMs / busiest;
    return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '?';
  };
  const crossUs = (bare2.cpuUs - bare1.cpuUs) / Math.max(1, bare2.crossings);
  const enginePerRecordUs = bare1.cpuUs / records;
  // Wall time per record without user work, in one thread (e1) and on two workers (e2); user work W per record
  // adds W to the one-thread run and about W / 2 to the two-worker run (split evenly), so they break even where
  // e1 + W = e2 + W / 2.
  const breakEvenUs = Math.max(0, (2 * (bare2.wallMs - bare1.wallMs) * 1000) / records);
  const slow = await run(job(0, 1, Math.round(perUs * 3)), 2);
  const rate = (r: Run): string => `${((records / r.wallMs) * 1000).toFixed(0)} rec/s`;
  const lines = [
    `### Threads backend (${records.toLocaleString('en')} records, keyBy → keyed count with ${work} multiply-adds ≈ 1 µs of user CPU per record)`,
    ...(rounds > 1
      ? [
          '',
          `First three rows: median of ${String(rounds)} interleaved rounds; speed-ups per round: one source ` +
            `${ones.map((o, i) => (o.wallMs / (twos[i] as Run).wallMs).toFixed(2)).join(', ')}; split ` +
            `${ones.map((o, i) => (o.wallMs / (splits[i] as Run).wallMs).toFixed(2)).join(', ')}.`,
        ]
      : []),
    '',
    '| run | wall | throughput | process CPU per record | speed-up | CPU bound |',
    '|---|---|---|---|---|---|',
    `| 1 thread (in-process) | ${one.wallMs.toFixed(0)} ms | ${rate(one)} | ${(one.cpuUs / records).toFixed(2)} µs | 1.00× | |`,
    `| 2 workers, 1 source | ${two.wallMs.toFixed(0)} ms | ${rate(two)} | ${(two.cpuUs / records).toFixed(2)} µs | ${(one.wallMs / two.wallMs).toFixed(2)}× | ${bound(two)} |`,
    `| 2 workers, sources split by parallelIndex | ${split.wallMs.toFixed(0)} ms | ${rate(split)} | ${(split.cpuUs / records).toFixed(2)} µs | ${(one.wallMs / split.wallMs).toFixed(2)}× | ${bound(split)} |`,
    `| no user work, 1 thread | ${bare1.wallMs.toFixed(0)} ms | ${rate(bare1)} | ${(bare1.cpuUs / records).toFixed(2)} µs | 1.00× | |`,
    `| no user work, 2 workers | ${bare2.wallMs.toFixed(0)} ms | ${rate(bare2)} | ${(bare2.cpuUs / records).toFixed(2)} µs | ${(bare1.wallMs / bare2.wallMs).toFixed(2)}× | |`,
    '',
    `Crossing a thread costs ${crossUs.toFixed(2)} µs of CPU per record (${bare2.crossings.toLocaleString('en')} crossings); ` +
      `the engine's own work is ${enginePerRecordUs.toFixed(2)} µs per record in one thread. From the wall times ` +
      `without user work, 2 worker threads break even at about ${breakEvenUs.toFixed(2)} µs of user CPU per record ` +
      `(above it they are faster, if the work splits evenly).`,
    '',
    'Where each worker spent the run (CPU time of its thread, event loop busy / idle, GC pauses) and its channels: batches sent, why they went ' +
      '(full / end of a burst / on a returning credit), batches received, times the credits ran out (time without one) ' +
      'and credits withheld while a local queue was full.',
    '',
    '| run | worker | thread CPU | busy | idle | GC | batches sent | full / burst / credit | received | out of credits |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...workerRows('1 source', two),
    ...workerRows('split sources', split),
    '',
    `A fast source into a slow stage (≈ 3 µs per record) in another thread: peak RSS growth ${slow.peakRssGrowthMiB.toFixed(0)} MiB ` +
      `over ${records.toLocaleString('en')} records (${slow.wallMs.toFixed(0)} ms).`,
    'Threads rows time the run from the moment every worker had started up (spawning, importing the module, ' +
      'compiling: about 0.5–4 s, more under tsx and load).',
    `Load average ${loadavg()[0]?.toFixed(1) ?? '?'} at the end.`,
  ];
  return `${lines.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const at = process.argv.indexOf('--records');
  const records = at >= 0 ? Number(process.argv[at + 1]) : 2_000_000;
  const r = process.argv.indexOf('--rounds');
  process.stdout.write(await threadsBench(records, r >= 0 ? Number(process.argv[r + 1]) : 1));
}
