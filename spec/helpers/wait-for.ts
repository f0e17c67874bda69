/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this many milliseconds (default 2000). */
  readonly timeoutMs?: number;
  /** Milliseconds between two looks at the condition (default 1). */
  readonly stepMs?: number;
  /** What was awaited, for the error message. */
  readonly what?: string;
}

/**
 * Polls `condition` (which may answer with a Promise, e.g. a read from Redis) until it is true, with a bounded
 * deadline: rejects with a message naming what was awaited when the deadline passes, so a broken engine fails
 * the spec instead of hanging it.
 *
 * @example
 * ```ts
 * await waitFor(() => out.length >= 10, { what: '10 records at the sink' });
 * ```
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  options: WaitForOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const stepMs = options.stepMs ?? 1;
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`waitFor: ${options.what ?? 'condition'} not reached within ${timeoutMs} ms`);
    }
    await sleep(stepMs);
  }
}

/**
 * Resolves after `ms` milliseconds of real time (for specs only: the runtime never sleeps).
 *
 * @example
 * ```ts
 * await sleep(5);
 * ```
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Races `promise` against a deadline, so a job that never ends fails the spec with a clear message.
 *
 * @example
 * ```ts
 * await within(env.submit({ autostop: true }), 2000, 'the job to end');
 * ```
 */
export function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`within: ${what} did not happen within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => {
    clearTimeout(timer);
  });
}
