import { BackendOptionsError } from '../../errors/backend-options-error.js';
import { describeValue } from '../../errors/describe-value.js';
import type { BackendSpec } from './backend-spec.js';
import { isRedisUrl } from './redis/is-redis-url.js';

const FORMS =
  "use 'in-process' (the default), { kind: 'threads', workers? } or { kind: 'redis', url: 'redis://host:6379' }";

/**
 * Checks the `backend` option of a submit (from JavaScript, where the types do not hold) and returns it:
 * a known kind, positive integers for the threads backend's counts, a Redis URL for the Redis backend.
 * Throws `BackendOptionsError` saying what was wrong.
 *
 * @example
 * ```ts
 * checkBackendSpec({ kind: 'threads', workers: 2 }); // returns it
 * checkBackendSpec({ kind: 'threads', workers: 0 }); // BackendOptionsError: workers must be a positive integer
 * ```
 */
export function checkBackendSpec(spec: unknown): BackendSpec | undefined {
  if (spec === undefined || spec === 'in-process') return spec;
  if (typeof spec !== 'object' || spec === null) {
    throw new BackendOptionsError('backend', `is ${describeValue(spec)}: ${FORMS}`);
  }
  const s = spec as Record<string, unknown>;
  switch (s.kind) {
    case 'in-process':
      return spec as BackendSpec;
    case 'threads':
      for (const option of ['workers', 'batchSize', 'credits']) positiveInteger(s, option);
      return spec as BackendSpec;
    case 'redis':
      if (!isRedisUrl(s.url)) {
        throw new BackendOptionsError(
          'url',
          `is ${describeValue(s.url)}: the Redis backend needs the server's URL, e.g. { kind: 'redis', url: 'redis://127.0.0.1:6379' }`,
        );
      }
      positiveInteger(s, 'leaseMs');
      if (s.jobRoot !== undefined && typeof s.jobRoot !== 'string') {
        throw new BackendOptionsError('jobRoot', `is ${describeValue(s.jobRoot)}: pass a directory path`);
      }
      return spec as BackendSpec;
    default:
      throw new BackendOptionsError('kind', `${describeValue(s.kind)} is not a backend: ${FORMS}`);
  }
}

function positiveInteger(spec: Record<string, unknown>, option: string): void {
  const value = spec[option];
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new BackendOptionsError(option, `must be a positive integer, got ${describeValue(value)}`);
  }
}
