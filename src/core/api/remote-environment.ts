import { exhaustMap, filter, firstValueFrom, from, take, timer } from 'rxjs';
import { JobFailedError } from '../../errors/job-failed-error.js';
import { JobStateError } from '../../errors/job-state-error.js';
import {
  JobManagerClient,
  type JobManagerClientOptions,
  type SubmitJobParams,
} from '../../kernel/jobmanager/client/job-manager-client.js';
import type { HealthReport } from '../../kernel/jobmanager/job-manager.js';
import type { JobStatus, UnknownJobStatus } from '../../kernel/jobmanager/job-status.js';
import type { JobSummaryPage, PageOptions } from '../../kernel/jobmanager/job-summary.js';
import type { JobSnapshot } from '../../kernel/runtime/state/job-snapshot.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';

/** Where a `RemoteEnvironment` finds its JobManager server, and how long it waits. */
export interface RemoteEnvironmentConfig extends JobManagerClientOptions {
  /** Milliseconds between status polls while `submit({ autostop: true })` waits (default 200). */
  readonly pollIntervalMs?: number;
}

/** What `RemoteEnvironment.submit` sends: a job module of the server, its export and JSON args. */
export interface RemoteSubmitOptions extends Omit<SubmitJobParams, 'name'> {
  /** Resolve only after the job ended (rejecting with `JobFailedError` if it failed), like a local submit. */
  readonly autostop?: boolean;
}

/**
 * An environment whose jobs run on a JobManager server in another process. Remote jobs are **job modules**
 * (files in the server's job roots that export a builder `(env, args) => void`), not pipelines declared here:
 * no code travels over the wire. That is why it does not extend `BaseEnvironment` (it has no `fromBatch`, no
 * local `pipeline` and no in-process `jobManager`); it submits modules and proxies status and control calls.
 *
 * @example
 * ```ts
 * const env = new RemoteEnvironment('nightly', { host: '127.0.0.1', port: 19001, token: process.env.SAGE_TOKEN });
 * const uuid = await env.submit({ module: 'etl/daily.mjs', args: { day: '2024-05-01' } });
 * console.log((await env.getJobStatus()).status);
 * await env.pauseJob();
 * await env.continueJob();
 * env.disconnect(); // the job keeps running on the server
 * ```
 */
export class RemoteEnvironment {
  /** The connection to the server (for requests this class does not wrap). */
  readonly client: JobManagerClient;
  private readonly pollIntervalMs: number;
  private currentJob: string | undefined;

