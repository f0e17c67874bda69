import { connect, type Socket } from 'node:net';
import { timer, type Subscription } from 'rxjs';
import { AuthenticationError } from '../../../errors/authentication-error.js';
import { ConnectionError } from '../../../errors/connection-error.js';
import { InvalidArgumentError } from '../../../errors/invalid-argument-error.js';
import { JobNotFoundError } from '../../../errors/job-not-found-error.js';
import { RequestFailedError } from '../../../errors/request-failed-error.js';
import { RequestTimeoutError } from '../../../errors/request-timeout-error.js';
import { SavepointTooLargeError } from '../../../errors/savepoint-too-large-error.js';
import { ProtocolError } from '../../../errors/protocol-error.js';
import { describeValue } from '../../../errors/describe-value.js';
import type { JobSnapshot } from '../../runtime/state/job-snapshot.js';
import type { JobStatus, UnknownJobStatus } from '../job-status.js';
import type { JobSummaryPage, PageOptions } from '../job-summary.js';
import type { HealthReport } from '../job-manager.js';
import { FrameDecoder } from '../protocol/frame-decoder.js';
import { encodeFrame } from '../protocol/frame-encoder.js';
import type { Action, JsonValue, ServerInfo, SuccessResponse } from '../protocol/messages.js';
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  MAX_FRAME_BYTES,
  MAX_UNAUTHENTICATED_BYTES,
} from '../protocol/protocol-defaults.js';
import { successShapeProblem } from './response-shape.js';

/**
 * request_id of the small request that authenticates a new connection before a first request too large for a
 * server's allowance for unauthenticated connections.
 */
const AUTH_REQUEST_ID = 'authenticate';

/** Default longest wait for the answer to `submit_job` (longer than the server's default 30 s limit on a build). */
const DEFAULT_SUBMIT_TIMEOUT_MS = 40_000;

/** Options of a `JobManagerClient`. */
export interface JobManagerClientOptions {
  /** Server host (default `127.0.0.1`). */
  readonly host?: string;
  /** Server port (default 19001). */
  readonly port?: number;
  /** Token sent with every request, for servers started with one. */
  readonly token?: string;
  /** Longest wait for an answer, in milliseconds (default 10 000). */
  readonly timeoutMs?: number;
  /**
   * Longest wait for the answer to `submit_job`, in milliseconds. The server builds the job's module before it
   * answers (for up to 30 s by default, its `buildTimeoutMs`), so the default is 40 000, or `timeoutMs` when
   * that is longer: the server's own error about a slow builder then arrives before the client gives up.
   */
  readonly submitTimeoutMs?: number;
  /** Longest wait for the connection, in milliseconds (default 5 000). */
  readonly connectTimeoutMs?: number;
}

/** What `submitJob` sends. */
export interface SubmitJobParams {
  /** Module path, relative to a job root of the server (or absolute inside one). */
  readonly module: string;
  /** Builder export (default `'default'`). */
  readonly export?: string;
  /** JSON arguments for the builder. */
  readonly args?: JsonValue;
  /** Mark the job autostop (the answer still comes right after the start). */
  readonly autostop?: boolean;
  /** Job name (default: the module's file name). */
  readonly name?: string;
  /** A savepoint (from `triggerSavepoint`) to start the job from, at any parallelism up to `maxParallelism`. */
  readonly restore?: JobSnapshot;
  /** Start even when `restore` holds state of operators the job does not have (that state is dropped). */
  readonly allowNonRestoredState?: boolean;
}

/** What `submit_job` carries on the wire (snake_case field names). */
export type SubmitJobRequest = Omit<SubmitJobParams, 'allowNonRestoredState'> & {
  readonly allow_non_restored_state?: boolean;
};

/** Options of `triggerSavepoint`. */
export interface SavepointOptions {
  /** Stop the job right after the savepoint (default false). */
  readonly stop?: boolean;
}

