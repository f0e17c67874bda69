import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { JobOrigin } from '../../jobmanager/job-origin.js';
import { siblingModule, spawnWorker } from '../spawn-worker.js';

/** A worker thread of threads jobs, and the job modules it has imported (module URL → file hash). */
export interface PooledThread {
  readonly worker: Worker;
  readonly modules: Map<string, string>;
}

/**
 * The worker threads of threads jobs in this process. Starting a thread costs a lot more than a job's start
 * (loading the engine, and under tsx transpiling it: seconds on a loaded machine), so a thread whose job is over
 * and that is known to be idle (its shard ended, or it never started one) waits here, unreferenced (it does not
 * keep the process alive), for the next threads job. It then imports that job's module as a fresh thread would,
 * except that modules it already imported come from its module cache, as they do for jobs that run in-process:
 * a thread is reused for a module only if it imported none of that URL or the same file (same hash). At most
 * `maxIdle` threads wait; an idle thread that dies is dropped.
 *
 * @example
 * ```ts
 * const thread = threadPool.acquire(origin);  // an idle thread, or a new one
 * // … run the job's share on thread.worker …
 * threadPool.release(thread);                 // idle again (or terminated when the pool is full)
 * ```
 */
export class ThreadPool {
  private readonly idle: PooledThread[] = [];

  constructor(
    private readonly spawn: () => Worker,
    readonly maxIdle: number,
  ) {}

  /** Threads waiting for a job. */
  get size(): number {
    return this.idle.length;
  }

  /** An idle thread that may import `origin`'s module, or a new thread; it keeps the process alive until released. */
  acquire(origin: JobOrigin): PooledThread {
    const href = origin.module;
    const at = this.idle.findIndex((t) => {
      const hash = t.modules.get(href);
      return hash === undefined || hash === origin.moduleHash;
    });
    let thread: PooledThread;
    if (at >= 0) {
      thread = this.idle.splice(at, 1)[0] as PooledThread;
      thread.worker.ref();
    } else thread = this.adopt(this.spawn());
    thread.modules.set(href, origin.moduleHash);
    return thread;
  }

  /** `thread` is idle (its job's shard ended or never started): keep it for the next job, or end it. */
  release(thread: PooledThread): void {
    if (this.idle.length >= this.maxIdle) {
      void thread.worker.terminate();
      return;
    }
    thread.worker.unref();
    this.idle.push(thread);
  }

  /**
   * Starts threads until `count` wait idle, and resolves once each has loaded the engine (it says so with a
   * `loaded` message): a job started then does not pay for starting its threads.
   */
  async warm(count: number): Promise<void> {
    const loading: Promise<void>[] = [];
    for (let i = this.idle.length; i < Math.min(count, this.maxIdle); i++) {
      const thread = this.adopt(this.spawn());
      const worker = thread.worker;
      // Referenced until loaded, so that the process waits for it.
      this.idle.push(thread);
      loading.push(
        new Promise<void>((resolve, reject) => {
          const loaded = (m: unknown): void => {
            if (m !== 'loaded') return;
            worker.off('message', loaded);
            worker.off('exit', exited);
            if (this.idle.includes(thread)) worker.unref();
            resolve();
          };
          const exited = (code: number): void => {
            reject(new Error(`a thread for threads jobs exited with code ${String(code)} while loading`));
          };
          worker.on('message', loaded);
          worker.once('exit', exited);
        }),
      );
    }
    await Promise.all(loading);
  }

  /** Ends every idle thread. */
  async clear(): Promise<void> {
    await Promise.all(this.idle.splice(0).map((t) => t.worker.terminate()));
  }

  private adopt(worker: Worker): PooledThread {
    const thread: PooledThread = { worker, modules: new Map() };
    // An idle thread that fails or exits (a stray timer of an earlier job) is dropped; while a job runs on it,
    // the job's own listeners report it.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      const i = this.idle.indexOf(thread);
      if (i >= 0) this.idle.splice(i, 1);
    });
    return thread;
  }
}

/**
 * The process's pool of threads for threads jobs: up to the machine's available parallelism (at least 4) idle.
 *
 * @example
 * ```ts
 * const thread = threadPool.acquire(origin);
 * ```
 */
export const threadPool = new ThreadPool(
  () => spawnWorker(siblingModule(import.meta.url, 'threads-worker'), {}),
  Math.max(4, availableParallelism()),
);
