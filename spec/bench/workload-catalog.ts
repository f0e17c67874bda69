import { asyncMapWorkload } from './async-map.js';
import { batchLatencyWorkload } from './batch-latency.js';
import type { BenchSizes } from './bench-sizes.js';
import { fanOutWorkload } from './fan-out.js';
import { keyedCountWorkload } from './keyed-count.js';
import { listStateWorkload } from './list-state.js';
import { longLivedJobManagerWorkload } from './long-lived-job-manager.js';
import { mapFilterWorkload } from './map-filter.js';
import type { MeasureOptions } from './measure.js';
import { objectRecordsWorkload } from './object-records.js';
import { pipeMapWorkload } from './pipe-map.js';
import { serviceCallWorkload } from './service-call.js';
import { valueStateWorkload } from './value-state.js';
import { windowJobWorkload } from './window-job.js';
import { windowCoreWorkload } from './window-core.js';
import { sessionJobWorkload } from './window-sessions.js';
import type { Workload } from './workload.js';

/** One row of the bench: a stable id (the same in every process), how often to time it, and its workload. */
export interface CatalogEntry {
  readonly id: string;
  /** Which of the sizes' run counts applies. */
  readonly runs: 'throughput' | 'latency' | 'heavy';
  /** Builds the workload (its input arrays included): called in the process that measures it. */
  create(): Workload;
}

/**
 * Every timed workload at the given sizes, in table order. A parent and its child processes call it with the
 * same sizes, so ids name the same workloads everywhere.
 *
 * @example
 * ```ts
 * const entry = benchCatalog(FULL_SIZES).find((e) => e.id === 'a');
 * const w = entry?.create();
 * ```
 */
export function benchCatalog(sizes: BenchSizes): CatalogEntry[] {
  return [
    { id: 'a', runs: 'throughput', create: () => mapFilterWorkload(sizes.mapFilter) },
    { id: 'a2', runs: 'throughput', create: () => objectRecordsWorkload(sizes.objects) },
    { id: 'a3', runs: 'throughput', create: () => asyncMapWorkload(sizes.asyncMap) },
    { id: 'j', runs: 'throughput', create: () => pipeMapWorkload(sizes.mapFilter, 'built-in map') },
    { id: 'j-rx', runs: 'throughput', create: () => pipeMapWorkload(sizes.mapFilter, 'RxJS') },
    {
      id: 'jk',
      runs: 'throughput',
      create: () => pipeMapWorkload(sizes.mapFilter, 'built-in map', sizes.keys),
    },
    { id: 'jk-rx', runs: 'throughput', create: () => pipeMapWorkload(sizes.mapFilter, 'RxJS', sizes.keys) },
    { id: 'b1', runs: 'throughput', create: () => keyedCountWorkload(sizes.keyed, sizes.keys, 1) },
    { id: 'b4', runs: 'throughput', create: () => keyedCountWorkload(sizes.keyed, sizes.keys, 4) },
    { id: 'c-small', runs: 'throughput', create: () => serviceCallWorkload(sizes.callsSmall) },
    { id: 'c-large', runs: 'throughput', create: () => serviceCallWorkload(sizes.callsLarge) },
    { id: 'd', runs: 'latency', create: () => batchLatencyWorkload(sizes.batch) },
    { id: 'e', runs: 'throughput', create: () => fanOutWorkload(sizes.fanOut) },
    ...sizes.state.map(({ keys, records }): CatalogEntry => ({
      id: `g-${String(keys)}`,
      runs: 'heavy',
      create: () => valueStateWorkload(records, keys, sizes.heapRuns),
    })),
    { id: 'h', runs: 'heavy', create: () => listStateWorkload(sizes.listRecords, sizes.listKeys) },
    {
      id: 'i',
      runs: 'throughput',
      create: () => longLivedJobManagerWorkload(sizes.mapFilter, sizes.finishedJobs),
    },
    {
      id: 'w1',
      runs: 'throughput',
      create: () => windowCoreWorkload(sizes.windowRecords, sizes.windowKeys, sizes.windowPerWindow),
    },
    { id: 'w2', runs: 'heavy', create: () => sessionJobWorkload(sizes.sessionKeys) },
    {
      id: 'w3',
      runs: 'heavy',
      create: () => windowJobWorkload(sizes.windowRecords, sizes.windowKeys, sizes.windowPerWindow),
    },
  ];
}

/**
 * How often to time an entry at the given sizes.
 *
 * @example
 * ```ts
 * measure(entry.create(), runsOf(entry, FULL_SIZES));
 * ```
 */
export function runsOf(entry: CatalogEntry, sizes: BenchSizes): MeasureOptions {
  return sizes[entry.runs];
}
