import { firstValueFrom, from, timeout } from 'rxjs';
import { LocalEnvironment } from '../../../core/api/local-environment.js';
import { JobFailedError } from '../../../errors/job-failed-error.js';
import { JobModuleError } from '../../../errors/job-module-error.js';
import { SnapshotMismatchError } from '../../../errors/snapshot-mismatch-error.js';
import type { BackendSpec } from '../../backend/backend-spec.js';
import type { JobManager } from '../job-manager.js';
import type { JobOrigin } from '../job-origin.js';
import type { SubmitJobFields } from '../protocol/messages.js';
import type { JobBuilder } from './job-builder.js';
import { jobNameOf } from './job-name-of.js';

/** What `startModuleJob` needs besides the builder and the JobManager. */
export interface ModuleJobRequest extends SubmitJobFields {
  /** Longest time the builder may take, in milliseconds. */
  readonly buildTimeoutMs: number;
  /** Where the module comes from (lets the job run on a backend beyond this thread). */
  readonly origin?: JobOrigin | undefined;
  /** The backend to run it on (default in-process). */
  readonly backend?: BackendSpec | undefined;
}

/**
 * Runs a job module's builder on a fresh `LocalEnvironment` bound to `jobManager` and starts the job: named
 * after the request's `name`, else its `export` (when not `default`), else the module's file name. A builder
 * that throws, takes longer than `buildTimeoutMs`, declares nothing, or submits itself while a `restore` was
 * asked for fails with `JobModuleError` (a savepoint that does not fit the job with `SnapshotMismatchError`).
 * Resolves with the job's uuid right after the start. The server runs it in its own thread or in a job's
 * worker thread.
 *
 * @example
 * ```ts
 * const uuid = await startModuleJob(builder, jm, { module: 'etl.ts', export: 'default', autostop: false, allow_non_restored_state: false, buildTimeoutMs: 30_000 });
 * ```
 */
export async function startModuleJob(
  builder: JobBuilder,
  jobManager: JobManager,
  request: ModuleJobRequest,
): Promise<string> {
  const name = request.name ?? (request.export !== 'default' ? request.export : jobNameOf(request.module));
  const env = new LocalEnvironment(name, { jobManager }).withOrigin(request.origin);
  const where = `Job module ${request.module} (export "${request.export}")`;
  try {
    await firstValueFrom(
      from(Promise.resolve().then(() => builder(env, request.args))).pipe(
        timeout({
          first: request.buildTimeoutMs,
          with: () => {
            throw new Error(`the builder did not finish within ${request.buildTimeoutMs} ms`);
          },
        }),
      ),
      { defaultValue: undefined },
    );
  } catch (e) {
    throw new JobModuleError(`${where} threw while building: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  if (env.jobId !== undefined) {
    if (request.restore !== undefined) {
      jobManager.stopJob(env.jobId);
      throw new JobModuleError(
        `${where} submitted its job itself, so the savepoint in "restore" could not be applied (that job ${env.jobId} was stopped): a builder used with restore must only declare the pipeline`,
      );
    }
    return env.jobId;
  }
  if (env.pipeline.length === 0) {
    throw new JobModuleError(
      `${where} declared no pipeline: the builder must add at least one source to env`,
    );
  }
  try {
    return jobManager.startJob(env, {
      autostop: request.autostop,
      ...(request.restore !== undefined ? { restore: request.restore } : {}),
      ...(request.allow_non_restored_state ? { allowNonRestoredState: true } : {}),
      ...(request.backend !== undefined ? { backend: request.backend } : {}),
    }).uuid;
  } catch (e) {
    // A savepoint that does not fit the job is the request's fault: answer its own error class.
    if (e instanceof JobFailedError && e.cause instanceof SnapshotMismatchError) throw e.cause;
    throw e;
  }
}
