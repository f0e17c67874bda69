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
 * What runs a job: `'in-process'` (the default: this thread, the RxJS engine) or another backend. Backends
 * beyond this thread need a job built from a module (`LocalEnvironment.fromModule`, or a module submitted to a
 * JobManager server).
 *
 * @example
 * ```ts
 * const backend: BackendSpec = { kind: 'threads', workers: 4 };
 * ```
 */
export type BackendSpec = 'in-process' | { readonly kind: 'in-process' } | ThreadsBackendSpec;

/**
 * The kind of a backend spec (`'in-process'` when none is given).
 *
 * @example
 * ```ts
 * backendKind({ kind: 'threads' }); // 'threads'
 * ```
 */
export function backendKind(spec: BackendSpec | undefined): 'in-process' | 'threads' {
  if (spec === undefined || spec === 'in-process') return 'in-process';
  return spec.kind;
}
