import { describeValue } from '../../../errors/describe-value.js';
import { ServiceOptionsError } from '../../../errors/service-options-error.js';

/**
 * Request batching for a service that implements `processBatch(requests)`: calls to its `process` method are
 * gathered, up to `maxSize` at once and for at most `maxWaitMs` after the first of them (a full batch goes at
 * once), and `processBatch` receives their first arguments as an array. It answers with one reply per request,
 * in order (an array, or a Promise or Observable of one); a reply slot holding an `Error` fails only its caller.
 * Each caller keeps its own correlation id, timeout and retries (a failed request is retried alone, in a later
 * batch). A batch takes one concurrency slot.
 *
 * @example
 * ```ts
 * class Embed { processBatch(texts: string[]) { return texts.map((t) => [t.length]); } }
 * env.registerServiceFactory(new ServiceFactory('embed', Embed, [], { batch: { maxSize: 64, maxWaitMs: 5 } }));
 * // in a function: await this.callService('embed', 'some text') → [9]
 * ```
 */
export interface BatchOptions {
  /** Most requests in one batch (an integer ≥ 1). */
  readonly maxSize: number;
  /** Longest wait for a batch to fill, in ms of the job's scheduler, from its first request (≥ 0). */
  readonly maxWaitMs: number;
}

/**
 * Validates batch options; bad values throw a ServiceOptionsError naming the option.
 *
 * @example
 * ```ts
 * checkBatchOptions('embed', { maxSize: 64, maxWaitMs: 5 });
 * ```
 */
export function checkBatchOptions(service: string, batch: unknown): BatchOptions {
  if (batch === null || typeof batch !== 'object') {
    throw new ServiceOptionsError(
      service,
      'batch',
      `must be an object { maxSize, maxWaitMs }, got ${describeValue(batch)}`,
    );
  }
  const { maxSize, maxWaitMs } = batch as Partial<Record<keyof BatchOptions, unknown>>;
  if (typeof maxSize !== 'number' || !Number.isInteger(maxSize) || maxSize < 1) {
    throw new ServiceOptionsError(
      service,
      'batch.maxSize',
      `must be an integer ≥ 1 (requests per batch), got ${describeValue(maxSize)}`,
    );
  }
  if (typeof maxWaitMs !== 'number' || !Number.isFinite(maxWaitMs) || maxWaitMs < 0) {
    throw new ServiceOptionsError(
      service,
      'batch.maxWaitMs',
      `must be a finite number of milliseconds ≥ 0, got ${describeValue(maxWaitMs)}`,
    );
  }
  return { maxSize, maxWaitMs };
}
