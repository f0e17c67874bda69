import { readFileSync } from 'node:fs';
import { placementOf, type JobPlacementOptions } from './job-placement.js';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Logger, LogLevelDesc } from 'loglevel';
import { asyncScheduler } from 'rxjs';
import { ConnectionError } from '../../../errors/connection-error.js';
import { RateLimitError } from '../../../errors/rate-limit-error.js';
import { JobStateError } from '../../../errors/job-state-error.js';
import { toError } from '../../../errors/to-error.js';
import { UsageError } from '../../../errors/usage-error.js';
import { recordLogger } from '../../runtime/log/record-logger.js';
import { JobManager } from '../job-manager.js';
import { encodeFrame } from '../protocol/frame-encoder.js';
import { errorResponse } from '../protocol/error-response.js';
import type { Response, ServerInfo } from '../protocol/messages.js';
import { parseRequest, requestIdOf } from '../protocol/parse-request.js';
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  MAX_FRAME_BYTES,
  MAX_UNAUTHENTICATED_BYTES,
  PROTOCOL_VERSION,
} from '../protocol/protocol-defaults.js';
import { Connection, type Answer } from './connection.js';
import { AuthRateLimiter } from './auth-rate-limiter.js';
import { BufferBudget } from './buffer-budget.js';
import { checkBinding } from './check-binding.js';
import { JobModuleLoader } from './job-module-loader.js';
import { RequestHandler } from './request-handler.js';
import { tokensMatch } from './tokens-match.js';

/** Options of a `JobManagerServer`; every one has a default. */
export interface JobManagerServerOptions extends JobPlacementOptions {
  /**
   * Address to listen on (default `127.0.0.1`). Anything but loopback requires a `token` of at least 16
   * characters.
   */
  readonly host?: string;
  /** Port to listen on (default 19001; 0 lets the OS choose). */
  readonly port?: number;
  /** Directories job modules may be loaded from (default none: every submit is refused). */
  readonly jobRoots?: readonly string[];
  /** When set, every request must carry this token. */
  readonly token?: string;
  /** The JobManager that runs the jobs (default: a new one owned by this server). */
  readonly jobManager?: JobManager;
  /** Connections served at the same time (default 128); more are answered with an error and closed. */
  readonly maxConnections?: number;
  /** Close a connection silent this long with no request in progress (default 60 000 ms). */
  readonly idleTimeoutMs?: number;
  /** Close a connection whose started frame is not complete after this long (default 10 000 ms). */
  readonly frameTimeoutMs?: number;
  /** Largest frame payload accepted (default 10 MiB). */
  readonly maxFrameBytes?: number;
  /** Requests of one connection handled concurrently before reading pauses (default 32). */
  readonly maxInFlight?: number;
  /** Longest time a job module's builder may take (default 30 000 ms). */
  readonly buildTimeoutMs?: number;
  /**
   * Where the server logs job events (submitted, completed, stopped at info; failed and failed submits at warn)
   * and refused connections (default: the loglevel logger `sage-kernel:jobmanager-server`, whose lines carry the
   * time).
   */
  readonly logger?: Logger;
  /** Level set on that logger when the server starts (default: left as it is, `warn` for the default logger). */
  readonly logLevel?: LogLevelDesc;
  /**
   * With a token: close a connection whose first request with the right token has not arrived after this long
   * (default 5 000 ms).
   */
  readonly authTimeoutMs?: number;
  /**
   * Bytes of incomplete frames buffered across all connections (default 64 MiB); a connection that would pass
   * it is closed.
   */
  readonly maxBufferedBytes?: number;
  /** With a token: bytes of incomplete frames buffered for a connection before it authenticated (default 64 KiB). */
  readonly maxUnauthenticatedBytes?: number;
  /**
   * With a token: failed authentications an address may make in a row before its connections are refused, and
   * connections it may have waiting to authenticate at once (default 10).
   */
  readonly authFailureLimit?: number;
  /** With a token: an address regains `authFailureLimit` attempts over this long (default 60 000 ms). */
  readonly authFailureWindowMs?: number;
}

/** Where a started server listens. */
export interface ServerAddress {
  readonly host: string;
  readonly port: number;
}

/** The logger of every JobManagerServer that is given none. */
const serverLogger = recordLogger({ name: 'sage-kernel:jobmanager-server', component: 'jobmanager-server' });

/**
 * The JobManager as a TCP server other processes steer with the control protocol (docs/protocol.md): frames of a
 * 4-byte big-endian length + UTF-8 JSON, one response per request echoing its `request_id`, several requests
 * per connection. Jobs are job modules loaded only from the job roots; no code is evaluated from the wire.
 * Bad input gets an error response and never harms the server or its jobs.
 *
 * @example
 * ```ts
 * const server = new JobManagerServer({ port: 0, jobRoots: ['./jobs'] });
 * const { host, port } = await server.start();
 * // … later
 * await server.stop(); // stops its jobs and closes every connection
 * ```
 */
