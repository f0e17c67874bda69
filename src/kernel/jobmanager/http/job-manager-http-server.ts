import { readFile } from 'node:fs/promises';
import { placementOf, type JobPlacementOptions } from '../server/job-placement.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'loglevel';
import { AuthenticationError } from '../../../errors/authentication-error.js';
import { ConnectionError } from '../../../errors/connection-error.js';
import { HttpRequestError } from '../../../errors/http-request-error.js';
import { JobNotFoundError } from '../../../errors/job-not-found-error.js';
import { JobStateError } from '../../../errors/job-state-error.js';
import { toError } from '../../../errors/to-error.js';
import { UsageError } from '../../../errors/usage-error.js';
import { recordLogger } from '../../runtime/log/record-logger.js';
import { JobManager } from '../job-manager.js';
import type { JobStatus } from '../job-status.js';
import type { JsonValue } from '../protocol/messages.js';
import { isSnapshotShape, snapshotShapeProblem } from '../protocol/snapshot-shape.js';
import { DEFAULT_HOST, PROTOCOL_VERSION } from '../protocol/protocol-defaults.js';
import { checkBinding } from '../server/check-binding.js';
import { JobModuleLoader } from '../server/job-module-loader.js';
import { RequestHandler } from '../server/request-handler.js';
import { tokensMatch } from '../server/tokens-match.js';
import { DashboardAssets } from './dashboard-assets.js';
import { matchRoute, type MatchedRoute } from './http-routes.js';
import { JobManagerMetricsSource } from './job-manager-metrics-source.js';
import type { MetricsSource } from './metrics-source.js';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from './prometheus-exposition.js';
import { jsonDeeperThan, MAX_JSON_DEPTH } from '../protocol/json-depth.js';
import { readJsonBody } from './read-json-body.js';
import { statusCodeOf } from './status-code-of.js';

/**
 * The port a `JobManagerHttpServer` listens on when none is given.
 *
 * @example
 * ```ts
 * new JobManagerHttpServer(); // http://127.0.0.1:19080/
 * ```
 */
export const DEFAULT_HTTP_PORT = 19080;

/** Options of a `JobManagerHttpServer`; every one has a default. */
export interface JobManagerHttpServerOptions extends JobPlacementOptions {
  /** Address to listen on (default `127.0.0.1`). Anything but loopback requires `token`. */
  readonly host?: string;
  /** Port to listen on (default 19080; 0 lets the OS choose). */
  readonly port?: number;
  /** Directories job modules may be loaded from (default none: every submit is refused). */
  readonly jobRoots?: readonly string[];
  /** When set, every route but `/health` and the dashboard's static files needs `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** The JobManager whose jobs are served (default: a new one owned, and stopped, by this server). */
  readonly jobManager?: JobManager;
  /** Where `/metrics` and the dashboard read their numbers (default: from the JobManager). */
  readonly metricsSource?: MetricsSource;
  /** Largest request body accepted, in bytes (default 1 MiB); larger ones get 413. */
  readonly maxBodyBytes?: number;
  /** Connections served at the same time (default 128); more are closed at once. */
  readonly maxConnections?: number;
  /** Longest time a client may take to send one whole request (default 30 000 ms). */
  readonly requestTimeoutMs?: number;
  /** Longest time a job module's builder may take (default 30 000 ms). */
  readonly buildTimeoutMs?: number;
  /**
   * Where the server logs job events (submitted, completed, stopped at info; failed and failed submits, with
   * their reason, at warn) and its own errors (default: the loglevel logger `sage-kernel:jobmanager-http`, whose
   * lines carry the time, at `warn`).
   */
  readonly logger?: Logger;
}

/** Where a started HTTP server listens. */
export interface HttpServerAddress {
  readonly host: string;
  readonly port: number;
  /** The base URL, e.g. `http://127.0.0.1:19080`. */
  readonly url: string;
}

/** A job as `GET /jobs` lists it. */
export interface JobSummary {
  readonly uuid: string;
  readonly name: string;
  readonly status: JobStatus['status'];
  readonly startTime: string;
}