/** The request fields each action takes from the caller (besides action, request_id and token). */
export interface RequestParams {
  health_check: object;
  submit_job: SubmitJobRequest;
  get_job_status: { readonly job_uuid: string };
  list_jobs: PageOptions;
  pause_job: { readonly job_uuid: string };
  continue_job: { readonly job_uuid: string };
  stop_job: { readonly job_uuid: string };
  delete_job: { readonly job_uuid: string; readonly force?: boolean };
  trigger_savepoint: { readonly job_uuid: string; readonly stop?: boolean };
  get_server_info: object;
}

interface Pending {
  readonly action: Action;
  readonly jobUuid: string | undefined;
  readonly resolve: (response: Record<string, unknown>) => void;
  readonly reject: (error: Error) => void;
  readonly timeout: Subscription;
}

/**
 * The client side of the control protocol: one TCP connection (opened on the first request, reopened after
 * it closed), any number of concurrent requests correlated by `request_id`, a timeout per request. With a
 * token, a first request over 64 KiB on a new connection is preceded by a small `health_check` that
 * authenticates it. Failures
 * are typed: `ConnectionError` (cannot connect or connection lost), `RequestTimeoutError`,
 * `AuthenticationError`, `JobNotFoundError`, and `RequestFailedError` for any other error response. An idle
 * client does not keep the process alive; call `close()` when done.
 *
 * @example
 * ```ts
 * const client = new JobManagerClient({ port: 19001 });
 * const uuid = await client.submitJob({ module: 'word-count.mjs', args: { file: 'a.txt' } });
 * console.log((await client.getJobStatus(uuid)).status);
 * client.close();
 * ```
 */
export class JobManagerClient {
  /** `host:port` of the server. */
  readonly address: string;
  private readonly host: string;
  private readonly port: number;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;
  private readonly submitTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly pending = new Map<number, Pending>();
  private socket: Socket | undefined;
  /** The socket no request was written to yet (its first frame must authenticate, and be small). */
  private fresh: Socket | undefined;
  private connecting: Promise<Socket> | undefined;
  private nextId = 1;
  private closed = false;

