/**
 * Service options benchmark, on its own: `npx tsx --expose-gc spec/bench/service-batch.ts [calls]`.
 * Measures the engine's overhead per `callService` (the ServiceCaller → ServiceChannel path functions use) for a
 * batching service (maxSize 64) that answers at once, at 100k and 1M calls, and what `retry` and `rateLimit`
 * options cost on calls that succeed first time within the limit, against the same service without options.
 * Calls are issued in waves of 4,096 concurrent calls (so batches fill), each wave awaited. Prints a markdown
 * table; the median of 5 runs per row, after one warm-up run of every case.
 */
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import log from 'loglevel';
import { asyncScheduler } from 'rxjs';
import { ServiceRegistry } from '../../src/kernel/runtime/service/service-registry.js';
import type { ServiceOptions } from '../../src/kernel/runtime/service/service-options.js';

/** Answers a batch at once: each reply is its request. */
class EchoBatch {
  process(x: number): number {
    return x;
  }
  processBatch(xs: number[]): number[] {
    return xs;
  }
}

const WAVE = 4096;
const RUNS = 5;

/** What one row measured. */
export interface BatchBenchRow {
  readonly name: string;
  readonly calls: number;
  readonly ms: number;
  readonly perSecond: number;
}

/** Makes `calls` calls of service 'svc' with `options`, in waves, and returns the wall time in ms. */
export async function timeCalls(options: ServiceOptions, calls: number): Promise<number> {
  const logger = log.getLogger('bench:service-batch');
  logger.setLevel('silent');
  const registry = new ServiceRegistry([{ name: 'svc', options, create: () => new EchoBatch() }], {
    jobId: 'bench',
    envName: 'bench',
    scheduler: asyncScheduler,
    loggerFor: () => logger,
  });
  registry.start();
  const caller = registry.caller;
  const wave: Promise<unknown>[] = new Array<Promise<unknown>>(WAVE);
  let sum = 0;
  const start = performance.now();
  for (let done = 0; done < calls; done += WAVE) {
    const size = Math.min(WAVE, calls - done);
    wave.length = size;
    for (let i = 0; i < size; i++) wave[i] = caller.call('svc', [done + i]);
    for (const reply of await Promise.all(wave)) sum += reply as number;
  }
  const ms = performance.now() - start;
  await registry.stop();
  const expected = (calls * (calls - 1)) / 2;
  if (sum !== expected)
    throw new Error(`service-batch bench: replies summed to ${String(sum)}, expected ${String(expected)}`);
  return ms;
}

async function median(options: ServiceOptions, calls: number): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    times.push(await timeCalls(options, calls));
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] as number;
}

const batch = { maxSize: 64, maxWaitMs: 5 };
const retry = { attempts: 4, initialDelayMs: 100, maxDelayMs: 2_000, multiplier: 2 };
const rateLimit = { perSecond: 1e9, burst: 1e9 };

/** Every row of the benchmark, for `calls` calls (the batching row also at a tenth of it). */
export async function runServiceBatchBench(calls: number): Promise<BatchBenchRow[]> {
  const cases: [string, ServiceOptions, number][] = [
    ['batching, maxSize 64', { batch }, Math.round(calls / 10)],
    ['batching, maxSize 64', { batch }, calls],
    ['no options (one call per invocation)', {}, calls],
    ['retry (all succeed first time)', { retry }, calls],
    ['rateLimit (within the limit)', { rateLimit }, calls],
    ['retry + rateLimit', { retry, rateLimit }, calls],
    ['batching + retry + rateLimit', { batch, retry, rateLimit }, calls],
  ];
  for (const [, options] of cases) await timeCalls(options, Math.min(calls, 100_000));
  const rows: BatchBenchRow[] = [];
  for (const [name, options, n] of cases) {
    const ms = await median(options, n);
    rows.push({ name, calls: n, ms, perSecond: (n / ms) * 1000 });
    process.stderr.write(`${name}, ${n.toLocaleString('en-US')} calls: ${ms.toFixed(0)} ms\n`);
  }
  return rows;
}

/** Renders the rows as a markdown table. */
export function serviceBatchTable(rows: readonly BatchBenchRow[]): string {
  const baseline = rows.find((r) => r.name.startsWith('no options'));
  const lines = ['| Service options | Calls | Time | Requests/s | vs no options |', '|---|---|---|---|---|'];
  for (const r of rows) {
    const vs =
      baseline === undefined || r.calls !== baseline.calls
        ? ''
        : `${(r.perSecond / baseline.perSecond).toFixed(2)}×`;
    lines.push(
      `| ${r.name} | ${r.calls.toLocaleString('en-US')} | ${r.ms.toFixed(0)} ms | ${Math.round(r.perSecond).toLocaleString('en-US')} | ${vs} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const calls = Number(process.argv[2] ?? 1_000_000);
  const rows = await runServiceBatchBench(calls);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(
    `Machine: ${cpu} ×${String(cpus().length)}, Node ${process.version}\n\n${serviceBatchTable(rows)}\n`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
