import type { BackendSpec } from '../../backend/backend-spec.js';
import type { IsolationOptions } from '../../backend/isolation/isolated-job-runner.js';

/**
 * Where a JobManager server runs the job modules submitted to it (the TCP and the HTTP server share these
 * options).
 *
 * @example
 * ```ts
 * new JobManagerServer({ jobRoots: ['./jobs'], isolation: 'thread', resourceLimits: { maxOldGenerationSizeMb: 256 } });
 * ```
 */
export interface JobPlacementOptions extends IsolationOptions {
  /**
   * `'thread'`: each submitted job runs in a worker thread of its own, so a job that exits, loops or runs out of
   * memory fails alone (what `sage jobmanager start` does unless `--isolation none`); `'none'` (the default of
   * an embedded server): jobs run in the server's thread, sharing its JobManager's process.
   */
  readonly isolation?: 'thread' | 'none';
  /** The backend submitted jobs run on (default in-process). */
  readonly backend?: BackendSpec;
}

/**
 * The RequestHandler settings that place jobs, from a server's options.
 *
 * @example
 * ```ts
 * new RequestHandler({ jobManager, logger, loader, buildTimeoutMs, serverInfo, ...placementOf(options) });
 * ```
 */
export function placementOf(options: JobPlacementOptions): {
  isolation: 'thread' | 'none';
  isolationOptions: IsolationOptions;
  backend?: BackendSpec;
} {
  return {
    isolation: options.isolation ?? 'none',
    isolationOptions: {
      ...(options.resourceLimits !== undefined ? { resourceLimits: options.resourceLimits } : {}),
      ...(options.stopGraceMs !== undefined ? { stopGraceMs: options.stopGraceMs } : {}),
    },
    ...(options.backend !== undefined ? { backend: options.backend } : {}),
  };
}
