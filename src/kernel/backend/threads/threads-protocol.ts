import type { MessagePort } from 'node:worker_threads';
import type { JobOrigin } from '../../jobmanager/job-origin.js';
import type { WireError } from '../wire-error.js';
import type { WireMetrics } from '../wire-metrics.js';
import type { JobSnapshot } from '../../runtime/state/job-snapshot.js';
import type { PeerStats } from './peer.js';
import type { ShardCut, ShardState } from './shard-runner.js';

/**
 * What each worker thread of a threads job starts from (in its {@link ThreadsJobMessage}): the job module to import, its place
 * among the workers and the batching settings. The messages below go between the coordinator and a worker.
 *
 * @example
 * ```ts
 * const data = { origin, worker: 0, workers: 2, batchSize: 1000, credits: 32, jobId };
 * ```
 */
export interface ThreadsWorkerData {
  readonly origin: JobOrigin;
  readonly worker: number;
  readonly workers: number;
  readonly batchSize: number;
  readonly credits: number;
  readonly jobId: string;
  /** Milliseconds between two status reports. */
  readonly reportIntervalMs: number;
  /** The snapshot or checkpoint every worker restores its instances from (checked by the coordinator). */
  readonly restore?: JobSnapshot | undefined;
  /** Id of this run's first checkpoint (a restarted run goes on counting). */
  readonly firstCheckpointId: number;
}

/**
 * Starts a job in a worker thread (sent to the thread itself, with the job's own control port transferred): the
 * thread answers on `control` and runs the job until the coordinator closes it.
 *
 * @example
 * ```ts
 * worker.postMessage({ data, control: port2 } satisfies ThreadsJobMessage, [port2]);
 * ```
 */
export interface ThreadsJobMessage {
  readonly data: ThreadsWorkerData;
  readonly control: MessagePort;
}

/** Coordinator → worker. */
export type ToThreadsWorker =
  | { readonly type: 'peers'; readonly ports: readonly (MessagePort | undefined)[] }
  | { readonly type: 'build' }
  | { readonly type: 'start' }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'stop' }
  /** Take part in checkpoint `id` (inject its barrier at the local sources). */
  | { readonly type: 'checkpoint'; readonly id: number }
  /** Checkpoint `id` is complete and stored. */
  | { readonly type: 'checkpoint-complete'; readonly id: number };

/** A worker's counters. */
export interface ShardReport {
  readonly metrics: readonly WireMetrics[];
  readonly queued: number;
  readonly tasks: readonly string[];
  readonly stats: ShardStats;
}

/**
 * How a worker thread spent its time since its sources started, and its channels' counters: what the threads
 * bench prints to tell where a run's time went.
 *
 * @example
 * ```ts
 * const busy = stats.activeMs / (stats.activeMs + stats.idleMs);
 * ```
 */
export interface ShardStats {
  /** CPU ms this thread used (user + system; Linux only, in steps of 10 ms). */
  readonly cpuMs?: number;
  /** Event-loop ms spent running code (`performance.eventLoopUtilization`). */
  readonly activeMs: number;
  /** Event-loop ms spent waiting for work (messages, timers). */
  readonly idleMs: number;
  /** Ms of garbage collection pauses. */
  readonly gcMs: number;
  /** The channel to each other worker (null at the worker's own index). */
  readonly peers: readonly (PeerStats | null)[];
}

/** Worker → coordinator. */
export type FromThreadsWorker =
  | { readonly type: 'ready'; readonly fingerprint: string }
  | { readonly type: 'load-failed'; readonly error: WireError }
  | { readonly type: 'built' }
  | { readonly type: 'report'; readonly report: ShardReport }
  /** This worker's part of a checkpoint: every local instance took its cut. */
  | { readonly type: 'cut'; readonly cut: ShardCut }
  | {
      readonly type: 'done';
      readonly status: 'completed' | 'stopped' | 'failed';
      readonly error?: WireError;
      readonly report: ShardReport;
      readonly state: readonly ShardState[];
    };