  /**
   * Checks the options; throws `InvalidArgumentError` for a host that is not a non-empty string, a port that is
   * not an integer from 1 to 65535, a token that is not a string, or a timeout that is not a positive number of
   * milliseconds (at most 2,147,483,647, the longest a timer waits).
   *
   * @example
   * ```ts
   * new JobManagerClient({ port: 70000 }); // InvalidArgumentError: … port must be an integer from 1 to 65535 …
   * ```
   */
  constructor(options: JobManagerClientOptions = {}) {
    this.host = checkHost(options.host ?? DEFAULT_HOST);
    this.port = checkPort(options.port ?? DEFAULT_PORT);
    if (options.token !== undefined && typeof options.token !== 'string') {
      throw new InvalidArgumentError(
        `JobManagerClient: token must be a string, got ${describeValue(options.token)}`,
      );
    }
    this.token = options.token;
    this.timeoutMs = checkTimeout('timeoutMs', options.timeoutMs ?? 10_000);
    this.submitTimeoutMs = checkTimeout(
      'submitTimeoutMs',
      options.submitTimeoutMs ?? Math.max(DEFAULT_SUBMIT_TIMEOUT_MS, this.timeoutMs),
    );
    this.connectTimeoutMs = checkTimeout('connectTimeoutMs', options.connectTimeoutMs ?? 5_000);
    this.address = `${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  /**
   * Sends one request and resolves with its success response; rejects with a typed error otherwise.
   *
   * @example
   * ```ts
   * const { jobs } = await client.request('list_jobs', {});
   * ```
   */
  async request<A extends Action>(action: A, params: RequestParams[A]): Promise<SuccessResponse<A>> {
    if (this.closed)
      throw new ConnectionError(`This client to ${this.address} is closed: create a new one`, this.address);
    const socket = await this.connection();
    const id = this.nextId++;
    const frame = encodeFrame({
      ...params,
      action,
      request_id: id,
      ...(this.token !== undefined ? { token: this.token } : {}),
    });
    const jobUuid = (params as { job_uuid?: string }).job_uuid;
    const waitMs = action === 'submit_job' ? this.submitTimeoutMs : this.timeoutMs;
    const response = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timeout = timer(waitMs).subscribe(() => {
        this.settle(id);
        reject(new RequestTimeoutError(action, waitMs, this.address));
      });
      this.pending.set(id, { action, jobUuid, resolve, reject, timeout });
      if (socket.destroyed) {
        this.settle(id);
        reject(
          new ConnectionError(
            `The connection to the JobManager at ${this.address} closed before sending`,
            this.address,
          ),
        );
        return;
      }
      socket.ref();
      if (this.fresh === socket) {
        this.fresh = undefined;
        if (this.token !== undefined && frame.length > MAX_UNAUTHENTICATED_BYTES) {
          socket.write(
            encodeFrame({ action: 'health_check', request_id: AUTH_REQUEST_ID, token: this.token }),
          );
        }
      }
      socket.write(frame);
    });
    return response as unknown as SuccessResponse<A>;
  }

  /**
   * Liveness and job counts of the server's JobManager.
   *
   * @example
   * ```ts
   * await client.healthCheck()
   * ```
   */
  async healthCheck(): Promise<HealthReport> {
    return (await this.request('health_check', {})).daemon_status;
  }

  /**
   * Version, address, job roots and limits of the server.
   *
   * @example
   * ```ts
   * await client.getServerInfo()
   * ```
   */
  async getServerInfo(): Promise<ServerInfo> {
    return (await this.request('get_server_info', {})).server_info;
  }

  /**
   * Submits a job module; resolves with the job's uuid once it started. With `restore`, every operator starts
   * from that savepoint (a `SnapshotMismatchError` answer, as `RequestFailedError`, when it holds state of an
   * operator the job lacks, unless `allowNonRestoredState`). A savepoint too large for one frame is refused
   * here with `SavepointTooLargeError`, before anything is sent.
   *
   * @example
   * ```ts
   * await client.submitJob({ module: 'a.mjs' })
   * await client.submitJob({ module: 'a.mjs', restore: await client.triggerSavepoint(uuid) })
   * ```
   */
  async submitJob(params: SubmitJobParams): Promise<string> {
    const { allowNonRestoredState, ...rest } = params;
    const wire: SubmitJobRequest = {
      ...rest,
      ...(allowNonRestoredState === true ? { allow_non_restored_state: true } : {}),
    };
    try {
      return (await this.request('submit_job', wire)).job_uuid;
    } catch (e) {
      if (
        params.restore !== undefined &&
        e instanceof ProtocolError &&
        /exceeds the frame limit/.test(e.message)
      ) {
        const bytes = Buffer.byteLength(JSON.stringify(params.restore), 'utf8');
        throw new SavepointTooLargeError(
          `submit_job: the savepoint to restore is ${bytes} bytes of JSON, more than one frame of the control protocol carries (${MAX_FRAME_BYTES} bytes): submit it in the server's process with submit({ restore })`,
          bytes,
          MAX_FRAME_BYTES,
        );
      }
      throw e;
    }
  }

  /**
   * Takes a savepoint of a job (a consistent cut of all its state; the job goes on) and resolves with it; with
   * `{ stop: true }` the job is stopped right after it. The savepoint is JSON-compatible: write it to a file
   * and give it later as the `restore` of `submitJob`. A savepoint too large for one response frame fails with
   * a `RequestFailedError` whose `errorType` is `'SavepointTooLargeError'` (and the job is not stopped).
   *
   * @example
   * ```ts
   * const savepoint = await client.triggerSavepoint(uuid, { stop: true });
   * await client.submitJob({ module: 'counts.mjs', args: { parallelism: 4 }, restore: savepoint });
   * ```
   */
  async triggerSavepoint(uuid: string, options: SavepointOptions = {}): Promise<JobSnapshot> {
    return (
      await this.request('trigger_savepoint', {
        job_uuid: uuid,
        ...(options.stop === true ? { stop: true } : {}),
      })
    ).savepoint;
  }

  /**
   * A job's status (`status: 'not_found'` for an unknown uuid).
   *
   * @example
   * ```ts
   * await client.getJobStatus(uuid)
   * ```
   */
  async getJobStatus(uuid: string): Promise<JobStatus | UnknownJobStatus> {
    return (await this.request('get_job_status', { job_uuid: uuid })).job_status;
  }

  /**
   * One page of the jobs the server knows, as summaries in submit order (default: the first 100; at most 1000
   * per page), with `total`, the number of jobs in all. `getJobStatus` gives a job's full status.
   *
   * @example
   * ```ts
   * const { jobs, total } = await client.listJobs({ offset: 0, limit: 50 });
   * ```
   */
  async listJobs(page: PageOptions = {}): Promise<JobSummaryPage> {
    const { jobs, total } = await this.request('list_jobs', {
      ...(page.offset !== undefined ? { offset: page.offset } : {}),
      ...(page.limit !== undefined ? { limit: page.limit } : {}),
    });
    return { jobs, total };
  }

  /**
   * Pauses a job.
   *
   * @example
   * ```ts
   * await client.pauseJob(uuid)
   * ```
   */
  async pauseJob(uuid: string): Promise<JobStatus> {
    return (await this.request('pause_job', { job_uuid: uuid })).job_status;
  }

  /**
   * Resumes a paused job.
   *
   * @example
   * ```ts
   * await client.continueJob(uuid)
   * ```
   */
  async continueJob(uuid: string): Promise<JobStatus> {
    return (await this.request('continue_job', { job_uuid: uuid })).job_status;
  }

  /**
   * Stops a job.
   *
   * @example
   * ```ts
   * await client.stopJob(uuid)
   * ```
   */
  async stopJob(uuid: string): Promise<JobStatus> {
    return (await this.request('stop_job', { job_uuid: uuid })).job_status;
  }

  /**
   * Deletes an ended job (or, with `force`, stops and deletes a running one).
   *
   * @example
   * ```ts
   * await client.deleteJob(uuid, { force: true })
   * ```
   */
  async deleteJob(uuid: string, options: { force?: boolean } = {}): Promise<void> {
    await this.request('delete_job', { job_uuid: uuid, force: options.force === true });
  }

  /**
   * Closes the connection; requests still waiting fail with a `ConnectionError`, later ones are refused.
   *
   * @example
   * ```ts
   * client.close();
   * ```
   */
  close(): void {
    this.closed = true;
    this.failAll(new ConnectionError(`The client to ${this.address} was closed`, this.address));
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connection(): Promise<Socket> {
    if (this.socket !== undefined && !this.socket.destroyed) return Promise.resolve(this.socket);
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private open(): Promise<Socket> {
    return new Promise<Socket>((resolve, reject) => {
      const socket = connect({ host: this.host, port: this.port });
      socket.setNoDelay(true);
      const guard = timer(this.connectTimeoutMs).subscribe(() => {
        socket.destroy();
        reject(
          new ConnectionError(
            `Cannot connect to the JobManager at ${this.address}: no answer within ${this.connectTimeoutMs} ms; check the host, the port and any firewall`,
            this.address,
          ),
        );
      });
      const failed = (e: Error): void => {
        guard.unsubscribe();
        reject(this.connectError(e));
      };
      socket.once('error', failed);
      socket.once('connect', () => {
        guard.unsubscribe();
        socket.off('error', failed);
        this.attach(socket);
        resolve(socket);
      });
    });
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    this.fresh = socket;
    const decoder = new FrameDecoder(MAX_FRAME_BYTES);
    let lastError: Error | undefined;
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        if (socket.destroyed) return;
        if (!frame.ok) {
          lastError = new ConnectionError(
            `Unreadable answer from the JobManager at ${this.address}: ${frame.error.message}`,
            this.address,
          );
          socket.destroy();
          return;
        }
        this.receive(socket, frame.message, (notice) => {
          lastError = notice;
        });
      }
    });
    socket.on('error', (e) => {
      lastError = new ConnectionError(
        `Connection to the JobManager at ${this.address} failed: ${e.message}`,
        this.address,
        { cause: e },
      );
    });
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      this.failAll(
        lastError ??
          new ConnectionError(
            `The JobManager at ${this.address} closed the connection before answering`,
            this.address,
          ),
      );
    });
    socket.unref();
  }

  private receive(socket: Socket, message: unknown, notice: (error: Error) => void): void {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      notice(
        new ConnectionError(
          `Unreadable answer from the JobManager at ${this.address}: a response must be a JSON object, got ${describeValue(message)}; is it a sage-kernel JobManager?`,
          this.address,
        ),
      );
      socket.destroy();
      return;
    }
    const response = message as Record<string, unknown>;
    const id = response.request_id;
    const pending = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (pending === undefined || typeof id !== 'number') {
      // Only an answer to no request (or to the authenticating one) says why the server closes the connection;
      // a late answer to a request that timed out says nothing about the requests still waiting.
      if (id !== null && id !== undefined && id !== AUTH_REQUEST_ID) return;
      if (response.status === 'error' && response.error_type === 'AuthenticationError') {
        notice(new AuthenticationError());
      } else if (response.status === 'error' && typeof response.message === 'string') {
        notice(
          new ConnectionError(
            `The JobManager at ${this.address} closed the connection: ${response.message}`,
            this.address,
          ),
        );
      }
      return;
    }
    this.settle(id);
    if (response.status === 'success') {
      const problem = successShapeProblem(pending.action, response);
      if (problem === undefined) pending.resolve(response);
      else
        pending.reject(
          new ProtocolError(
            `The JobManager at ${this.address} answered ${pending.action} with success, but ${problem}: ` +
              'is it a sage-kernel JobManager of a compatible version?',
          ),
        );
      return;
    }
    if (response.status !== 'error') {
      pending.reject(
        new ProtocolError(
          `The JobManager at ${this.address} answered ${pending.action} with status ${describeValue(response.status)}, ` +
            "neither 'success' nor 'error': is it a sage-kernel JobManager of a compatible version?",
        ),
      );
      return;
    }
    const text =
      typeof response.message === 'string' ? response.message : 'The server answered with an error';
    const type = typeof response.error_type === 'string' ? response.error_type : undefined;
    if (type === 'JobNotFoundError' && pending.jobUuid !== undefined)
      pending.reject(new JobNotFoundError(pending.jobUuid));
    else if (type === 'AuthenticationError') pending.reject(new AuthenticationError());
    else pending.reject(new RequestFailedError(pending.action, text, type));
  }

  private settle(id: number): void {
    const pending = this.pending.get(id);
    if (pending === undefined) return;
    pending.timeout.unsubscribe();
    this.pending.delete(id);
    if (this.pending.size === 0) this.socket?.unref();
  }

  private failAll(error: Error): void {
    for (const [id, pending] of [...this.pending]) {
      this.settle(id);
      pending.reject(error);
    }
  }

  private connectError(e: Error & { code?: string }): ConnectionError {
    const reason =
      e.code === 'ECONNREFUSED'
        ? 'connection refused; is the server running? Start it with `sage jobmanager start`'
        : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN'
          ? `host ${this.host} not found`
          : e.message;
    return new ConnectionError(
      `Cannot connect to the JobManager at ${this.address}: ${reason}`,
      this.address,
      { cause: e },
    );
  }
}

/** Longest delay a Node timer takes; a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

function checkHost(host: unknown): string {
  if (typeof host !== 'string' || host.length === 0) {
    throw new InvalidArgumentError(
      `JobManagerClient: host must be a non-empty string such as '127.0.0.1', got ${describeValue(host)}`,
    );
  }
  return host;
}

function checkPort(port: unknown): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InvalidArgumentError(
      `JobManagerClient: port must be an integer from 1 to 65535 (the server's port, default ${DEFAULT_PORT}), got ${describeValue(port)}`,
    );
  }
  return port;
}

function checkTimeout(name: string, ms: unknown): number {
  if (typeof ms !== 'number' || !(ms > 0) || ms > MAX_TIMER_MS) {
    throw new InvalidArgumentError(
      `JobManagerClient: ${name} must be a positive number of milliseconds of at most ${MAX_TIMER_MS} (about 24 days; a timer fires at once past it), got ${describeValue(ms)}`,
    );
  }
  return ms;
}
