import { describeValue } from '../../../errors/describe-value.js';
import type { JobSnapshot } from '../../runtime/state/job-snapshot.js';
import { jsonDeeperThan, MAX_JSON_DEPTH } from './json-depth.js';

/**
 * What is wrong with a value that should be a savepoint (a `JobSnapshot` as `trigger_savepoint` or
 * `jobManager.snapshotJob` gives it), or `undefined` when it has a savepoint's shape: a JSON object whose
 * `operators` is an object mapping each operator name to an array of instance entries (objects), nested at most
 * `MAX_JSON_DEPTH` levels deep. Only the shape is
 * checked here; whether the snapshot fits the job is decided when the job starts (`SnapshotMismatchError`).
 *
 * @example
 * ```ts
 * snapshotShapeProblem({ job: 'j', takenAt: '…', operators: {} }); // undefined
 * snapshotShapeProblem([1, 2]);  // 'it is an array, not an object'
 * ```
 */
export function snapshotShapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return `it is ${brief(value)}, not an object`;
  if (Array.isArray(value)) return 'it is an array, not an object';
  const operators = (value as { operators?: unknown }).operators;
  if (operators === undefined) return 'it has no field "operators"';
  if (typeof operators !== 'object' || operators === null || Array.isArray(operators)) {
    return `its field "operators" must be an object of operator name → instance entries, got ${brief(operators)}`;
  }
  if (jsonDeeperThan(operators, MAX_JSON_DEPTH - 1)) {
    return `it nests deeper than ${String(MAX_JSON_DEPTH)} levels of arrays and objects`;
  }
  for (const [name, instances] of Object.entries(operators)) {
    if (!Array.isArray(instances)) {
      return `operators[${JSON.stringify(name.slice(0, 100))}] must be an array of instance entries, got ${brief(instances)}`;
    }
    const entry = (instances as unknown[]).find(
      (i) => i !== null && (typeof i !== 'object' || Array.isArray(i)),
    );
    if (entry !== undefined) {
      return `operators[${JSON.stringify(name.slice(0, 100))}] holds an instance entry that is not an object: ${brief(entry)}`;
    }
  }
  return undefined;
}

/**
 * True when a value has a savepoint's shape (see {@link snapshotShapeProblem}).
 *
 * @example
 * ```ts
 * if (isSnapshotShape(parsed)) await client.submitJob({ module: 'job.mjs', restore: parsed });
 * ```
 */
export function isSnapshotShape(value: unknown): value is JobSnapshot {
  return snapshotShapeProblem(value) === undefined;
}

function brief(value: unknown): string {
  if (typeof value === 'string' && value.length > 100) return `a string of ${value.length} characters`;
  return describeValue(value);
}