const DEFAULT_LIMIT = 100;
/** Bounds of how often Node checks the request and headers timeouts of open connections. */
const MIN_TIMEOUT_CHECK_MS = 50;
const MAX_TIMEOUT_CHECK_MS = 1000;
const MAX_LIMIT = 1000;
const MAX_PATH_LENGTH = 4096;
const MAX_NAME_LENGTH = 256;
const SUBMIT_FIELDS = new Set([
  'module',
  'export',
  'args',
  'autostop',
  'restore',
  'allow_non_restored_state',
]);

/** The logger of every JobManagerHttpServer that is given none (lines stamped with the time, at `warn`). */
const httpLogger = recordLogger({ name: 'sage-kernel:jobmanager-http', component: 'jobmanager-http' });

/**
 * The JobManager over HTTP: a REST API mirroring the control protocol (`/jobs`, `/jobs/{id}` and its actions),
 * Prometheus metrics at `/metrics`, an OpenAPI document at `/openapi.json` and the web dashboard at `/`. Host
 * rules and token are the TCP server's: binding off loopback needs a token, sent as `Authorization: Bearer
 * <token>`. Job modules load only from the job roots. Bad input gets a JSON error with a fitting status and
 * never harms the server or its jobs.
 *
 * @example
 * ```ts
 * const http = new JobManagerHttpServer({ port: 0, jobRoots: ['./jobs'] });
 * const { url } = await http.start();
 * console.log(`dashboard at ${url}/`);
 * // … later
 * await http.stop();
 * ```
 */
export class JobManagerHttpServer {
  /** The JobManager whose jobs this server serves. */
  readonly jobManager: JobManager;
  private readonly ownsJobManager: boolean;
  private readonly host: string;
  private readonly port: number;
  private readonly token: string | undefined;
  private readonly metrics: MetricsSource;
  private readonly assets = new DashboardAssets();
  private readonly limits: {
    readonly maxBodyBytes: number;
    readonly maxConnections: number;
    readonly requestTimeoutMs: number;
    readonly buildTimeoutMs: number;
  };
  private server: Server | undefined;
  private handler: RequestHandler | undefined;
  private listening: HttpServerAddress | undefined;
  private openapi: Promise<Buffer> | undefined;
  private readonly logger: Logger;