export class JobManagerServer {
  /** The JobManager running this server's jobs. */
  readonly jobManager: JobManager;
  private readonly host: string;
  private readonly port: number;
  private readonly token: string | undefined;
  private readonly limits: Required<
    Pick<
      JobManagerServerOptions,
      | 'maxConnections'
      | 'idleTimeoutMs'
      | 'frameTimeoutMs'
      | 'maxFrameBytes'
      | 'maxInFlight'
      | 'buildTimeoutMs'
      | 'authTimeoutMs'
      | 'maxUnauthenticatedBytes'
    >
  >;
  private readonly connections = new Set<Connection>();
  private readonly budget: BufferBudget;
  private readonly authFailures: AuthRateLimiter;
  /** Connections per remote address that have not authenticated yet (with a token). */
  private readonly waiting = new Map<string, number>();
  private readonly logger: Logger;
  private server: Server | undefined;
  private handler: RequestHandler | undefined;
  private loader: JobModuleLoader | undefined;
  private listening: ServerAddress | undefined;

  constructor(private readonly options: JobManagerServerOptions = {}) {
    this.jobManager = options.jobManager ?? new JobManager();
    this.host = options.host ?? DEFAULT_HOST;
    this.port = options.port ?? DEFAULT_PORT;
    this.token = options.token;
    this.logger = options.logger ?? serverLogger;
    this.limits = {
      maxConnections: positive('maxConnections', options.maxConnections ?? 128),
      idleTimeoutMs: positive('idleTimeoutMs', options.idleTimeoutMs ?? 60_000),
      frameTimeoutMs: positive('frameTimeoutMs', options.frameTimeoutMs ?? 10_000),
      maxFrameBytes: positive('maxFrameBytes', options.maxFrameBytes ?? MAX_FRAME_BYTES),
      maxInFlight: positive('maxInFlight', options.maxInFlight ?? 32),
      buildTimeoutMs: positive('buildTimeoutMs', options.buildTimeoutMs ?? 30_000),
      authTimeoutMs: positive('authTimeoutMs', options.authTimeoutMs ?? 5_000),
      maxUnauthenticatedBytes: positive(
        'maxUnauthenticatedBytes',
        options.maxUnauthenticatedBytes ?? MAX_UNAUTHENTICATED_BYTES,
      ),
    };
    this.budget = new BufferBudget(
      positive('maxBufferedBytes', options.maxBufferedBytes ?? 64 * 1024 * 1024),
    );
    this.authFailures = new AuthRateLimiter(
      positive('authFailureLimit', options.authFailureLimit ?? 10),
      positive('authFailureWindowMs', options.authFailureWindowMs ?? 60_000),
      () => asyncScheduler.now(),
    );
  }

  /** Bytes held now for incomplete frames, over all connections (at most `maxBufferedBytes`). */
  get bufferedBytes(): number {
    return this.budget.used;
  }

  /** The most bytes ever held at once for incomplete frames. */
  get peakBufferedBytes(): number {
    return this.budget.peak;
  }

  /** Where the server listens, once started. */
  get address(): ServerAddress | undefined {
    return this.listening;
  }