  constructor(
    readonly name = 'sage',
    config: RemoteEnvironmentConfig = {},
  ) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new InvalidArgumentError('An environment name must be a non-empty string');
    }
    this.client = new JobManagerClient(config);
    this.pollIntervalMs = config.pollIntervalMs ?? 200;
  }

  /** Uuid of the job most recently submitted from this environment. */
  get jobId(): string | undefined {
    return this.currentJob;
  }

  /**
   * Submits a job module (named after this environment) and resolves with its uuid once it started. With
   * `autostop: true` it resolves only after the job ended, and rejects with `JobFailedError` if it failed.
   *
   * @example
   * ```ts
   * const uuid = await env.submit({ module: 'word-count.mjs', export: 'build', args: { file: 'a.txt' } });
   * await env.submit({ module: 'backfill.mjs', autostop: true }); // waits for the end
   * ```
   */
  async submit(options: RemoteSubmitOptions): Promise<string> {
    const uuid = await this.client.submitJob({ ...options, name: this.name });
    this.currentJob = uuid;
    if (options.autostop !== true) return uuid;
    const last = await firstValueFrom(
      timer(0, this.pollIntervalMs).pipe(
        exhaustMap(() => from(this.client.getJobStatus(uuid))),
        filter((s) => s.status !== 'running' && s.status !== 'paused' && s.status !== 'initializing'),
        take(1),
      ),
    );
    if (last.status === 'failed') {
      throw new JobFailedError(this.name, 'remote job', new Error(last.error ?? 'the job failed'));
    }
    return uuid;
  }

  /**
   * A job's status (default: the current job); `status: 'not_found'` for an unknown uuid.
   *
   * @example
   * ```ts
   * const s = await env.getJobStatus();
   * if (s.status !== 'not_found') console.log(s.operators);
   * ```
   */
  async getJobStatus(uuid?: string): Promise<JobStatus | UnknownJobStatus> {
    return await this.client.getJobStatus(this.target(uuid));
  }

  /**
   * One page of the jobs the server knows (not only this environment's), as summaries in submit order
   * (default: the first 100, at most 1000 per page), with `total`, the number of jobs in all.
   *
   * @example
   * ```ts
   * const { jobs, total } = await env.listJobs({ offset: 0, limit: 100 });
   * for (const job of jobs) console.log(job.uuid, job.name, job.status);
   * ```
   */
  listJobs(page: PageOptions = {}): Promise<JobSummaryPage> {
    return this.client.listJobs(page);
  }

  /**
   * Pauses a job (default: the current one).
   *
   * @example
   * ```ts
   * await env.pauseJob();
   * ```
   */
  async pauseJob(uuid?: string): Promise<JobStatus> {
    return await this.client.pauseJob(this.target(uuid));
  }

  /**
   * Resumes a paused job (default: the current one).
   *
   * @example
   * ```ts
   * await env.continueJob();
   * ```
   */
  async continueJob(uuid?: string): Promise<JobStatus> {
    return await this.client.continueJob(this.target(uuid));
  }

  /**
   * A savepoint of a job (default: the current one): a consistent cut of its state, taken while it goes on.
   * Submit it again with `submit({ module, restore: savepoint })`, at any parallelism up to `maxParallelism`.
   *
   * @example
   * ```ts
   * const savepoint = await env.snapshotJob();
   * await writeFile('savepoint.json', JSON.stringify(savepoint));
   * ```
   */
  snapshotJob(uuid?: string): Promise<JobSnapshot> {
    return this.client.triggerSavepoint(this.target(uuid));
  }

  /**
   * Stops a job (default: the current one). With `{ savepoint: true }` it takes a last savepoint first and
   * resolves with it, as `jobManager.stopJob(uuid, { savepoint: true })` does in process.
   *
   * @example
   * ```ts
   * await env.stopJob();
   * const last = await env.stopJob(undefined, { savepoint: true });
   * await env.submit({ module: 'counts.mjs', restore: last });
   * ```
   */
  stopJob(uuid?: string): Promise<JobStatus>;
  stopJob(uuid: string | undefined, options: { savepoint: true }): Promise<JobSnapshot>;
  async stopJob(uuid?: string, options?: { savepoint?: boolean }): Promise<JobStatus | JobSnapshot> {
    const target = this.target(uuid);
    if (options?.savepoint === true) return await this.client.triggerSavepoint(target, { stop: true });
    return await this.client.stopJob(target);
  }

  /**
   * Deletes an ended job (default: the current one); `force` stops a running one first.
   *
   * @example
   * ```ts
   * await env.deleteJob(undefined, { force: true });
   * ```
   */
  async deleteJob(uuid?: string, options: { force?: boolean } = {}): Promise<void> {
    await this.client.deleteJob(this.target(uuid), options);
  }

  /**
   * Liveness and job counts of the server.
   *
   * @example
   * ```ts
   * console.log((await env.healthCheck()).running);
   * ```
   */
  healthCheck(): Promise<HealthReport> {
    return this.client.healthCheck();
  }

  /**
   * Stops the current job, if any and still known to the server.
   *
   * @example
   * ```ts
   * await env.stop();
   * ```
   */
  async stop(): Promise<void> {
    const uuid = this.currentJob;
    if (uuid === undefined) return;
    const status = await this.client.getJobStatus(uuid);
    if (status.status !== 'not_found') await this.client.stopJob(uuid);
  }

  /**
   * Stops the current job and closes the connection, like `LocalEnvironment.close()`. To leave the job running
   * on the server, call `disconnect()` instead.
   *
   * @example
   * ```ts
   * await env.close();
   * ```
   */
  async close(): Promise<void> {
    try {
      await this.stop();
    } finally {
      this.client.close();
    }
  }

  /**
   * Closes the connection and leaves the jobs running on the server.
   *
   * @example
   * ```ts
   * env.disconnect();
   * ```
   */
  disconnect(): void {
    this.client.close();
  }

  private target(uuid: string | undefined): string {
    const id = uuid ?? this.currentJob;
    if (id === undefined) {
      throw new JobStateError(
        `Environment ${this.name} has submitted no job yet: pass a job uuid or submit first`,
      );
    }
    return id;
  }
}
