import type { JobSnapshot } from '../../runtime/state/job-snapshot.js';
import type { HealthReport } from '../job-manager.js';
import type { JobStatus, UnknownJobStatus } from '../job-status.js';
import type { JobSummary } from '../job-summary.js';

/** Correlates a response with its request; the server echoes it unchanged. */
export type RequestId = string | number;

/** Any JSON value (what `args` of `submit_job` may carry). */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** The actions of the control protocol. */
export type Action =
  | 'health_check'
  | 'submit_job'
  | 'get_job_status'
  | 'list_jobs'
  | 'pause_job'
  | 'continue_job'
  | 'stop_job'
  | 'delete_job'
  | 'trigger_savepoint'
  | 'get_server_info';

/** Every action the server knows, for validation and help texts. */
export const ACTIONS: readonly Action[] = [
  'health_check',
  'submit_job',
  'get_job_status',
  'list_jobs',
  'pause_job',
  'continue_job',
  'stop_job',
  'delete_job',
  'trigger_savepoint',
  'get_server_info',
];

/** The fields of a `submit_job` request after validation (defaults filled in). */
export interface SubmitJobFields {
  /** Path of the job module, relative to a job root or absolute inside one. */
  readonly module: string;
  /** Name of the builder export (default `'default'`). */
  readonly export: string;
  /** JSON arguments passed to the builder (`undefined` when the request had none). */
  readonly args?: JsonValue;
  /** Mark the job autostop; the response still comes right after the job started. */
  readonly autostop: boolean;
  /** Job name (default: the module file's base name). */
  readonly name?: string;
  /** A savepoint (JobSnapshot) to start every operator from, as `trigger_savepoint` answered it. */
  readonly restore?: JobSnapshot;
  /** Start even when `restore` holds state of operators the job does not have (that state is dropped). */
  readonly allow_non_restored_state: boolean;
}

/** The action-specific fields of each request, by action, after validation. */
export interface RequestFields {
  health_check: object;
  submit_job: SubmitJobFields;
  get_job_status: { readonly job_uuid: string };
  /** Jobs to skip (default 0) and most jobs to answer (default 100, at most 1000). */
  list_jobs: { readonly offset: number; readonly limit: number };
  pause_job: { readonly job_uuid: string };
  continue_job: { readonly job_uuid: string };
  stop_job: { readonly job_uuid: string };
  delete_job: { readonly job_uuid: string; readonly force: boolean };
  /** `stop`: stop the job right after the savepoint was taken. */
  trigger_savepoint: { readonly job_uuid: string; readonly stop: boolean };
  get_server_info: object;
}

/** A validated request of action `A`. */
export type RequestOf<A extends Action> = {
  readonly action: A;
  readonly request_id: RequestId;
  readonly token?: string;
} & RequestFields[A];

/** Any validated request. */
export type Request = { [A in Action]: RequestOf<A> }[Action];

/** What `get_server_info` reports. */
export interface ServerInfo {
  readonly name: string;
  readonly version: string;
  readonly protocol_version: number;
  readonly host: string;
  readonly port: number;
  readonly job_roots: readonly string[];
  readonly auth_required: boolean;
  readonly max_frame_bytes: number;
  readonly connections: number;
  readonly max_connections: number;
}

/** The action-specific fields of each success response, by action. */
export interface ResponseFields {
  health_check: { readonly daemon_status: HealthReport };
  submit_job: { readonly job_uuid: string };
  get_job_status: { readonly job_status: JobStatus | UnknownJobStatus };
  /** One page of summaries in submit order, and how many jobs there are in all. */
  list_jobs: { readonly jobs: readonly JobSummary[]; readonly total: number };
  pause_job: { readonly job_uuid: string; readonly job_status: JobStatus };
  continue_job: { readonly job_uuid: string; readonly job_status: JobStatus };
  stop_job: { readonly job_uuid: string; readonly job_status: JobStatus };
  delete_job: { readonly job_uuid: string; readonly deleted: true };
  /** The savepoint, and the job's status (stopped when the request asked for `stop`). */
  trigger_savepoint: {
    readonly job_uuid: string;
    readonly savepoint: JobSnapshot;
    readonly job_status: JobStatus | UnknownJobStatus;
  };
  get_server_info: { readonly server_info: ServerInfo };
}

/** A success response to an action `A`. */
export type SuccessResponse<A extends Action> = {
  readonly request_id: RequestId;
  readonly status: 'success';
} & ResponseFields[A];

/**
 * An error response. `request_id` is `null` when the request had none (or was not readable at all);
 * `error_type` names the server-side error class.
 */
export interface ErrorResponse {
  readonly request_id: RequestId | null;
  readonly status: 'error';
  readonly message: string;
  readonly error_type?: string;
}

/** Any response of the control protocol. */
export type Response = { [A in Action]: SuccessResponse<A> }[Action] | ErrorResponse;
