import type { Logger } from 'loglevel';
import { SavepointTooLargeError } from '../../../errors/savepoint-too-large-error.js';
import { toError } from '../../../errors/to-error.js';
import { JobStateError } from '../../../errors/job-state-error.js';
import type { JobManager } from '../job-manager.js';
import type { JobState } from '../job-status.js';
import type {
  Action,
  Request,
  RequestOf,
  ResponseFields,
  ServerInfo,
  SubmitJobFields,
} from '../protocol/messages.js';
import type { JobModuleLoader } from './job-module-loader.js';
import { pathToFileURL } from 'node:url';
import { backendKind, type BackendSpec } from '../../backend/backend-spec.js';
import { IsolatedJobRunner, type IsolationOptions } from '../../backend/isolation/isolated-job-runner.js';
import { hashModuleFile } from '../job-origin.js';
import { jobNameOf } from './job-name-of.js';
import { startModuleJob } from './start-module-job.js';

/** What a `RequestHandler` needs from the server it serves. */
export interface RequestHandlerContext {
  readonly jobManager: JobManager;
  /** Where job events and failed submits are logged. */
  readonly logger: Logger;
  readonly loader: JobModuleLoader;
  /** Longest time a job module's builder may take, in milliseconds. */
  readonly buildTimeoutMs: number;
  /** The server's current `get_server_info` answer. */
  serverInfo(): ServerInfo;
  /** Where submitted jobs run: each in a worker thread of its own (`'thread'`), or in this thread (default `'none'`). */
  readonly isolation?: 'thread' | 'none';
  /** Heap limits and stop grace period of isolated jobs. */
  readonly isolationOptions?: IsolationOptions;
  /** The backend submitted jobs run on (default in-process). */
  readonly backend?: BackendSpec;
}

/**
 * Carries out validated requests of the control protocol on a JobManager and returns the action-specific
 * fields of the success response; failures are thrown (the connection turns them into error responses).
 * `submit_job` loads the job module, runs its builder on a fresh `LocalEnvironment` bound to the JobManager
 * and starts the job, named after the request's `name`, else its `export` (when not `default`), else the
 * module's file name; the answer comes right after the start, with `autostop` jobs too. It logs each submitted
 * job (name, uuid, module) and how it ended (`completed`, `stopped`, `failed` with the reason), and every failed
 * submit with its reason. `pause_job` of a job that is not running and `continue_job` of one that is not
 * paused are refused with `JobStateError` (where the JobManager itself would quietly do nothing), so a client
 * learns that its command changed nothing.
 *
 * @example
 * ```ts
 * const handler = new RequestHandler({ jobManager, logger, loader, buildTimeoutMs: 30_000, serverInfo });
 * const fields = await handler.handle({ action: 'list_jobs', request_id: 1 });
 * ```
 */
export class RequestHandler {
  constructor(private readonly context: RequestHandlerContext) {}

  /** Runs one request and returns the fields of its success response. */
  async handle(request: Request): Promise<ResponseFields[Action]> {
    const jm = this.context.jobManager;
    switch (request.action) {
      case 'health_check':
        return { daemon_status: jm.healthCheck() };
      case 'get_server_info':
        return { server_info: this.context.serverInfo() };
      case 'list_jobs':
        return jm.listJobSummaries({ offset: request.offset, limit: request.limit });
      case 'get_job_status':
        return { job_status: jm.getJobStatus(request.job_uuid) };
      case 'pause_job':
        refuseNoOp('pause', request.job_uuid, jm.getJobStatus(request.job_uuid).status);
        return { job_uuid: request.job_uuid, job_status: jm.pauseJob(request.job_uuid) };
      case 'continue_job':
        refuseNoOp('continue', request.job_uuid, jm.getJobStatus(request.job_uuid).status);
        return { job_uuid: request.job_uuid, job_status: jm.continueJob(request.job_uuid) };
      case 'stop_job':
        return { job_uuid: request.job_uuid, job_status: jm.stopJob(request.job_uuid) };
      case 'delete_job':
        jm.deleteJob(request.job_uuid, { force: request.force });
        return { job_uuid: request.job_uuid, deleted: true };
      case 'trigger_savepoint':
        return await this.savepoint(request.job_uuid, request.stop);
      case 'submit_job':
        return { job_uuid: await this.submitLogged(request) };
    }
  }

