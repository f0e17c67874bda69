import { SageError } from './sage-error.js';

/**
 * A request to the JobManager server got no answer within the client's timeout.
 *
 * @example
 * ```ts
 * const client = new JobManagerClient({ timeoutMs: 2000 });
 * try { await client.listJobs(); } catch (e) { if (e instanceof RequestTimeoutError) console.error(e.message); }
 * ```
 */
export class RequestTimeoutError extends SageError {
  constructor(
    readonly action: string,
    readonly timeoutMs: number,
    readonly address: string,
  ) {
    super(
      `No answer to ${action} from the JobManager at ${address} within ${timeoutMs} ms: check that the server is ` +
        'responsive, or raise the client timeout',
    );
  }
}
