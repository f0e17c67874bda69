import type { Action } from '../protocol/messages.js';

/** What a field of a success response must be. */
type FieldKind = 'string' | 'number' | 'object' | 'array';

/** The fields every success response of an action carries, and what each must be. */
const REQUIRED: { readonly [A in Action]: Readonly<Record<string, FieldKind>> } = {
  health_check: { daemon_status: 'object' },
  submit_job: { job_uuid: 'string' },
  get_job_status: { job_status: 'object' },
  list_jobs: { jobs: 'array', total: 'number' },
  pause_job: { job_status: 'object' },
  continue_job: { job_status: 'object' },
  stop_job: { job_status: 'object' },
  delete_job: {},
  trigger_savepoint: { savepoint: 'object' },
  get_server_info: { server_info: 'object' },
};

/**
 * Why a success response to `action` lacks a field the control protocol promises (a `job_uuid` string for
 * `submit_job`, a `job_status` object for `get_job_status`, …), or `undefined` when it has them all. Fields it
 * does not know are allowed, so newer servers may add some.
 *
 * @example
 * ```ts
 * successShapeProblem('submit_job', { status: 'success', job_uuid: 'u' }); // undefined
 * successShapeProblem('submit_job', { status: 'success' });                // 'field "job_uuid" is missing…'
 * ```
 */
export function successShapeProblem(action: Action, response: Record<string, unknown>): string | undefined {
  for (const [field, kind] of Object.entries(REQUIRED[action])) {
    const value = response[field];
    if (value === undefined) return `field "${field}" is missing (it must be ${article(kind)})`;
    if (kindOf(value) !== kind) return `field "${field}" is ${article(kindOf(value))}, not ${article(kind)}`;
  }
  return undefined;
}

function kindOf(value: unknown): FieldKind | 'null' | 'boolean' | 'other' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'object' || type === 'boolean' ? type : 'other';
}

function article(kind: string): string {
  return kind === 'null' ? 'null' : /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}
