/**
 * How a job ended, as the Dispatcher reports it to its listeners (synchronously, on the job's scheduler).
 *
 * @example
 * ```ts
 * dispatcher.onEnd((o) => { if (o.status === 'failed') console.error(o.error); });
 * ```
 */
export type JobOutcome =
  | { readonly status: 'completed' }
  | { readonly status: 'stopped' }
  | { readonly status: 'failed'; readonly error: Error };
