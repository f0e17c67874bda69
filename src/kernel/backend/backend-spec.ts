/**
 * The worker-thread backend: the job's instances are spread over `workers` threads (default: the machine's
 * available parallelism, at least 2); records cross threads in batches of up to `batchSize` (default 1,000),
 * flushed at once when the flow is light, with `credits` batches in flight per direction between two workers (default 32).
 *
 * @example
 * ```ts
 * await env.submit({ backend: { kind: 'threads', workers: 2 }, autostop: true });
 * ```
 */
export interface ThreadsBackendSpec {
  readonly kind: 'threads';
  readonly workers?: number;
  readonly batchSize?: number;
  readonly credits?: number;
}

/**
 * The Redis backend: the job is registered in the Redis (or Valkey) server at `url`, and the `sage worker`
 * processes connected to it run its tasks under leases (a dead worker's tasks move after `leaseMs`, default
 * 3000). The workers import the job module from their `--job-root`: `jobRoot` is the directory the module's path
 * is taken relative to (default: the module's own directory, so the module is named by its file name). Needs the
 * optional peer dependency `redis`.
 *
 * @example
 * ```ts
 * await env.submit({ backend: { kind: 'redis', url: 'redis://127.0.0.1:6379' } });
 * ```
 */
export interface RedisBackendSpec {
  readonly kind: 'redis';
  readonly url: string;
  readonly leaseMs?: number;
  readonly jobRoot?: string;
}

/**
 * What runs a job: `'in-process'` (the default: this thread, the RxJS engine) or another backend. Backends
 * beyond this thread need a job built from a module (`LocalEnvironment.fromModule`, or a module submitted to a
 * JobManager server).
 *
 * @example
 * ```ts
 * const backend: BackendSpec = { kind: 'threads', workers: 4 };
 * ```
 */
export type BackendSpec =
  'in-process' | { readonly kind: 'in-process' } | ThreadsBackendSpec | RedisBackendSpec;

/**
 * The kind of a backend spec (`'in-process'` when none is given).
 *
 * @example
 * ```ts
 * backendKind({ kind: 'threads' }); // 'threads'
 * ```
 */
export function backendKind(spec: BackendSpec | undefined): 'in-process' | 'threads' | 'redis' {
  if (spec === undefined || spec === 'in-process') return 'in-process';
  return spec.kind;
}