  /**
   * Checks the options (a non-loopback host needs a token; job roots must exist), then listens. Resolves with
   * the actual address (the OS-chosen port when `port` was 0).
   *
   * @example
   * ```ts
   * const { host, port } = await new JobManagerServer({ port: 0 }).start();
   * ```
   */
  async start(): Promise<ServerAddress> {
    if (this.server !== undefined) throw new JobStateError('This JobManagerServer is already started');
    checkBinding(this.host, this.token, 'listen');
    if (!Number.isInteger(this.port) || this.port < 0 || this.port > 65535) {
      throw new UsageError(`Port must be an integer from 0 to 65535, got ${this.port}`);
    }
    const loader = await JobModuleLoader.create(this.options.jobRoots ?? []);
    if (this.options.logLevel !== undefined) this.logger.setLevel(this.options.logLevel, false);
    this.loader = loader;
    this.handler = new RequestHandler({
      jobManager: this.jobManager,
      logger: this.logger,
      loader,
      buildTimeoutMs: this.limits.buildTimeoutMs,
      ...placementOf(this.options),
      serverInfo: () => this.info(),
    });
    const server = createServer({ allowHalfOpen: true }, (socket) => {
      this.accept(socket);
    });
    await new Promise<void>((resolve, reject) => {
      const failed = (e: Error): void => {
        reject(
          new ConnectionError(
            `Cannot listen on ${this.host}:${this.port}: ${e.message}`,
            `${this.host}:${this.port}`,
            { cause: e },
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
      this.logger.error('JobManager server error:', e.message);
    });
    this.server = server;
    const bound = server.address() as AddressInfo;
    this.listening = { host: bound.address, port: bound.port };
    return this.listening;
  }

  /**
   * Stops every job of its JobManager that has not ended (but Redis jobs, which run on their workers), closes
   * every connection and stops listening.
   *
   * @example
   * ```ts
   * process.once('SIGTERM', () => void server.stop());
   * ```
   */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    for (const job of this.jobManager.listJobs()) {
      // A Redis job runs on the workers and lives in Redis: the next server takes it over.
      if (job.backend === 'redis') continue;
      if (job.status === 'running' || job.status === 'paused' || job.status === 'initializing') {
        try {
          this.jobManager.stopJob(job.uuid);
        } catch (e) {
          this.logger.warn(`Could not stop job ${job.uuid}:`, toError(e).message);
        }
      }
    }
    for (const connection of this.connections) connection.destroy();
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    this.listening = undefined;
  }

  /**
   * What `get_server_info` reports: version, address, job roots, limits, connection count.
   *
   * @example
   * ```ts
   * console.log(server.info().job_roots);
   * ```
   */
  info(): ServerInfo {
    return {
      name: 'sage-kernel',
      version: packageVersion(),
      protocol_version: PROTOCOL_VERSION,
      host: this.listening?.host ?? this.host,
      port: this.listening?.port ?? this.port,
      job_roots: this.loader?.roots ?? [],
      auth_required: this.token !== undefined,
      max_frame_bytes: this.limits.maxFrameBytes,
      connections: this.connections.size,
      max_connections: this.limits.maxConnections,
    };
  }

  private accept(socket: Socket): void {
    const address = socket.remoteAddress ?? 'unknown';
    if (this.token !== undefined && this.authFailures.blocked(address)) {
      const error = new RateLimitError(address, this.authFailures.retryAfterMs(address));
      this.refuse(socket, error.message, error.name);
      return;
    }
    const waiting = this.waiting.get(address) ?? 0;
    if (this.token !== undefined && waiting >= this.authFailures.limit) {
      this.refuse(
        socket,
        `Too many connections from ${address} waiting to authenticate (limit ${this.authFailures.limit}): ` +
          'send a request with the token on the open ones first',
        'ConnectionError',
      );
      return;
    }
    if (this.connections.size >= this.limits.maxConnections) {
      this.refuse(
        socket,
        `Too many connections (limit ${this.limits.maxConnections}): try again later`,
        'ConnectionError',
      );
      return;
    }
    const token = this.token;
    let unauthenticated = token !== undefined;
    const authenticatedOrGone = (): void => {
      if (!unauthenticated) return;
      unauthenticated = false;
      const left = (this.waiting.get(address) ?? 1) - 1;
      if (left > 0) this.waiting.set(address, left);
      else this.waiting.delete(address);
    };
    if (unauthenticated) this.waiting.set(address, waiting + 1);
    const connection = new Connection(
      socket,
      {
        maxFrameBytes: this.limits.maxFrameBytes,
        budget: this.budget,
        idleTimeoutMs: this.limits.idleTimeoutMs,
        frameTimeoutMs: this.limits.frameTimeoutMs,
        maxInFlight: this.limits.maxInFlight,
        answer: (message) => this.answer(message),
        ...(token !== undefined
          ? {
              auth: {
                check: (message: unknown) => carriesToken(message, token),
                failed: () => {
                  this.authFailed(address);
                },
                succeeded: authenticatedOrGone,
                timeoutMs: this.limits.authTimeoutMs,
                maxBufferedBytes: this.limits.maxUnauthenticatedBytes,
              },
            }
          : {}),
      },
      () => {
        authenticatedOrGone();
        this.connections.delete(connection);
      },
    );
    this.connections.add(connection);
  }

  /** Answers a connection that is not served with one error and closes it. */
  private refuse(socket: Socket, message: string, errorType: string): void {
    socket.on('error', () => socket.destroy());
    socket.end(encodeFrame(errorResponse(null, message, errorType)));
    socket.setTimeout(1000, () => socket.destroy());
  }

  private authFailed(address: string): void {
    this.authFailures.failed(address);
    if (this.authFailures.blocked(address)) {
      this.logger.warn(
        `authentication failed from ${address}; refusing its connections for ${this.authFailures.retryAfterMs(address)} ms`,
      );
    } else {
      this.logger.info(`authentication failed from ${address}`);
    }
  }

  private async answer(message: unknown): Promise<Answer> {
    const requestId = requestIdOf(message);
    const handler = this.handler;
    try {
      if (handler === undefined) throw new JobStateError('The server is stopping');
      const request = parseRequest(message);
      const fields = await handler.handle(request);
      return {
        response: { ...fields, request_id: request.request_id, status: 'success' } as Response,
        close: false,
      };
    } catch (e) {
      const error = toError(e);
      this.logger.debug('request failed:', error.message);
      return { response: errorResponse(requestId, error.message, error.name), close: false };
    }
  }
}

function carriesToken(message: unknown, token: string): boolean {
  const given =
    typeof message === 'object' && message !== null ? (message as { token?: unknown }).token : undefined;
  return typeof given === 'string' && tokensMatch(token, given);
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`${name} must be a positive number, got ${value}`);
  return value;
}

let version: string | undefined;

function packageVersion(): string {
  if (version !== undefined) return version;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    version = typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    version = 'unknown';
  }
  return version;
}