  constructor(private readonly options: JobManagerHttpServerOptions = {}) {
    this.logger = options.logger ?? httpLogger;
    this.ownsJobManager = options.jobManager === undefined;
    this.jobManager = options.jobManager ?? new JobManager();
    this.host = options.host ?? DEFAULT_HOST;
    this.port = options.port ?? DEFAULT_HTTP_PORT;
    this.token = options.token;
    this.metrics = options.metricsSource ?? new JobManagerMetricsSource(this.jobManager);
    this.limits = {
      maxBodyBytes: positive('maxBodyBytes', options.maxBodyBytes ?? 1024 * 1024),
      maxConnections: positive('maxConnections', options.maxConnections ?? 128),
      requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs ?? 30_000),
      buildTimeoutMs: positive('buildTimeoutMs', options.buildTimeoutMs ?? 30_000),
    };
  }

  /**
   * Where the server listens, once started.
   *
   * @example
   * ```ts
   * console.log(`dashboard at ${http.address?.url ?? '(not started)'}/`);
   * ```
   */
  get address(): HttpServerAddress | undefined {
    return this.listening;
  }

  /**
   * Checks the options (a non-loopback host needs a token; job roots must exist), then listens. Resolves with
   * the actual address (the OS-chosen port when `port` was 0).
   *
   * @example
   * ```ts
   * const { url } = await new JobManagerHttpServer({ port: 0 }).start();
   * ```
   */
  async start(): Promise<HttpServerAddress> {
    if (this.server !== undefined) throw new JobStateError('This JobManagerHttpServer is already started');
    checkBinding(this.host, this.token, 'serve HTTP');
    if (!Number.isInteger(this.port) || this.port < 0 || this.port > 65535) {
      throw new UsageError(`HTTP port must be an integer from 0 to 65535, got ${this.port}`);
    }
    const loader = await JobModuleLoader.create(this.options.jobRoots ?? []);
    this.handler = new RequestHandler({
      jobManager: this.jobManager,
      logger: this.logger,
      loader,
      buildTimeoutMs: this.limits.buildTimeoutMs,
      ...placementOf(this.options),
      serverInfo: () => ({
        name: 'sage-kernel',
        version: 'unknown',
        protocol_version: PROTOCOL_VERSION,
        host: this.listening?.host ?? this.host,
        port: this.listening?.port ?? this.port,
        job_roots: loader.roots,
        auth_required: this.token !== undefined,
        max_frame_bytes: this.limits.maxBodyBytes,
        connections: 0,
        max_connections: this.limits.maxConnections,
      }),
    });
    const server = createServer(
      {
        requestTimeout: this.limits.requestTimeoutMs,
        headersTimeout: Math.min(this.limits.requestTimeoutMs, 10_000),
        keepAliveTimeout: 5_000,
        maxHeaderSize: 16 * 1024,
        // Node checks those two timeouts every 30 s by default: a slow client would hold its connection for
        // up to a minute past the limit.
        connectionsCheckingInterval: Math.max(
          MIN_TIMEOUT_CHECK_MS,
          Math.min(MAX_TIMEOUT_CHECK_MS, this.limits.requestTimeoutMs / 4),
        ),
      },
      (request, response) => {
        void this.serve(request, response);
      },
    );
    server.maxConnections = this.limits.maxConnections;
    server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
      answerClientError(error, socket);
    });
    await new Promise<void>((resolve, reject) => {
      const failed = (e: Error): void => {
        reject(
          new ConnectionError(
            `Cannot listen on ${this.host}:${this.port}: ${e.message}`,
            `${this.host}:${this.port}`,
            {
              cause: e,
            },
          ),
        );
      };
      server.once('error', failed);
      server.listen({ host: this.host, port: this.port }, () => {
        server.off('error', failed);
        resolve();
      });
    });
    server.on('error', (e) => {
      this.logger.error('JobManager HTTP server error:', e.message);
    });
    this.server = server;
    const bound = server.address() as AddressInfo;
    const shown = bound.address.includes(':') ? `[${bound.address}]` : bound.address;
    this.listening = { host: bound.address, port: bound.port, url: `http://${shown}:${bound.port}` };
    return this.listening;
  }

  /**
   * Stops listening and closes every connection. Stops the jobs too when the server created its own
   * JobManager (a JobManager passed in is left running: its owner stops it).
   *
   * @example
   * ```ts
   * process.once('SIGTERM', () => void http.stop());
   * ```
   */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    this.handler = undefined;
    if (this.ownsJobManager) {
      for (const job of this.jobManager.listJobs()) {
        if (job.status === 'running' || job.status === 'paused' || job.status === 'initializing') {
          try {
            this.jobManager.stopJob(job.uuid);
          } catch (e) {
            this.logger.warn(`Could not stop job ${job.uuid}:`, toError(e).message);
          }
        }
      }
    }
    const closed = new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    server.closeAllConnections();
    await closed;
    this.listening = undefined;
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = requestUrl(request.url ?? '/');
      const matched = matchRoute(request.method ?? 'GET', url.pathname);
      if (!matched.route.public) this.authenticate(request);
      await this.dispatch(matched, url.searchParams, request, response);
    } catch (e) {
      this.fail(request, response, e);
    }
  }

  private authenticate(request: IncomingMessage): void {
    if (this.token === undefined) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer[ \t]+(.+)$/is.exec(header);
    if (match?.[1] === undefined || !tokensMatch(this.token, match[1])) {
      throw new AuthenticationError();
    }
  }

  private async dispatch(
    { route, params }: MatchedRoute,
    query: URLSearchParams,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const jm = this.jobManager;
    const id = params.id ?? '';
    if (route.operation !== 'submitJob') request.resume();
    switch (route.operation) {
      case 'dashboard':
      case 'asset': {
        const asset = await this.assets.get(params.file ?? 'index.html');
        send(response, 200, asset.contentType, asset.body, {
          'Cache-Control': 'no-cache',
          'Content-Security-Policy':
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        });
        return;
      }
      case 'health':
        json(response, 200, { status: 'success', daemon_status: jm.healthCheck() });
        return;
      case 'openapi':
        this.openapi ??= readFile(new URL('./openapi.json', import.meta.url));
        send(response, 200, 'application/json; charset=utf-8', await this.openapi);
        return;
      case 'metrics':
        send(
          response,
          200,
          PROMETHEUS_CONTENT_TYPE,
          Buffer.from(await renderPrometheus(this.metrics.jobs())),
        );
        return;
      case 'listJobs': {
        const offset = integerParam(query, 'offset', 0, Number.MAX_SAFE_INTEGER, 0);
        const limit = integerParam(query, 'limit', 0, MAX_LIMIT, DEFAULT_LIMIT);
        const all = jm.listJobs();
        const jobs: JobSummary[] = all
          .slice(offset, offset + limit)
          .map(({ uuid, name, status, startTime }) => ({ uuid, name, status, startTime }));
        json(response, 200, { jobs, total: all.length });
        return;
      }
      case 'submitJob': {
        const job_uuid = await this.submit(await readJsonBody(request, this.limits.maxBodyBytes));
        json(response, 201, { status: 'success', job_uuid });
        return;
      }
      case 'getJob':
        json(response, 200, this.require(id));
        return;
      case 'getJobMetrics': {
        const metrics = this.metrics.job(id);
        if (metrics === undefined) throw new JobNotFoundError(id);
        json(response, 200, metrics);
        return;
      }
      case 'pauseJob':
        this.expectState(id, ['running'], 'paused');
        json(response, 200, { status: 'success', job_uuid: id, job_status: jm.pauseJob(id) });
        return;
      case 'continueJob':
        this.expectState(id, ['paused'], 'continued');
        json(response, 200, { status: 'success', job_uuid: id, job_status: jm.continueJob(id) });
        return;
      case 'stopJob':
        this.expectState(id, ['running', 'paused', 'initializing'], 'stopped');
        json(response, 200, { status: 'success', job_uuid: id, job_status: jm.stopJob(id) });
        return;
      case 'savepointJob': {
        this.require(id);
        const savepoint = await Promise.resolve(jm.snapshotJob(id));
        json(response, 200, { status: 'success', job_uuid: id, savepoint });
        return;
      }
      case 'deleteJob': {
        const force = booleanParam(query, 'force');
        jm.deleteJob(id, { force });
        json(response, 200, { status: 'success', job_uuid: id, deleted: true });
        return;
      }
    }
  }

  private require(uuid: string): JobStatus {
    const status = this.jobManager.getJobStatus(uuid);
    if (status.status === 'not_found') throw new JobNotFoundError(uuid);
    return status;
  }

  private expectState(uuid: string, allowed: readonly JobStatus['status'][], verb: string): void {
    const { status } = this.require(uuid);
    if (!allowed.includes(status)) {
      throw new JobStateError(
        `Job ${uuid} is ${status}: only a job that is ${allowed.join(' or ')} can be ${verb}`,
      );
    }
  }

  private async submit(body: unknown): Promise<string> {
    const handler = this.handler;
    if (handler === undefined) throw new JobStateError('The server is stopping');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new HttpRequestError(
        400,
        'POST /jobs needs a JSON object body: { "module": "job.mjs", "export"?: "name", "args"?: {…}, "autostop"?: false }',
      );
    }
    const fields = body as Record<string, unknown>;
    const unknown = Object.keys(fields).filter((k) => !SUBMIT_FIELDS.has(k));
    if (unknown.length > 0) {
      throw new HttpRequestError(
        400,
        `Unknown field ${JSON.stringify(unknown[0]?.slice(0, 100))} in POST /jobs: allowed are ${[...SUBMIT_FIELDS].join(', ')}`,
      );
    }
    const module = textField(fields, 'module', MAX_PATH_LENGTH);
    if (module === undefined)
      throw new HttpRequestError(400, 'POST /jobs needs field "module": the job module\'s path');
    const exportName = textField(fields, 'export', MAX_NAME_LENGTH);
    const autostop = fields.autostop;
    if (autostop !== undefined && typeof autostop !== 'boolean') {
      throw new HttpRequestError(400, 'Field "autostop" must be true or false');
    }
    const allowNonRestored = fields.allow_non_restored_state;
    if (allowNonRestored !== undefined && typeof allowNonRestored !== 'boolean') {
      throw new HttpRequestError(400, 'Field "allow_non_restored_state" must be true or false');
    }
    if (jsonDeeperThan(fields.args)) {
      throw new HttpRequestError(
        400,
        `Field "args" nests deeper than ${String(MAX_JSON_DEPTH)} levels of arrays and objects: flatten it`,
      );
    }
    const restore = fields.restore;
    const problem = restore === undefined ? undefined : snapshotShapeProblem(restore);
    if (problem !== undefined) {
      throw new HttpRequestError(
        400,
        `Field "restore" must be a savepoint as POST /jobs/:id/savepoint answers it (an object with "operators"), but ${problem}`,
      );
    }
    const answer = await handler.handle({
      action: 'submit_job',
      request_id: 0,
      module,
      export: exportName ?? 'default',
      ...(fields.args !== undefined ? { args: fields.args as JsonValue } : {}),
      autostop: autostop ?? false,
      name: exportName ?? baseName(module),
      ...(isSnapshotShape(restore) ? { restore } : {}),
      allow_non_restored_state: allowNonRestored ?? false,
    });
    return (answer as { job_uuid: string }).job_uuid;
  }

  private fail(request: IncomingMessage, response: ServerResponse, e: unknown): void {
    const error = toError(e);
    const status = statusCodeOf(error);
    if (status === 500) this.logger.error('HTTP request failed:', error.message);
    const message = status === 500 ? `Internal error: ${error.message}` : error.message;
    const headers: Record<string, string> = {};
    if (status === 401) headers['WWW-Authenticate'] = 'Bearer';
    if (status === 413) headers.Connection = 'close';
    if (response.headersSent) {
      response.destroy();
      return;
    }
    json(response, status, { status: 'error', message }, headers);
    if (status === 413) {
      response.once('finish', () => request.socket.destroy());
    }
  }
}

