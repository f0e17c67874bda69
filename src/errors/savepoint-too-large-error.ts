import { SageError } from './sage-error.js';

/**
 * A savepoint does not fit in one frame of the control protocol (10 MiB by default): the server could not
 * answer `trigger_savepoint` with it (a job asked to stop with it is left running), or the client could not
 * send it as the `restore` of `submit_job`. Take it over the HTTP API (`POST /jobs/:id/savepoint`) or in the
 * server's own process with `jobManager.snapshotJob(uuid)`.
 *
 * @example
 * ```ts
 * try { await client.triggerSavepoint(uuid); }
 * catch (e) { if (e instanceof RequestFailedError && e.errorType === 'SavepointTooLargeError') useHttp(); }
 * ```
 */
export class SavepointTooLargeError extends SageError {
  constructor(
    message: string,
    /** Bytes of the savepoint's JSON. */
    readonly bytes: number,
    /** The frame limit it exceeds, in bytes. */
    readonly limitBytes: number,
  ) {
    super(message);
  }
}
