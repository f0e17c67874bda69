import { describeValue } from '../../../errors/describe-value.js';
import type { CheckpointOptions } from './checkpoint-options.js';
import { InvalidArgumentError } from '../../../errors/invalid-argument-error.js';

/**
 * Validates checkpoint settings (`undefined` means no checkpointing); throws TypeError saying what is wrong.
 *
 * @example
 * ```ts
 * checkCheckpointing({ intervalMs: 1000, retained: 2 });
 * ```
 */
export function checkCheckpointing(value: unknown): CheckpointOptions | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') {
    throw new InvalidArgumentError(
      `checkpointing: expected { intervalMs, storage?, retained? }, got ${describeValue(value)}`,
    );
  }
  const { intervalMs, storage, retained } = value as Record<string, unknown>;
  if (typeof intervalMs !== 'number' || !Number.isFinite(intervalMs) || intervalMs <= 0) {
    throw new InvalidArgumentError(
      `checkpointing: intervalMs must be a number of ms > 0, got ${describeValue(intervalMs)}`,
    );
  }
  if (storage !== undefined && (typeof storage !== 'string' || storage.length === 0)) {
    throw new InvalidArgumentError(
      `checkpointing: storage must be a directory path, got ${describeValue(storage)}`,
    );
  }
  if (
    retained !== undefined &&
    (typeof retained !== 'number' || !Number.isInteger(retained) || retained < 1)
  ) {
    throw new InvalidArgumentError(
      `checkpointing: retained must be an integer ≥ 1, got ${describeValue(retained)}`,
    );
  }
  return {
    intervalMs,
    ...(storage !== undefined ? { storage } : {}),
    ...(retained !== undefined ? { retained } : {}),
  };
}
