/**
 * Service options benchmark (part of `npm run bench`; on its own:
 * `npx tsx --expose-gc spec/bench/service-batch.ts [calls] [rounds]`). Measures the engine's overhead per
 * `callService` (the ServiceCaller → ServiceChannel path functions use) for a batching service (maxSize 64) that
 * answers at once, at 100k and 1M calls, and what `retry` and `rateLimit` options cost on calls that succeed
 * first time within the limit, against the same service without options, in the same process and rounds.
 * Calls are issued in waves of 4,096 concurrent calls (so batches fill), each wave awaited.
 */
import { pathToFileURL } from 'node:url';
import log from 'loglevel';
import { asyncScheduler } from 'rxjs';
import { ServiceRegistry } from '../../src/kernel/runtime/service/service-registry.js';
import type { ServiceOptions } from '../../src/kernel/runtime/service/service-options.js';
import { costTable, type CostRow } from './cost-row.js';
import { machineLine } from './format-table.js';
import { interleaved, median, pairedRatio } from './interleaved.js';

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
/** Calls of each case's untimed warm-up run. */
const WARM_UP_CALLS = 100_000;

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

const batch = { maxSize: 64, maxWaitMs: 5 };
const retry = { attempts: 4, initialDelayMs: 100, maxDelayMs: 2_000, multiplier: 2 };
const rateLimit = { perSecond: 1e9, burst: 1e9 };

/** One service configuration the bench times. */
interface ServiceCase {
  readonly id: string;
  readonly options: ServiceOptions;
  readonly calls: number;
}

/**
 * The service rows, for `calls` calls per run (the batching service also at `smallCalls`, to show whether the
 * cost per call stays the same from 100k to 1M): every option against the same service without it. One
 * untimed run of every case first (JIT warm-up), then `rounds` interleaved rounds ({@link interleaved}); no
 * collection is forced between runs, so each case pays its own garbage as a long-running job would.
 *
 * @example
 * ```ts
 * const rows = await serviceCostRows(1_000_000, 100_000, 5);
 * ```
 */
export async function serviceCostRows(calls: number, smallCalls: number, rounds: number): Promise<CostRow[]> {
  const cases: ServiceCase[] = [
    { id: 'batch-small', options: { batch }, calls: smallCalls },
    { id: 'batch', options: { batch }, calls },
    { id: 'none', options: {}, calls },
    { id: 'retry', options: { retry }, calls },
    { id: 'rate', options: { rateLimit }, calls },
    { id: 'retry-rate', options: { retry, rateLimit }, calls },
    { id: 'batch-retry-rate', options: { batch, retry, rateLimit }, calls },
  ];
  (globalThis as { gc?: () => void }).gc?.();
  for (const c of cases) await timeCalls(c.options, Math.min(c.calls, WARM_UP_CALLS));
  const times = await interleaved(
    cases.map((c) => ({ id: c.id, run: () => timeCalls(c.options, c.calls) })),
    rounds,
  );
  const row = (
    title: string,
    id: string,
    baselineTitle: string,
    baselineId: string,
    note?: string,
  ): CostRow => {
    const own = cases.find((c) => c.id === id) as ServiceCase;
    const base = cases.find((c) => c.id === baselineId) as ServiceCase;
    return {
      title,
      unit: 'call',
      units: own.calls,
      ms: median(times.get(id) ?? []),
      baseline: baselineTitle,
      baselineUnits: base.calls,
      baselineMs: median(times.get(baselineId) ?? []),
      ratio: pairedRatio(times, { id, units: own.calls }, { id: baselineId, units: base.calls }),
      ...(note === undefined ? {} : { note }),
    };
  };
  return [
    row(
      'service: batching, maxSize 64 (answers at once)',
      'batch',
      'the same, fewer calls',
      'batch-small',
      'linearity: the cost per call of the larger run against the smaller one (about a tenth, a multiple of ' +
        '64 so that no batch waits for its window), same service, after the warm-up; 1.00× = linear.',
    ),
    row('service: retry (every call succeeds first time)', 'retry', 'no options', 'none'),
    row('service: rateLimit (every call within the limit)', 'rate', 'no options', 'none'),
    row('service: retry + rateLimit', 'retry-rate', 'no options', 'none'),
    row('service: batching + retry + rateLimit', 'batch-retry-rate', 'batching alone', 'batch'),
  ];
}

async function main(): Promise<void> {
  const calls = Number(process.argv[2] ?? 1_000_000);
  const rounds = Number(process.argv[3] ?? 5);
  const rows = await serviceCostRows(calls, Math.round(calls / 640) * 64, rounds);
  process.stdout.write(`${machineLine()}\n\n${costTable(rows)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
