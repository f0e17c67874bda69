import type { CheckpointStats } from '../../runtime/checkpoint/checkpoint-stats.js';
import type { DispatcherState } from '../../runtime/dispatcher.js';
import type { JobSnapshot } from '../../runtime/state/job-snapshot.js';
import type { ServiceStats } from '../../runtime/service/service-stats.js';
import type { JobOrigin } from '../../jobmanager/job-origin.js';
import type { PlanSummary } from '../../jobmanager/job-status.js';
import type { SubmitJobFields } from '../../jobmanager/protocol/messages.js';
import type { BackendSpec } from '../backend-spec.js';
import type { WireError } from '../wire-error.js';
import type { WireMetrics } from '../wire-metrics.js';

/**
 * The messages between the JobManager server and the worker thread of one isolated job (every message is
 * structured-cloned by `postMessage`). The worker receives its job as `workerData`.
 *
 * @example
 * ```ts
 * worker.postMessage({ type: 'pause' } satisfies ToJobWorker);
 * ```
 */
export interface IsolatedJobData extends SubmitJobFields {
  /** The module file, already resolved inside a job root by the server. */
  readonly file: string;
  readonly buildTimeoutMs: number;
  /** Milliseconds between two status reports of the worker. */
  readonly reportIntervalMs: number;
  readonly origin: JobOrigin;
  readonly backend?: BackendSpec | undefined;
}

/** Server → job worker. */
export type ToJobWorker =
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'stop' }
  | { readonly type: 'snapshot'; readonly id: number };

/** What a job worker reports about its job. */
export interface JobReport {
  readonly state: DispatcherState;
  readonly metrics: readonly WireMetrics[];
  readonly queued: number;
  readonly restarts: number;
  readonly services: readonly ServiceStats[];
  readonly checkpoints: CheckpointStats;
}

/** Job worker → server. */
export type FromJobWorker =
  | { readonly type: 'building' }
  | { readonly type: 'started'; readonly plan: readonly PlanSummary[]; readonly report: JobReport }
  | { readonly type: 'build-failed'; readonly error: WireError }
  | { readonly type: 'report'; readonly report: JobReport }
  | {
      readonly type: 'snapshot';
      readonly id: number;
      readonly snapshot?: JobSnapshot;
      readonly error?: WireError;
    }
  | {
      readonly type: 'ended';
      readonly status: 'completed' | 'stopped' | 'failed';
      readonly error?: WireError;
      readonly report: JobReport;
    };
