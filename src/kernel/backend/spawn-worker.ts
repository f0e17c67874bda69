import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The URL of a worker entry module next to `hostUrl` (the caller's `import.meta.url`), with the host's own
 * extension: `.ts` when sage-kernel runs from source under tsx, `.js` when built.
 *
 * @example
 * ```ts
 * const entry = siblingModule(import.meta.url, 'isolated-job-worker');
 * ```
 */
export function siblingModule(hostUrl: string, baseName: string): URL {
  return new URL(`./${baseName}${extname(fileURLToPath(hostUrl))}`, hostUrl);
}

/**
 * Starts a worker thread running the ES module `entry`. A TypeScript entry (sage-kernel running from source)
 * is started through tsx, registered in the new thread before the entry is imported.
 *
 * @example
 * ```ts
 * const worker = spawnWorker(siblingModule(import.meta.url, 'isolated-job-worker'), { workerData });
 * ```
 */
export function spawnWorker(entry: URL, options: WorkerOptions): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const code =
    `import(${JSON.stringify(tsx)}).then((m) => { m.register({ tsconfig: false }); ` +
    `return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { ...options, eval: true });
}