/**
 * The URL of a request target: an origin-form path (`/jobs?limit=5`, taken as a path even when it starts with
 * `//`) or an absolute URL. Throws `HttpRequestError` 400 for a target that is neither.
 */
function requestUrl(target: string): URL {
  try {
    return target.startsWith('/') ? new URL(`http://localhost${target}`) : new URL(target);
  } catch {
    throw new HttpRequestError(
      400,
      `The request target ${JSON.stringify(target.slice(0, 100))} is not a valid URL path: send a path such as /jobs`,
    );
  }
}

/** Node's codes of the client errors answered with their own status (anything else malformed is 400). */
const CLIENT_ERRORS: Readonly<Record<string, readonly [number, string, string]>> = {
  ERR_HTTP_REQUEST_TIMEOUT: [
    408,
    'Request Timeout',
    'The request did not arrive in time: send it whole, faster',
  ],
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    'The request headers are too large: send smaller ones',
  ],
};

/**
 * Answers a request Node could not parse or that did not arrive in time with a JSON error (408 for a request
 * that took too long, 431 for headers over the limit, else 400) and closes the connection.
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  const served = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || served?.headersSent === true || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const [status, reason, message] = CLIENT_ERRORS[error.code ?? ''] ?? [
    400,
    'Bad Request',
    'The request is not valid HTTP/1.1: check the request line, the headers and the body framing',
  ];
  const body = JSON.stringify({ status: 'error', message });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: Buffer,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': body.length,
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  response.end(body);
}

function json(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  send(response, status, 'application/json; charset=utf-8', Buffer.from(JSON.stringify(value)), {
    'Cache-Control': 'no-store',
    ...headers,
  });
}

function integerParam(
  query: URLSearchParams,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = /^\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new HttpRequestError(
      400,
      `Query parameter "${name}" must be an integer from ${min} to ${max}, got ${JSON.stringify(raw.slice(0, 100))}`,
    );
  }
  return value;
}

function booleanParam(query: URLSearchParams, name: string): boolean {
  const raw = query.get(name);
  if (raw === null || raw === 'false') return false;
  if (raw === 'true' || raw === '') return true;
  throw new HttpRequestError(
    400,
    `Query parameter "${name}" must be true or false, got ${JSON.stringify(raw.slice(0, 100))}`,
  );
}

function textField(fields: Record<string, unknown>, name: string, maxLength: number): string | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw new HttpRequestError(
      400,
      `Field "${name}" must be a non-empty string of at most ${maxLength} characters`,
    );
  }
  return value;
}

function baseName(modulePath: string): string {
  const base = modulePath.split(/[\\/]/).pop() ?? modulePath;
  const name = base.replace(/\.[cm]?[jt]s$/, '');
  return name.length > 0 ? name : 'job';
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`${name} must be a positive number, got ${value}`);
  return value;
}
