import { SageError } from '../errors/sage-error.js';

/**
 * A test helper gave up waiting: the condition it waited for did not happen within its timeout.
 *
 * @example
 * ```ts
 * try { await waitForStatus(jm, uuid, 'completed', { timeout: 1000 }); }
 * catch (e) { if (e instanceof TestTimeoutError) console.error(e.message); }
 * ```
 */
export class TestTimeoutError extends SageError {
  constructor(
    /** What was awaited, in words. */
    readonly waitingFor: string,
    /** The timeout that elapsed, in milliseconds. */
    readonly timeoutMs: number,
    /** What was seen last, in words. */
    lastSeen: string,
  ) {
    super(
      `Timed out after ${timeoutMs} ms waiting for ${waitingFor} (last seen: ${lastSeen}); ` +
        'check that the job can reach it, or raise the timeout option',
    );
  }
}
