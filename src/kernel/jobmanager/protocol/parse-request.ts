import { describeValue } from '../../../errors/describe-value.js';
import { ProtocolError } from '../../../errors/protocol-error.js';
import { pageRange } from '../job-summary.js';
import type { JobSnapshot } from '../../runtime/state/job-snapshot.js';
import { ACTIONS, type Action, type JsonValue, type Request, type RequestId } from './messages.js';
import { snapshotShapeProblem } from './snapshot-shape.js';
import { jsonDeeperThan, MAX_JSON_DEPTH } from './json-depth.js';

const MAX_ID_LENGTH = 256;
const MAX_PATH_LENGTH = 4096;
const MAX_NAME_LENGTH = 256;

/**
 * The `request_id` of a decoded message when it has a usable one (a string of at most 256 characters or a
 * finite number), else `null`: what an error response echoes even when the rest of the request is bad.
 *
 * @example
 * ```ts
 * requestIdOf({ action: 'x', request_id: 7 }); // 7
 * requestIdOf('garbage');                       // null
 * ```
 */
export function requestIdOf(message: unknown): RequestId | null {
  if (!isRecord(message)) return null;
  const id = message.request_id;
  if (typeof id === 'string' && id.length <= MAX_ID_LENGTH) return id;
  if (typeof id === 'number' && Number.isFinite(id)) return id;
  return null;
}

/**
 * Validates a decoded message as a request of the control protocol and fills in defaults (`export:
 * 'default'`, `autostop: false`, `allow_non_restored_state: false`, `force: false`, `stop: false`, `offset: 0`,
 * `limit: 100`); a `restore` of `submit_job` must have a savepoint's shape. Throws a `ProtocolError` saying which field is missing or
 * mistyped, or `Unknown action: <x>`. Fields it does not know are ignored.
 *
 * @example
 * ```ts
 * const request = parseRequest({ action: 'get_job_status', request_id: '1', job_uuid: uuid });
 * ```
 */
export function parseRequest(message: unknown): Request {
  if (!isRecord(message)) {
    throw new ProtocolError(`A request must be a JSON object, got ${brief(message)}`);
  }
  const requestId = requestIdOf(message);
  if (requestId === null) {
    throw new ProtocolError(
      `Field "request_id" must be a string of at most ${MAX_ID_LENGTH} characters or a finite number, got ${brief(message.request_id)}`,
    );
  }
  const action = message.action;
  if (typeof action !== 'string') {
    throw new ProtocolError(`Field "action" must be a string naming one of: ${ACTIONS.join(', ')}`);
  }
  if (!isAction(action)) {
    const shown = action.length > 100 ? `${action.slice(0, 100)}…` : action;
    throw new ProtocolError(`Unknown action: ${shown}`);
  }
  const tokenValue = message.token;
  if (tokenValue !== undefined && typeof tokenValue !== 'string') {
    throw new ProtocolError(`Field "token" must be a string, got ${brief(tokenValue)}`);
  }
  const head = { request_id: requestId, ...(tokenValue !== undefined ? { token: tokenValue } : {}) };
  switch (action) {
    case 'health_check':
    case 'get_server_info':
      return { ...head, action };
    case 'list_jobs':
      return { ...head, action, ...page(message) };
    case 'get_job_status':
    case 'pause_job':
    case 'continue_job':
    case 'stop_job':
      return { ...head, action, job_uuid: text(message, action, 'job_uuid', MAX_ID_LENGTH) };
    case 'delete_job':
      return {
        ...head,
        action,
        job_uuid: text(message, action, 'job_uuid', MAX_ID_LENGTH),
        force: flag(message, action, 'force'),
      };
    case 'trigger_savepoint':
      return {
        ...head,
        action,
        job_uuid: text(message, action, 'job_uuid', MAX_ID_LENGTH),
        stop: flag(message, action, 'stop'),
      };
    case 'submit_job': {
      const name = message.name === undefined ? undefined : text(message, action, 'name', MAX_NAME_LENGTH);
      return {
        ...head,
        action,
        module: text(message, action, 'module', MAX_PATH_LENGTH),
        export: message.export === undefined ? 'default' : text(message, action, 'export', MAX_NAME_LENGTH),
        ...(message.args !== undefined ? { args: args(message.args) } : {}),
        autostop: flag(message, action, 'autostop'),
        ...(name !== undefined ? { name } : {}),
        ...(message.restore !== undefined ? { restore: restore(message.restore) } : {}),
        allow_non_restored_state: flag(message, action, 'allow_non_restored_state'),
      };
    }
  }
}

/** describeValue, but long strings are summarised so an error response never echoes a large payload. */
function brief(value: unknown): string {
  if (typeof value === 'string' && value.length > 100) return `a string of ${value.length} characters`;
  return describeValue(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAction(value: string): value is Action {
  return (ACTIONS as readonly string[]).includes(value);
}

function text(message: Record<string, unknown>, action: Action, field: string, maxLength: number): string {
  const value = message[field];
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw new ProtocolError(
      `${action}: field "${field}" must be a non-empty string of at most ${maxLength} characters, got ${brief(value)}`,
    );
  }
  return value;
}

function page(message: Record<string, unknown>): { offset: number; limit: number } {
  for (const field of ['offset', 'limit']) {
    const value = message[field];
    if (value !== undefined && typeof value !== 'number') {
      throw new ProtocolError(`list_jobs: field "${field}" must be an integer, got ${brief(value)}`);
    }
  }
  try {
    return pageRange({
      offset: message.offset as number | undefined,
      limit: message.limit as number | undefined,
    });
  } catch (e) {
    throw new ProtocolError(`list_jobs: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function args(value: unknown): JsonValue {
  if (jsonDeeperThan(value)) {
    throw new ProtocolError(
      `submit_job: field "args" nests deeper than ${String(MAX_JSON_DEPTH)} levels of arrays and objects: flatten it`,
    );
  }
  return value as JsonValue;
}

function restore(value: unknown): JobSnapshot {
  const problem = snapshotShapeProblem(value);
  if (problem !== undefined) {
    throw new ProtocolError(
      `submit_job: field "restore" must be a savepoint as trigger_savepoint answers it (an object with "operators"), but ${problem}`,
    );
  }
  return value as JobSnapshot;
}

function flag(message: Record<string, unknown>, action: Action, field: string): boolean {
  const value = message[field];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw new ProtocolError(`${action}: field "${field}" must be true or false, got ${brief(value)}`);
  }
  return value;
}
