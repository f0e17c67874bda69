import type { MeasureOptions } from './measure.js';
import type { WarmUpSizes } from './warm-up.js';

/** One `ctx.state` row: how many distinct keys the records cycle over, and how many records. */
export interface StateSize {
  readonly keys: number;
  readonly records: number;
}

/** Sizes of the cost rows (options against a baseline, in one fresh process). */
export interface CostSizes {
  /** Service calls per run, and the smaller run of the linearity row (a multiple of 64: whole batches). */
  readonly calls: number;
  readonly smallCalls: number;
  /** Interleaved rounds of the service rows. */
  readonly serviceRounds: number;
  /** Records through the metrics-counter chains, and their interleaved rounds. */
  readonly records: number;
  readonly metricsRounds: number;
}

/** Sizes and repetitions of one bench run. */
export interface BenchSizes {
  /** a, i: numbers through map → filter. */
  readonly mapFilter: number;
  /** a2: `{ id, key, value }` records through map → filter. */
  readonly objects: number;
  /** a3: numbers through an async map. */
  readonly asyncMap: number;
  /** b: keyed records, and how many distinct keys. */
  readonly keyed: number;
  readonly keys: number;
  /** c: service calls, a small and a large run (to see whether the cost is linear). */
  readonly callsSmall: number;
  readonly callsLarge: number;
  /** d: records of the small batch job. */
  readonly batch: number;
  /** e: numbers fanned out to three sinks. */
  readonly fanOut: number;
  /** g: `ctx.state` value updates, and how many runs per side the heap per key is the median of. */
  readonly state: readonly StateSize[];
  readonly heapRuns: number;
  /**
   * Fresh processes each throughput row is measured in: the row shows the process whose ratio is the median,
   * and the range of all (a fresh process's speed depends on where its heap landed, for RxJS as for the engine).
   */
  readonly freshProcesses: number;
  /** h: `ListState.add` records, over how many keys. */
  readonly listRecords: number;
  readonly listKeys: number;
  /** k: keys held in `ctx.state` when a checkpoint is taken while records flow. */
  readonly checkpointKeys: number;
  /** i: finished jobs the long-lived JobManager holds. */
  readonly finishedJobs: number;
  /** f: records through the slow stage, and after how many outputs the RxJS run stops. */
  readonly slow: number;
  readonly slowRxjs: number;
  /** w1: records through the window engine, over how many keys, and records per window and key. */
  readonly windowRecords: number;
  readonly windowKeys: number;
  readonly windowPerWindow: number;
  /** w2: keys with one open session each. */
  readonly sessionKeys: number;
  /** The mixed warm-up of the long-lived process. */
  readonly warmUp: WarmUpSizes;
  /** The cost rows: service options and metrics counters. */
  readonly costs: CostSizes;
  /** Timed runs: throughput workloads, the latency workload (d), and the slow state workloads (g, h). */
  readonly throughput: MeasureOptions;
  readonly latency: MeasureOptions;
  readonly heavy: MeasureOptions;
}

/** The default sizes, the figures the README reports. */
export const FULL_SIZES: BenchSizes = {
  mapFilter: 1_000_000,
  objects: 1_000_000,
  asyncMap: 50_000,
  keyed: 500_000,
  keys: 1_000,
  callsSmall: 25_000,
  callsLarge: 100_000,
  batch: 10,
  fanOut: 1_000_000,
  state: [
    { keys: 1_000, records: 1_000_000 },
    { keys: 100_000, records: 1_000_000 },
    { keys: 1_000_000, records: 1_000_000 },
  ],
  heapRuns: 3,
  freshProcesses: 3,
  listRecords: 100_000,
  listKeys: 10,
  checkpointKeys: 1_000_000,
  finishedJobs: 1_000,
  slow: 1_000_000,
  slowRxjs: 1_000,
  windowRecords: 1_000_000,
  windowKeys: 1_000,
  windowPerWindow: 10,
  sessionKeys: 100_000,
  warmUp: { records: 20_000, rounds: 3 },
  costs: { calls: 1_000_000, smallCalls: 99_968, serviceRounds: 5, records: 1_000_000, metricsRounds: 15 },
  throughput: { iterations: 10, warmup: 3 },
  latency: { iterations: 500, warmup: 50 },
  heavy: { iterations: 3, warmup: 1, minMs: 250 },
};

/** `--quick`: a tenth of the records and fewer runs, for a look in about a minute. */
export const QUICK_SIZES: BenchSizes = {
  ...FULL_SIZES,
  mapFilter: 100_000,
  objects: 100_000,
  asyncMap: 5_000,
  keyed: 50_000,
  callsSmall: 2_500,
  callsLarge: 10_000,
  fanOut: 100_000,
  state: [
    { keys: 1_000, records: 100_000 },
    { keys: 100_000, records: 100_000 },
    { keys: 1_000_000, records: 100_000 },
  ],
  heapRuns: 1,
  freshProcesses: 1,
  listRecords: 10_000,
  checkpointKeys: 100_000,
  finishedJobs: 100,
  slow: 100_000,
  slowRxjs: 1_000,
  windowRecords: 100_000,
  sessionKeys: 10_000,
  warmUp: { records: 5_000, rounds: 1 },
  costs: { calls: 100_000, smallCalls: 9_984, serviceRounds: 3, records: 100_000, metricsRounds: 7 },
  throughput: { iterations: 3, warmup: 1 },
  latency: { iterations: 50, warmup: 5 },
  heavy: { iterations: 1, warmup: 0 },
};

/** `--tiny`: every workload and process once, at sizes where only correctness shows (the spec's sizes). */
export const TINY_SIZES: BenchSizes = {
  mapFilter: 300,
  objects: 300,
  asyncMap: 200,
  keyed: 400,
  keys: 7,
  callsSmall: 50,
  callsLarge: 200,
  batch: 10,
  fanOut: 300,
  state: [{ keys: 1_000, records: 100 }],
  heapRuns: 1,
  freshProcesses: 1,
  listRecords: 100,
  listKeys: 3,
  checkpointKeys: 2_000,
  finishedJobs: 5,
  slow: 300,
  slowRxjs: 300,
  windowRecords: 700,
  windowKeys: 7,
  windowPerWindow: 10,
  sessionKeys: 50,
  warmUp: { records: 50, rounds: 1 },
  costs: { calls: 2_048, smallCalls: 256, serviceRounds: 1, records: 300, metricsRounds: 1 },
  throughput: { iterations: 1, warmup: 0 },
  latency: { iterations: 2, warmup: 0 },
  heavy: { iterations: 1, warmup: 0 },
};