  /**
   * Takes a savepoint and answers it; with `stop`, stops the job once the savepoint is known to fit in a
   * response, so that a savepoint too large to send never costs the job.
   */
  private async savepoint(uuid: string, stop: boolean): Promise<ResponseFields['trigger_savepoint']> {
    const jm = this.context.jobManager;
    const savepoint = await jm.snapshotJob(uuid);
    const bytes = Buffer.byteLength(JSON.stringify(savepoint), 'utf8');
    const limit = this.context.serverInfo().max_frame_bytes - RESPONSE_HEADROOM_BYTES;
    if (bytes > limit) {
      throw new SavepointTooLargeError(
        `trigger_savepoint: the savepoint of job ${uuid} is ${bytes} bytes of JSON, too large for one response ` +
          `(frame limit ${limit + RESPONSE_HEADROOM_BYTES} bytes)${stop ? '; the job was not stopped' : ''}. ` +
          'Take it over the HTTP API (POST /jobs/:id/savepoint, `--http PORT`) or with jobManager.snapshotJob(uuid) in the server process',
        bytes,
        limit + RESPONSE_HEADROOM_BYTES,
      );
    }
    if (stop) jm.stopJob(uuid);
    return { job_uuid: uuid, savepoint, job_status: jm.getJobStatus(uuid) };
  }

  private async submitLogged(request: RequestOf<'submit_job'> & SubmitJobFields): Promise<string> {
    const { logger, jobManager } = this.context;
    const where = `${request.module} (export "${request.export}")`;
    let uuid: string;
    try {
      uuid = await this.submit(request);
    } catch (e) {
      logger.warn(`submit of ${where} failed: ${toError(e).message}`);
      throw e;
    }
    const info = jobManager.getJob(uuid);
    if (info !== undefined) {
      const job = `job ${info.name} (${uuid})`;
      logger.info(`${job} submitted from ${where}`);
      void info.whenDone().then((outcome) => {
        if (outcome.status === 'failed') logger.warn(`${job} failed: ${outcome.error.message}`);
        else logger.info(`${job} ${outcome.status}`);
      });
    }
    return uuid;
  }

  private async submit(request: RequestOf<'submit_job'> & SubmitJobFields): Promise<string> {
    const { loader, jobManager, buildTimeoutMs, backend } = this.context;
    const file = await loader.resolve(request.module);
    const origin = {
      module: pathToFileURL(file).href,
      exportName: request.export,
      args: request.args,
      moduleHash: await hashModuleFile(file),
    };
    const { action: _action, request_id: _id, token: _token, ...fields } = request;
    if (this.context.isolation === 'thread') {
      const { runner, plan } = await IsolatedJobRunner.start(
        { ...fields, file, buildTimeoutMs, reportIntervalMs: REPORT_INTERVAL_MS, origin, backend },
        this.context.isolationOptions,
      );
      const name =
        request.name ?? (request.export !== 'default' ? request.export : jobNameOf(request.module));
      const info = jobManager.adoptJob(name, runner, plan, request.autostop, runner);
      info.backendName = backendKind(backend);
      return info.uuid;
    }
    const builder = await loader.load(request.module, request.export);
    return startModuleJob(builder, jobManager, { ...fields, buildTimeoutMs, origin, backend });
  }
}

/** Throws `JobStateError` when pausing or continuing a job in `status` would change nothing. */
function refuseNoOp(verb: 'pause' | 'continue', uuid: string, status: JobState | 'not_found'): void {
  if (status === 'not_found') return; // the JobManager throws JobNotFoundError
  if (verb === 'pause' && status !== 'running') {
    throw new JobStateError(
      status === 'paused'
        ? `Job ${uuid} is already paused: continue it to resume`
        : `Job ${uuid} is ${status}: only a running job can be paused`,
    );
  }
  if (verb === 'continue' && status !== 'paused') {
    throw new JobStateError(
      status === 'running' || status === 'initializing'
        ? `Job ${uuid} is ${status}, not paused: nothing to continue`
        : `Job ${uuid} is ${status}: an ended job cannot be continued; submit it again`,
    );
  }
}

/** Milliseconds between two status reports of an isolated job's thread. */
const REPORT_INTERVAL_MS = 200;

/** Room left in a frame for the response's other fields (request_id, status, job_uuid, job_status). */
const RESPONSE_HEADROOM_BYTES = 64 * 1024;
